package io.meshwork.netty.internal.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.netty.internal.server.RequestBody.Outcome;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A request body is held in pooled memory as it arrives, each byte counted against two budgets. */
class RequestBodyTest {

  private final BodyBudget connection = new BodyBudget(100);
  private final BodyBudget server = new BodyBudget(150);

  @Test
  void bytesAreReservedAsTheyArriveAndGivenBackOnRelease() {
    RequestBody body = body(80);
    assertThat(append(body, "hello")).isEqualTo(Outcome.KEPT);
    assertThat(append(body, " world")).isEqualTo(Outcome.KEPT);
    assertThat(connection.used()).isEqualTo(11);
    assertThat(server.used()).isEqualTo(11);

    assertThat(new String(body.take(), StandardCharsets.US_ASCII)).isEqualTo("hello world");
    assertThat(server.used()).as("held until the request is answered").isEqualTo(11);
    body.release();
    body.release();
    assertThat(connection.used()).isZero();
    assertThat(server.used()).isZero();
  }

  @Test
  void aPieceThatWouldPassTheLimitIsNotKept() {
    RequestBody body = body(8);
    append(body, "12345");
    assertThat(append(body, "6789")).isEqualTo(Outcome.TOO_LARGE);
    assertThat(body.length()).isEqualTo(5);
    body.release();
  }

  @Test
  void aSpentBudgetRefusesAndLeavesNothingReservedForThatPiece() {
    RequestBody first = body(100);
    RequestBody second = body(100);
    assertThat(append(first, "x".repeat(90))).isEqualTo(Outcome.KEPT);
    assertThat(append(second, "y".repeat(20))).as("past the connection's 100").isEqualTo(Outcome.NO_MEMORY);
    assertThat(connection.used()).isEqualTo(90);

    RequestBody elsewhere = new RequestBody(PooledByteBufAllocator.DEFAULT, 100, new BodyBudget(100), server);
    assertThat(append(elsewhere, "z".repeat(70))).as("past the server's 150").isEqualTo(Outcome.NO_MEMORY);
    assertThat(server.used()).isEqualTo(90);
    first.release();
    second.release();
    elsewhere.release();
    assertThat(server.used()).isZero();
  }

  @Test
  void anEmptyBodyHoldsNothing() {
    RequestBody body = body(10);
    assertThat(body.take()).isEmpty();
    body.release();
    assertThat(server.used()).isZero();
  }

  private RequestBody body(int limit) {
    return new RequestBody(PooledByteBufAllocator.DEFAULT, limit, connection, server);
  }

  private static Outcome append(RequestBody body, String text) {
    ByteBuf piece = Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
    try {
      return body.append(piece);
    } finally {
      piece.release();
    }
  }
}
