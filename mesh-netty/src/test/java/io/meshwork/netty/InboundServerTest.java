package io.meshwork.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.MeshResponse;
import io.meshwork.netty.internal.server.NettyServer;
import io.meshwork.netty.testing.RawClient;
import io.meshwork.netty.testing.RawClient.Response;
import io.meshwork.policy.ServerLimits;
import io.meshwork.transport.ServerOptions;
import io.meshwork.transport.TransportServer;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP/1.1 side of the inbound server, spoken to byte by byte over a plain socket. */
class InboundServerTest {

  private NettyTransport transport;
  private final CompletableFuture<MeshResponse> slow = new CompletableFuture<>();
  private final CompletableFuture<Void> slowArrived = new CompletableFuture<>();

  @BeforeEach
  void start() {
    transport = NettyTransport.builder().eventLoopThreads(2).shutdownGrace(Duration.ofSeconds(1))
        .serverIdleTimeout(Duration.ofMillis(300)).build();
  }

  @AfterEach
  void stop() {
    slow.complete(MeshResponse.ok("released"));
    transport.close();
  }

  @Test
  void handlerThatThrowsOrFailsYields500AndTheConnectionStaysUsable() throws Exception {
    NettyServer server = server(ServerOptions.of("svc", "127.0.0.1", 0));
    try (RawClient client = new RawClient(server.port())) {
      client.send("GET /throw HTTP/1.1\r\nhost: x\r\n\r\n");
      assertThat(client.read().status()).isEqualTo(500);
      client.send("GET /fail HTTP/1.1\r\nhost: x\r\n\r\n");
      assertThat(client.read().status()).isEqualTo(500);
      client.send("GET /null HTTP/1.1\r\nhost: x\r\n\r\n");
      assertThat(client.read().status()).isEqualTo(500);
      client.send("GET /ok HTTP/1.1\r\nhost: x\r\n\r\n");
      assertThat(client.read().body()).isEqualTo("GET /ok");
    }
  }

  @Test
  void pipelinedRequestsAreAnsweredInRequestOrder() throws Exception {
    NettyServer server = server(ServerOptions.of("svc", "127.0.0.1", 0));
    try (RawClient client = new RawClient(server.port())) {
      client.send("GET /slow HTTP/1.1\r\nhost: x\r\n\r\nGET /fast HTTP/1.1\r\nhost: x\r\n\r\n"
          + "POST /post HTTP/1.1\r\nhost: x\r\ncontent-length: 3\r\n\r\nabc");
      slowArrived.get(5, TimeUnit.SECONDS);
      slow.complete(MeshResponse.ok("slow answered last"));

      assertThat(client.read().body()).isEqualTo("slow answered last");
      assertThat(client.read().body()).isEqualTo("GET /fast");
      assertThat(client.read().body()).isEqualTo("POST /post abc");
    }
  }

  @Test
  void headAnswerHasTheLengthButNoBody() throws Exception {
    NettyServer server = server(ServerOptions.of("svc", "127.0.0.1", 0));
    try (RawClient client = new RawClient(server.port())) {
      client.send("HEAD /h HTTP/1.1\r\nhost: x\r\n\r\nGET /g HTTP/1.1\r\nhost: x\r\n\r\n");
      Response head = client.read(true);
      assertThat(head.headers()).containsEntry("content-length", Integer.toString("HEAD /h".length()));
      assertThat(client.read().body()).isEqualTo("GET /g"); // no stray body bytes in between
    }
  }

  @Test
  void headerBlockOverTheLimitGets431AndAClose() throws Exception {
    NettyServer server = server(ServerOptions.of("svc", "127.0.0.1", 0, new ServerLimits(1 << 20, 4096, 100)));
    try (RawClient client = new RawClient(server.port())) {
      client.send("GET / HTTP/1.1\r\nhost: x\r\nx-big: " + "a".repeat(5000) + "\r\n\r\n");
      assertThat(client.read().status()).isEqualTo(431);
      assertThat(client.closedByServer()).isTrue();
    }
  }

  @Test
  void bodyOverTheLimitGets413WithContentLengthOrChunked() throws Exception {
    NettyServer server = server(ServerOptions.of("svc", "127.0.0.1", 0, new ServerLimits(1000, 64 * 1024, 100)));
    try (RawClient client = new RawClient(server.port())) {
      client.send("POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 5000\r\n\r\n");
      Response response = client.read();
      assertThat(response.status()).isEqualTo(413);
      assertThat(response.body()).contains("exceeds the limit of 1000");
      assertThat(client.closedByServer()).isTrue();
    }
    try (RawClient client = new RawClient(server.port())) {
      String chunk = "a".repeat(600);
      client.send("POST / HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n"
          + "258\r\n" + chunk + "\r\n258\r\n" + chunk + "\r\n0\r\n\r\n");
      assertThat(client.read().status()).isEqualTo(413);
      assertThat(client.closedByServer()).isTrue();
    }
  }

  @Test
  void malformedRequestGets400AndAClose() throws Exception {
    NettyServer server = server(ServerOptions.of("svc", "127.0.0.1", 0));
    try (RawClient client = new RawClient(server.port())) {
      client.send("GET / HTTP/1.1\r\nhost: x\r\ncontent-length: nope\r\n\r\n");
      assertThat(client.read().status()).isEqualTo(400);
      assertThat(client.closedByServer()).isTrue();
    }
  }

  @Test
  void http11RequestWithTwoHostFieldsOrNoneGets400AndAClose() throws Exception {
    NettyServer server = server(ServerOptions.of("svc", "127.0.0.1", 0));
    for (String head : new String[] {"GET /ok HTTP/1.1\r\nhost: a\r\nhost: b\r\n\r\n", "GET /ok HTTP/1.1\r\n\r\n"}) {
      try (RawClient client = new RawClient(server.port())) {
        client.send(head);
        Response response = client.read();
        assertThat(response.status()).as(head).isEqualTo(400);
        assertThat(response.body()).contains("Host");
        assertThat(client.closedByServer()).isTrue();
      }
    }
    try (RawClient client = new RawClient(server.port())) {
      client.send("GET /ok HTTP/1.0\r\n\r\n");
      assertThat(client.read().body()).as("HTTP/1.0 needs no Host").isEqualTo("GET /ok");
    }
  }

  @Test
  void transferCodingsOtherThanChunkedAreRefusedAndTheConnectionClosed() throws Exception {
    NettyServer server = server(ServerOptions.of("svc", "127.0.0.1", 0));
    String body = "3\r\nabc\r\n0\r\n\r\n";
    String[][] cases = {{"identity, chunked", "501"}, {"gzip, chunked", "501"}, {"chunked, identity", "400"},
        {"identity", "400"}, {"chunked\r\ntransfer-encoding: chunked", "400"}};
    for (String[] refused : cases) {
      try (RawClient client = new RawClient(server.port())) {
        client.send("POST /post HTTP/1.1\r\nhost: x\r\ntransfer-encoding: " + refused[0] + "\r\n\r\n" + body);
        assertThat(client.read().status()).as(refused[0]).isEqualTo(Integer.parseInt(refused[1]));
        assertThat(client.closedByServer()).isTrue();
      }
    }
    try (RawClient client = new RawClient(server.port())) {
      client.send("POST /post HTTP/1.1\r\nhost: x\r\ntransfer-encoding: Chunked\r\n\r\n" + body);
      assertThat(client.read().body()).isEqualTo("POST /post abc");
    }
  }

  @Test
  void conflictingFramingIsRefusedAndTheConnectionClosed() throws Exception {
    NettyServer server = server(ServerOptions.of("svc", "127.0.0.1", 0));
    String[] smuggled = {
        "POST /post HTTP/1.1\r\nhost: x\r\ncontent-length: 3\r\ntransfer-encoding: chunked\r\n\r\n"
            + "3\r\nabc\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nhost: x\r\n\r\n",
        "POST /post HTTP/1.1\r\nhost: x\r\ncontent-length: 3\r\ncontent-length: 40\r\n\r\nabc"
            + "GET /smuggled HTTP/1.1\r\nhost: x\r\n\r\n",
        "POST /post HTTP/1.1\r\nhost: x\r\ncontent-length: +3\r\n\r\nabcGET /smuggled HTTP/1.1\r\n\r\n"};
    for (String request : smuggled) {
      try (RawClient client = new RawClient(server.port())) {
        client.send(request);
        assertThat(client.read().status()).as(request).isEqualTo(400);
        assertThat(client.closedByServer()).as("nothing after it is read").isTrue();
      }
    }
  }

  @Test
  void carriageReturnOrLineFeedInsideAHeaderIsRefused() throws Exception {
    NettyServer server = server(ServerOptions.of("svc", "127.0.0.1", 0));
    for (String header : new String[] {"x-a: b\rc", "x-a: b\nx-b: c", "x-a: b\u0000c"}) {
      try (RawClient client = new RawClient(server.port())) {
        client.send("GET /ok HTTP/1.1\r\nhost: x\r\n" + header + "\r\n\r\n");
        assertThat(client.read().status()).as(header).isEqualTo(400);
        assertThat(client.closedByServer()).isTrue();
      }
    }
  }

  @Test
  void methodsAreCaseSensitiveAndReachTheHandlerAsSent() throws Exception {
    NettyServer server = server(ServerOptions.of("svc", "127.0.0.1", 0));
    try (RawClient client = new RawClient(server.port())) {
      client.send("get /lower HTTP/1.1\r\nhost: x\r\n\r\nGeT /mixed HTTP/1.1\r\nhost: x\r\n\r\n");
      assertThat(client.read().body()).isEqualTo("get /lower");
      assertThat(client.read().body()).isEqualTo("GeT /mixed");
    }
  }

  @Test
  void connectionCloseFromTheClientIsHonoured() throws Exception {
    NettyServer server = server(ServerOptions.of("svc", "127.0.0.1", 0));
    try (RawClient client = new RawClient(server.port())) {
      client.send("GET /bye HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n");
      Response response = client.read();
      assertThat(response.headers()).containsEntry("connection", "close");
      assertThat(client.closedByServer()).isTrue();
    }
    try (RawClient client = new RawClient(server.port())) {
      client.send("GET /old HTTP/1.0\r\n\r\n");
      assertThat(client.read().body()).isEqualTo("GET /old");
      assertThat(client.closedByServer()).isTrue();
    }
  }

  @Test
  void idleConnectionIsClosedByTheServer() throws Exception {
    NettyServer server = server(ServerOptions.of("svc", "127.0.0.1", 0));
    try (RawClient client = new RawClient(server.port())) {
      client.send("GET /once HTTP/1.1\r\nhost: x\r\n\r\n");
      assertThat(client.read().body()).isEqualTo("GET /once");
      assertThat(client.closedByServer()).as("closed after the 300 ms server idle timeout").isTrue();
    }
  }

  @Test
  void gracefulCloseFinishesInFlightWithConnectionCloseAndAcceptsNothingNew() throws Exception {
    NettyServer server = server(ServerOptions.of("svc", "127.0.0.1", 0));
    try (RawClient client = new RawClient(server.port())) {
      client.send("GET /slow HTTP/1.1\r\nhost: x\r\n\r\n");
      slowArrived.get(5, TimeUnit.SECONDS);

      CompletableFuture<Void> closed = server.closeAsync(Duration.ofSeconds(10));
      assertThatThrownBy(() -> new RawClient(server.port()).close()).isInstanceOf(ConnectException.class);
      assertThat(closed).isNotDone();
      slow.complete(MeshResponse.ok("finished while draining"));

      Response response = client.read();
      assertThat(response.body()).isEqualTo("finished while draining");
      assertThat(response.headers()).containsEntry("connection", "close");
      assertThat(client.closedByServer()).isTrue();
      closed.get(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void bindingAPortInUseFailsNamingTheAddress() {
    TransportServer first = server(ServerOptions.of("svc", "127.0.0.1", 0));
    assertThatThrownBy(() -> server(ServerOptions.of("svc", "127.0.0.1", first.port())))
        .hasMessage("svc: port " + first.port() + " on 127.0.0.1 is already in use (expected: a free port,"
            + " or 0 for any free one)");
  }

  private NettyServer server(ServerOptions options) {
    return (NettyServer) transport.bind(options, request -> {
      switch (request.path()) {
        case "/throw":
          throw new IllegalStateException("handler bug");
        case "/fail":
          return CompletableFuture.failedFuture(new IOException("backend down"));
        case "/null":
          return null;
        case "/slow":
          slowArrived.complete(null);
          return slow;
        default:
          return CompletableFuture.completedFuture(MeshResponse.ok(request.method() + " " + request.path()
              + (request.bodyLength() > 0 ? " " + request.bodyAsString() : "")));
      }
    });
  }
}
