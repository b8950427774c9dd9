package io.meshwork.netty.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BodyBufferTest {

  @Test
  void knownLengthIsGatheredIntoAnExactArrayWithoutATrimmingCopy() {
    BodyBuffer body = new BodyBuffer(10, 100);
    appendText(body, "hello");
    appendText(body, "world");
    byte[] array = body.toArray();
    assertThat(new String(array, StandardCharsets.US_ASCII)).isEqualTo("helloworld");
    assertThat(body.toArray()).isSameAs(array);
  }

  @Test
  void aLargeDeclaredLengthReservesNoMoreThanWhatArrives() {
    BodyBuffer body = new BodyBuffer(10 * 1024 * 1024, 10 * 1024 * 1024);
    assertThat(body.capacity()).as("reserved before any byte").isLessThanOrEqualTo(BodyBuffer.MAX_RESERVED);
    appendText(body, "only this");
    assertThat(body.toArray()).hasSize(9);
  }

  @Test
  void unknownLengthGrowsAndIsTrimmedOnce() {
    BodyBuffer body = new BodyBuffer(-1, 10_000);
    for (int i = 0; i < 100; i++) {
      appendText(body, "0123456789");
    }
    assertThat(body.length()).isEqualTo(1000);
    assertThat(body.toArray()).hasSize(1000);
  }

  @Test
  void refusesToGrowPastTheLimitAndCopiesNothingThen() {
    BodyBuffer body = new BodyBuffer(-1, 8);
    appendText(body, "12345");
    ByteBuf tooMuch = Unpooled.copiedBuffer("6789", StandardCharsets.US_ASCII);
    try {
      assertThat(body.append(tooMuch)).isFalse();
      assertThat(tooMuch.readableBytes()).as("the caller still owns it untouched").isEqualTo(4);
    } finally {
      tooMuch.release();
    }
    assertThat(body.length()).isEqualTo(5);
  }

  @Test
  void emptyBodyIsTheSharedEmptyArray() {
    assertThat(new BodyBuffer(0, 10).toArray()).isEmpty();
    assertThat(new BodyBuffer(-1, 10).toArray()).isSameAs(new BodyBuffer(5, 10).toArray());
  }

  private static void appendText(BodyBuffer body, String text) {
    ByteBuf piece = Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
    try {
      assertThat(body.append(piece)).isTrue();
    } finally {
      piece.release();
    }
  }
}
