package io.meshwork.netty.internal.server;

import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.netty.internal.BodyBuffer;
import io.meshwork.netty.internal.WireHeaders;
import io.meshwork.security.WorkloadIdentity;
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
 * The HTTP/1.1 side of the inbound server for one connection. Each whole request goes to the
 * handler as soon as it has arrived, so pipelined requests are handled concurrently, but responses
 * leave in request order: each request takes a slot in a queue and a slot is written only once all
 * before it are. Limits are answered, then the connection closed: 431 for headers, 414 for the
 * request line, 413 for the body, 400 for anything malformed.
 */
final class Http1ServerHandler extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(Http1ServerHandler.class);
  private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  /** Past this many responses owed, stop reading until some are written. */
  private static final int MAX_OWED = 32;

  private final ServerContext context;
  private final Http1ResponseEncoder encoder = new Http1ResponseEncoder();
  private final ArrayDeque<Slot> owed = new ArrayDeque<>();
  private ChannelHandlerContext ctx;
  private HttpRequest head;
  private BodyBuffer body;
  private boolean closing;
  private boolean identityKnown;
  private WorkloadIdentity identity;

  Http1ServerHandler(ServerContext context) {
    this.context = context;
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
        reject(431, "request header block larger than " + context.maxHeaderBytes + " bytes");
      } else if (cause instanceof TooLongHttpLineException) {
        reject(414, "request line too long");
      } else {
        reject(400, "malformed request: " + cause.getMessage());
      }
      return;
    }
    long length = HttpUtil.getContentLength(request, -1L);
    if (length > context.maxRequestBytes) {
      reject(413, "request body of " + length + " bytes exceeds the limit of " + context.maxRequestBytes);
      return;
    }
    if (HttpUtil.is100ContinueExpected(request) && owed.isEmpty()) {
      ctx.writeAndFlush(Unpooled.wrappedBuffer(CONTINUE), ctx.voidPromise());
    }
    head = request;
    body = new BodyBuffer(length, context.maxRequestBytes);
  }

  private void onContent(HttpContent content) {
    if (head == null) {
      return;
    }
    if (content.decoderResult().isFailure()) {
      reject(400, "malformed request body: " + content.decoderResult().cause().getMessage());
      return;
    }
    if (!body.append(content.content())) {
      reject(413, "request body exceeds the limit of " + context.maxRequestBytes + " bytes");
      return;
    }
    if (content instanceof LastHttpContent) {
      HttpRequest request = head;
      byte[] bytes = body.toArray();
      head = null;
      body = null;
      dispatch(request, bytes);
    }
  }

  private void dispatch(HttpRequest request, byte[] bytes) {
    boolean http10 = request.protocolVersion().equals(HttpVersion.HTTP_1_0);
    Slot slot = new Slot(request.method().name().equals("HEAD"), HttpUtil.isKeepAlive(request), http10);
    owed.add(slot);
    if (owed.size() >= MAX_OWED) {
      ctx.channel().config().setAutoRead(false);
    }
    MeshRequest meshRequest;
    try {
      meshRequest = MeshRequest.builder().method(request.method().name()).path(path(request.uri()))
          .headers(WireHeaders.fromHttp1(request.headers())).body(bytes).peerIdentity(identity()).build();
    } catch (IllegalArgumentException e) {
      answer(slot, RequestDispatch.error(context.service, 400, e.getMessage()));
      return;
    }
    CompletableFuture<MeshResponse> answer = RequestDispatch.call(context, meshRequest);
    if (answer.isDone()) { // answered at once: no callback, no hop
      Throwable failure = failureOf(answer);
      answer(slot, RequestDispatch.outcome(context, meshRequest, failure == null ? answer.getNow(null) : null,
          failure));
      return;
    }
    answer.whenComplete((response, failure) -> {
      MeshResponse outcome = RequestDispatch.outcome(context, meshRequest, response, failure);
      if (ctx.executor().inEventLoop()) {
        answer(slot, outcome);
      } else {
        ctx.executor().execute(() -> answer(slot, outcome));
      }
    });
  }

  /** Fills {@code slot} and writes every response now due, in request order, with one flush. */
  private void answer(Slot slot, MeshResponse response) {
    slot.response = response;
    boolean wrote = false;
    while (!owed.isEmpty() && owed.peek().response != null && ctx.channel().isActive()) {
      Slot next = owed.poll();
      // Draining: the last response owed asks the client to close; pipelined ones before it still go.
      boolean close = !next.keepAlive || (context.draining && owed.isEmpty() && head == null);
      ByteBuf out = encoder.encode(ctx.alloc(), next.response, next.head, close, next.http10 && !close);
      wrote = true;
      if (close) {
        closing = true;
        owed.clear();
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
    head = null;
    body = null;
    Slot slot = new Slot(false, false, false);
    owed.add(slot);
    answer(slot, RequestDispatch.error(context.service, status, message));
    closing = true;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event == ServerEvent.DRAIN || event instanceof IdleStateEvent) {
      if (owed.isEmpty() && head == null) {
        ctx.close();
      }
      return; // otherwise the last response owed says close
    }
    ctx.fireUserEventTriggered(event);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("{}: inbound connection from {} failed", context.service, ctx.channel().remoteAddress(), cause);
    ctx.close();
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

  private static Throwable failureOf(CompletableFuture<?> done) {
    if (!done.isCompletedExceptionally()) {
      return null;
    }
    try {
      done.join();
      return null;
    } catch (RuntimeException e) {
      return e;
    }
  }

  /** A response owed to one request, in request order. */
  private static final class Slot {
    final boolean head;
    final boolean keepAlive;
    final boolean http10;
    MeshResponse response;

    Slot(boolean head, boolean keepAlive, boolean http10) {
      this.head = head;
      this.keepAlive = keepAlive;
      this.http10 = http10;
    }
  }
}
