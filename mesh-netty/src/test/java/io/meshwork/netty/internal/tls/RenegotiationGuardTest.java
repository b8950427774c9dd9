package io.meshwork.netty.internal.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslHandler;
import java.io.ByteArrayOutputStream;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The guard follows TLS record boundaries however the bytes are split, and passes them all on. */
class RenegotiationGuardTest {

  private static final int CCS = 20;
  private static final int HANDSHAKE = 22;
  private static final int APPLICATION_DATA = 23;

  @ParameterizedTest(name = "pieces of {0} bytes")
  @ValueSource(ints = {1, 3, 5, 7, 1000})
  void aTls12HandshakeAndItsDataPassUntouched(int piece) throws Exception {
    byte[] stream = records(HANDSHAKE, HANDSHAKE, CCS, HANDSHAKE, APPLICATION_DATA, APPLICATION_DATA);
    EmbeddedChannel channel = guarded();
    feed(channel, stream, piece);
    assertThat(channel.isActive()).isTrue();
    assertThat(drain(channel)).isEqualTo(stream);
    channel.finishAndReleaseAll();
  }

  @ParameterizedTest(name = "pieces of {0} bytes")
  @ValueSource(ints = {1, 3, 5, 7, 1000})
  void aHandshakeRecordAfterTheFinishedClosesTheConnection(int piece) throws Exception {
    byte[] stream = records(HANDSHAKE, CCS, HANDSHAKE, APPLICATION_DATA, HANDSHAKE, APPLICATION_DATA);
    EmbeddedChannel channel = guarded();
    feed(channel, stream, piece);
    assertThat(channel.isActive()).as("closed at the new ClientHello").isFalse();
    assertThat(drain(channel).length).as("nothing of that read went on").isLessThan(stream.length);
    channel.finishAndReleaseAll();
  }

  private static EmbeddedChannel guarded() throws Exception {
    SslHandler tls = new SslHandler(SSLContext.getDefault().createSSLEngine());
    return new EmbeddedChannel(new RenegotiationGuard("svc", tls));
  }

  /** Records of the given types, each with a body of a few bytes. */
  private static byte[] records(int... types) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int length = 3;
    for (int type : types) {
      out.writeBytes(new byte[] {(byte) type, 3, 3, 0, (byte) length});
      out.writeBytes(new byte[length]);
      length += 4;
    }
    return out.toByteArray();
  }

  private static void feed(EmbeddedChannel channel, byte[] stream, int piece) {
    for (int at = 0; at < stream.length && channel.isActive(); at += piece) {
      int size = Math.min(piece, stream.length - at);
      channel.writeInbound(Unpooled.wrappedBuffer(stream, at, size));
    }
  }

  private static byte[] drain(EmbeddedChannel channel) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuf next;
    while ((next = channel.readInbound()) != null) {
      byte[] bytes = new byte[next.readableBytes()];
      next.readBytes(bytes);
      next.release();
      out.writeBytes(bytes);
    }
    return out.toByteArray();
  }
}
