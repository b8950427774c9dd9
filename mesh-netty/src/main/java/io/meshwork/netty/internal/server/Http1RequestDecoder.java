package io.meshwork.netty.internal.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Netty's HTTP/1.1 request decoder, holding each request to the server's clock (slowloris): its
 * head must arrive within the head timeout of its first byte, and its body no slower than the
 * minimum rate. A request that arrives whole in one read costs no timer. A request that is late
 * gets {@link ServerEvent#HEAD_TIMEOUT} or {@link ServerEvent#BODY_TOO_SLOW} fired down the
 * pipeline, where the connection's handler answers 408 and closes. An idle keep-alive connection
 * is not held to anything here; the idle timeout closes it. A head with obsolete line folding is
 * turned into a failed request (see {@link ObsFoldScanner}), and nothing after it is read.
 */
final class Http1RequestDecoder extends HttpRequestDecoder {

  private enum State { IDLE, HEAD, BODY }

  private final long headTimeoutNanos;
  private final BodyRate rate;
  private ChannelHandlerContext ctx;
  private State state = State.IDLE;
  private long startNanos;
  private long bodyBytes;
  private ScheduledFuture<?> timer;
  private final ObsFoldScanner folds = new ObsFoldScanner();
  /** Bytes at the front of the input already scanned for folding (Netty left them unconsumed). */
  private int scanned;
  private boolean refused;

  Http1RequestDecoder(HttpDecoderConfig config, long headTimeoutNanos, BodyRate rate) {
    super(config);
    this.headTimeoutNanos = headTimeoutNanos;
    this.rate = rate;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
    this.ctx = ctx;
    super.handlerAdded(ctx);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
    if (refused) {
      in.skipBytes(in.readableBytes());
      return;
    }
    beginHeadIfIdle(in);
    if (state == State.HEAD && folds.foldsIn(in, in.readerIndex() + scanned, in.readableBytes() - scanned)) {
      refuseFolding(in, out);
      return;
    }
    int first = out.size();
    super.decode(ctx, in, out);
    for (int i = first; i < out.size(); i++) {
      Object message = out.get(i);
      if (message instanceof HttpRequest) {
        state = State.BODY;
        startNanos = System.nanoTime();
        bodyBytes = 0;
      }
      if (message instanceof HttpContent content) {
        bodyBytes += content.content().readableBytes();
      }
      if (message instanceof LastHttpContent) {
        state = State.IDLE;
      }
    }
    scanned = state == State.HEAD ? in.readableBytes() : 0; // what Netty left of the head was scanned
    beginHeadIfIdle(in);
    arm();
  }

  @Override
  protected void handlerRemoved0(ChannelHandlerContext ctx) throws Exception {
    cancel();
    super.handlerRemoved0(ctx);
  }

  private void beginHeadIfIdle(ByteBuf in) {
    if (state == State.IDLE && in.isReadable()) {
      state = State.HEAD;
      startNanos = System.nanoTime();
      folds.reset();
      scanned = 0;
    }
  }

  /** Hands the connection's handler a failed request (it answers 400 and closes) and reads no more. */
  private void refuseFolding(ByteBuf in, List<Object> out) {
    refused = true;
    in.skipBytes(in.readableBytes());
    cancel();
    state = State.IDLE;
    DefaultFullHttpRequest failed = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/",
        Unpooled.EMPTY_BUFFER);
    failed.setDecoderResult(DecoderResult.failure(new IllegalArgumentException(
        "obsolete line folding (a header line beginning with a space or a tab) is not accepted")));
    out.add(failed);
  }

  /** A timer while a head or a body is incomplete, none while idle. */
  private void arm() {
    if (state == State.IDLE || (state == State.BODY && !rate.enforced())) {
      cancel();
    } else if (timer == null) {
      schedule(dueIn(System.nanoTime()));
    }
  }

  private long dueIn(long now) {
    return state == State.HEAD ? Math.max(0, startNanos + headTimeoutNanos - now)
        : rate.nanosUntilDue(startNanos, bodyBytes, now);
  }

  private void check() {
    timer = null;
    long now = System.nanoTime();
    if (state == State.IDLE) {
      return;
    }
    if (!ctx.channel().config().isAutoRead()) {
      // The server stopped reading (responses owed): the client is not late, so start again.
      startNanos = now;
      bodyBytes = 0;
    } else if (state == State.HEAD && now - startNanos >= headTimeoutNanos) {
      ctx.fireUserEventTriggered(ServerEvent.HEAD_TIMEOUT);
      return;
    } else if (state == State.BODY && rate.tooSlow(startNanos, bodyBytes, now)) {
      ctx.fireUserEventTriggered(ServerEvent.BODY_TOO_SLOW);
      return;
    }
    arm();
  }

  private void schedule(long delayNanos) {
    timer = ctx.executor().schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
  }

  private void cancel() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }
}
