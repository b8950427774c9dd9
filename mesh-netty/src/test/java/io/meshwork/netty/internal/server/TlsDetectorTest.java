package io.meshwork.netty.internal.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.MeshResponse;
import io.meshwork.netty.internal.tls.ServerTls;
import io.meshwork.netty.internal.tls.TlsProviders;
import io.meshwork.netty.testing.TestCredentials;
import io.meshwork.security.CertificateAuthority;
import io.meshwork.security.WorkloadIdentity;
import io.meshwork.transport.InboundHandler;
import io.meshwork.transport.ServerOptions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslHandler;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How a mutual TLS server tells a TLS connection from a plaintext one by its first bytes. */
class TlsDetectorTest {

  private static final CertificateAuthority AUTHORITY = CertificateAuthority.create("cluster.local");

  private final ServerTls tls = new ServerTls("svc", TestCredentials.of(AUTHORITY, "svc"), TlsProviders.choose(true));
  private final ServerContext context = new ServerContext(ServerOptions.of("svc", "127.0.0.1", 0),
      InboundHandler.of(request -> CompletableFuture.completedFuture(MeshResponse.ok(
          request.peerIdentity().map(WorkloadIdentity::spiffeId).orElse("unknown")))),
      ServerTls::peerOf);
  private EmbeddedChannel channel;

  @AfterEach
  void close() {
    channel.finishAndReleaseAll();
  }

  @Test
  void permissivePlaintextLeavesNoTlsHandlerBehindAndHasNoIdentity() {
    channel = new EmbeddedChannel(new TlsDetector(tls, context, true), new ProtocolDetector(context));
    channel.writeInbound(ascii("GET"));
    assertThat(channel.pipeline().get(TlsDetector.class)).as("five bytes decide").isNotNull();
    channel.writeInbound(ascii(" /x HTTP/1.1\r\nhost: a\r\n\r\n"));

    assertThat(channel.pipeline().get(TlsDetector.class)).isNull();
    assertThat(channel.pipeline().get(SslHandler.class)).isNull();
    assertThat(readOutbound()).startsWith("HTTP/1.1 200 OK\r\n").endsWith("unknown");
  }

  @Test
  void aClientHelloPutsTheTlsHandlerInPlaceAndReachesIt() throws Exception {
    channel = new EmbeddedChannel(new TlsDetector(tls, context, true), new ProtocolDetector(context));
    channel.writeInbound(clientHello());

    assertThat(channel.pipeline().get(TlsDetector.class)).isNull();
    assertThat(channel.pipeline().get(SslHandler.class)).isNotNull();
    ByteBuf serverHello = channel.readOutbound();
    try {
      assertThat(serverHello.getByte(serverHello.readerIndex())).as("a handshake record answers it")
          .isEqualTo((byte) 22);
    } finally {
      serverHello.release();
    }
  }

  @Test
  void strictAnswersPlaintextHttp1WithA400AndCloses() {
    channel = new EmbeddedChannel(new TlsDetector(tls, context, false), new ProtocolDetector(context));
    channel.writeInbound(ascii("POST /x HTTP/1.1\r\nhost: a\r\ncontent-length: 0\r\n\r\n"));

    assertThat(readOutbound()).startsWith("HTTP/1.1 400 Bad Request\r\n")
        .endsWith("{\"error\":\"this server requires mutual TLS\",\"service\":\"svc\"}");
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void strictClosesPlaintextHttp2WithoutAWord() {
    channel = new EmbeddedChannel(new TlsDetector(tls, context, false), new ProtocolDetector(context));
    channel.writeInbound(ascii("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"));

    assertThat((Object) channel.readOutbound()).isNull();
    assertThat(channel.isOpen()).isFalse();
  }

  /** The first flight of a real TLS client. */
  private static ByteBuf clientHello() throws Exception {
    SSLEngine client = SSLContext.getDefault().createSSLEngine();
    client.setUseClientMode(true);
    client.beginHandshake();
    ByteBuffer out = ByteBuffer.allocate(client.getSession().getPacketBufferSize());
    client.wrap(ByteBuffer.allocate(0), out);
    out.flip();
    return Unpooled.wrappedBuffer(out);
  }

  private String readOutbound() {
    StringBuilder all = new StringBuilder();
    ByteBuf out;
    while ((out = channel.readOutbound()) != null) {
      all.append(out.toString(StandardCharsets.US_ASCII));
      out.release();
    }
    return all.toString();
  }

  private static ByteBuf ascii(String text) {
    return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
  }
}
