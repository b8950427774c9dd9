package io.meshwork.netty.internal.server;

import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.netty.internal.WireHeaders;
import io.meshwork.security.WorkloadIdentity;
import io.meshwork.transport.Admission;
import io.meshwork.transport.ErrorResponses;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP/1.1 side of the inbound server for one connection. Each request head goes to
 * {@link io.meshwork.transport.InboundHandler#admit} as soon as it has arrived: a refused request is
 * answered at once and its body, if the client sends it anyway, dropped unread. An admitted body is
 * gathered as it arrives, within the connection's and the server's body budgets, and the whole
 * request goes to the handler. Pipelined requests are handled concurrently, but responses leave in
 * request order: each request takes a slot in a queue and a slot is written only once all before it
 * are. Limits are answered, then the connection closed: 400 for anything malformed or ambiguously
 * framed, 408 for a client too slow, 413 for the body, 414 for the request line, 431 for headers,
 * 501 for a transfer coding other than chunked, 503 when the body budget is spent.
 */
final class Http1ServerHandler extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(Http1ServerHandler.class);
  private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  /** Past this many responses owed, stop reading until some are written. */
  private static final int MAX_OWED = 32;

  private final ServerContext context;
  private final BodyBudget connectionBodies;
  private final Http1ResponseEncoder encoder = new Http1ResponseEncoder();
  private final ArrayDeque<Slot> owed = new ArrayDeque<>();
  private ChannelHandlerContext ctx;
  /** The request whose body is being received; null between requests. */
  private Receiving current;
  private boolean closing;
  private boolean identityKnown;
  private String remote;
  private WorkloadIdentity identity;

  Http1ServerHandler(ServerContext context) {
    this.context = context;
    this.connectionBodies = context.connectionBudget();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (closing) {
        return; // an answer that closes the connection is on its way: read nothing more
      }
      if (msg instanceof HttpRequest request) {
        onHead(request);
      }
      if (msg instanceof HttpContent content && !closing) {
        onContent(content);
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void onHead(HttpRequest request) {
    if (request.decoderResult().isFailure()) {
      Throwable cause = request.decoderResult().cause();
      if (cause instanceof TooLongHttpHeaderException) {
        reject(431, "request header block larger than " + context.limits.maxHeaderBytes() + " bytes");
      } else if (cause instanceof TooLongHttpLineException) {
        reject(414, "request line too long");
      } else {
        reject(400, "malformed request: " + cause.getMessage());
      }
      return;
    }
    Http1Framing.Problem problem = Http1Framing.check(request);
    if (problem != null) {
      reject(problem.status(), problem.message());
      return;
    }
    long length = HttpUtil.getContentLength(request, -1L);
    if (length > context.limits.maxRequestBytes()) {
      reject(413, "request body of " + length + " bytes exceeds the limit of " + context.limits.maxRequestBytes());
      return;
    }
    MeshRequest head;
    try {
      head = MeshRequest.builder().method(request.method().name()).path(path(request.uri()))
          .headers(WireHeaders.fromHttp1(request.headers())).peerIdentity(identity())
          .remoteAddress(remote()).build();
    } catch (IllegalArgumentException e) {
      reject(400, e.getMessage());
      return;
    }
    boolean http10 = request.protocolVersion().equals(HttpVersion.HTTP_1_0);
    Slot slot = new Slot(request.method().name().equals("HEAD"), HttpUtil.isKeepAlive(request), http10);
    owed.add(slot);
    if (owed.size() >= MAX_OWED) {
      ctx.channel().config().setAutoRead(false);
    }
    boolean expectsContinue = HttpUtil.is100ContinueExpected(request);
    Admission admission = context.handler.admit(head);
    if (!admission.isAdmitted()) {
      // A client that waits for 100 Continue may send its body or the next request: unknowable, so close.
      slot.keepAlive &= !expectsContinue;
      current = new Receiving(slot, null, null);
      answer(slot, admission.answer());
      return;
    }
    if (expectsContinue && owed.size() == 1) {
      ctx.writeAndFlush(Unpooled.wrappedBuffer(CONTINUE), ctx.voidPromise());
    }
    current = new Receiving(slot, admission.head(), context.newBody(ctx.alloc(), connectionBodies));
  }

  private void onContent(HttpContent content) {
    Receiving receiving = current;
    if (receiving == null) {
      return;
    }
    if (content.decoderResult().isFailure()) {
      reject(400, "malformed request body: " + content.decoderResult().cause().getMessage());
      return;
    }
    if (receiving.body == null) {
      // The body of a refused request: dropped unread, up to what an accepted one could hold.
      receiving.discarded += content.content().readableBytes();
      if (receiving.discarded > context.limits.maxRequestBytes()) {
        current = null;
        closing = true; // read nothing more; close once what is owed is written
        if (owed.isEmpty()) {
          ctx.close();
        } else {
          owed.peekLast().keepAlive = false;
        }
        return;
      }
    } else {
      switch (receiving.body.append(content.content())) {
        case TOO_LARGE:
          reject(413, "request body exceeds the limit of " + context.limits.maxRequestBytes() + " bytes");
          return;
        case NO_MEMORY:
          overloaded();
          return;
        default:
          break;
      }
    }
    if (content instanceof LastHttpContent) {
      current = null;
      if (receiving.body != null) {
        dispatch(receiving);
      }
    }
  }

  private void dispatch(Receiving receiving) {
    Slot slot = receiving.slot;
    slot.body = receiving.body;
    MeshRequest request = receiving.body.length() == 0 ? receiving.head
        : receiving.head.toBuilder().body(receiving.body.take()).build();
    CompletableFuture<MeshResponse> answer = context.handler.handle(request);
    if (answer.isDone()) { // answered at once: no callback, no hop
      answer(slot, answer.join());
      return;
    }
    answer.whenComplete((response, failure) -> {
      if (ctx.executor().inEventLoop()) {
        answer(slot, response);
      } else {
        ctx.executor().execute(() -> answer(slot, response));
      }
    });
  }

  /** Fills {@code slot} and writes every response now due, in request order, with one flush. */
  private void answer(Slot slot, MeshResponse response) {
    slot.response = response;
    slot.releaseBody();
    boolean wrote = false;
    while (!owed.isEmpty() && owed.peek().response != null && ctx.channel().isActive()) {
      Slot next = owed.poll();
      // Draining: the last response owed asks the client to close; pipelined ones before it still go.
      boolean close = !next.keepAlive || (context.draining && owed.isEmpty() && current == null);
      ByteBuf out = encoder.encode(ctx.alloc(), next.response, next.head, close, next.http10 && !close);
      wrote = true;
      if (close) {
        closing = true;
        abandonAll();
        ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
        return;
      }
      ctx.write(out, ctx.voidPromise());
    }
    if (wrote) {
      ctx.flush();
      if (!ctx.channel().config().isAutoRead() && owed.size() < MAX_OWED / 2) {
        ctx.channel().config().setAutoRead(true);
      }
    }
  }

  /** Answers a request that breaks a limit or the protocol, then closes: the rest is unreadable. */
  private void reject(int status, String message) {
    respondAndClose(ErrorResponses.of(status, context.service, message));
  }

  /** The body budget is spent: 503, worth retrying, then close since the body is left unread. */
  private void overloaded() {
    respondAndClose(ErrorResponses.builder(503, context.service, "request bodies in flight use all the memory"
        + " allowed; try again", null).header("retry-after", "1").build());
  }

  private void respondAndClose(MeshResponse response) {
    Slot slot;
    if (current != null && current.slot.response == null) {
      slot = current.slot; // the request being received gets this answer in its place
    } else {
      slot = new Slot(false, false, false);
      owed.add(slot);
    }
    if (current != null && current.body != null) {
      current.body.release();
    }
    current = null;
    slot.keepAlive = false;
    answer(slot, response);
    closing = true;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event == ServerEvent.HEAD_TIMEOUT) {
      reject(408, "request head not received within " + ServerContext.seconds(context.headTimeoutNanos));
    } else if (event == ServerEvent.BODY_TOO_SLOW) {
      reject(408, "request body arrives slower than " + context.limits.minBodyBytesPerSecond() + " bytes/s");
    } else if (event == ServerEvent.DRAIN || event instanceof IdleStateEvent) {
      if (owed.isEmpty() && current == null) {
        ctx.close();
      }
      // otherwise the last response owed says close
    } else {
      ctx.fireUserEventTriggered(event);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    abandonAll();
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    abandonAll();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("{}: inbound connection from {} failed", context.service, ctx.channel().remoteAddress(), cause);
    ctx.close();
  }

  /** Gives back every body this connection holds: nothing more will be written for them. */
  private void abandonAll() {
    if (current != null && current.body != null) {
      current.body.release();
    }
    current = null;
    for (Slot slot : owed) {
      slot.releaseBody();
    }
    owed.clear();
  }

  private String remote() {
    if (remote == null) {
      remote = PeerAddress.of(ctx.channel());
    }
    return remote;
  }

  private WorkloadIdentity identity() {
    if (!identityKnown) {
      identity = context.identities.identityOf(ctx.channel());
      identityKnown = true;
    }
    return identity;
  }

  /** The origin-form of a request target; the path of an absolute-form one (RFC 9112 3.2). */
  private static String path(String uri) {
    if (uri.startsWith("http://") || uri.startsWith("https://")) {
      int slash = uri.indexOf('/', uri.indexOf("//") + 2);
      return slash < 0 ? "/" : uri.substring(slash);
    }
    return uri;
  }

  /** A request whose body is arriving: admitted (with a body to fill) or refused (body dropped). */
  private static final class Receiving {
    final Slot slot;
    final MeshRequest head;
    final RequestBody body;
    long discarded;

    Receiving(Slot slot, MeshRequest head, RequestBody body) {
      this.slot = slot;
      this.head = head;
      this.body = body;
    }
  }

  /** A response owed to one request, in request order, and the body held until it is answered. */
  private static final class Slot {
    final boolean head;
    final boolean http10;
    boolean keepAlive;
    MeshResponse response;
    RequestBody body;

    Slot(boolean head, boolean keepAlive, boolean http10) {
      this.head = head;
      this.keepAlive = keepAlive;
      this.http10 = http10;
    }

    void releaseBody() {
      if (body != null) {
        body.release();
        body = null;
      }
    }
  }
}
