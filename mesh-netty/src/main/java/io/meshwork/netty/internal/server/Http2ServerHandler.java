package io.meshwork.netty.internal.server;

import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.netty.internal.Http2Windows;
import io.meshwork.netty.internal.WireHeaders;
import io.meshwork.security.WorkloadIdentity;
import io.meshwork.transport.Admission;
import io.meshwork.transport.ErrorResponses;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http2.AbstractHttp2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The h2c side of the inbound server for one connection. Each stream's head goes to
 * {@link io.meshwork.transport.InboundHandler#admit} as soon as its HEADERS arrive: a refused
 * request is answered at once and its DATA dropped. An admitted body is gathered as its DATA
 * arrives, each byte reserved against the connection's and the server's body budgets (the stream is
 * reset with REFUSED_STREAM when they are spent, so the client may retry it), and must keep to the
 * minimum rate (408). The whole request then goes to the handler and is answered on its stream.
 * Netty enforces SETTINGS_MAX_CONCURRENT_STREAMS (REFUSED_STREAM beyond it), answers 431 to a
 * header block over SETTINGS_MAX_HEADER_LIST_SIZE, and ends floods of resets and CONTINUATION
 * frames with GOAWAY; a body over the limit gets 413, a frame left unfinished past the head timeout
 * a GOAWAY.
 */
final class Http2ServerHandler extends Http2ConnectionHandler {

  private final ServerContext context;
  private final BodyBudget connectionBodies;
  private final Http2InputDeadline inputDeadline;
  private final Http2Connection.PropertyKey requestKey;
  private ChannelHandlerContext ctx;
  private boolean draining;
  private boolean identityKnown;
  private String remote;
  private WorkloadIdentity identity;
  private int receiving;
  private ScheduledFuture<?> rateCheck;

  private Http2ServerHandler(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder,
      Http2Settings settings, ServerContext context, Http2InputDeadline inputDeadline) {
    super(decoder, encoder, settings);
    this.context = context;
    this.connectionBodies = context.connectionBudget();
    this.inputDeadline = inputDeadline;
    this.requestKey = connection().newKey();
    decoder.frameListener(new RequestListener());
    connection().addListener(new StreamListener());
  }

  /** A handler for a new h2c connection of the server. */
  static Http2ServerHandler create(ServerContext context) {
    Http2Settings settings = Http2Settings.defaultSettings()
        .maxConcurrentStreams(context.limits.maxConcurrentStreams())
        .maxHeaderListSize(context.limits.maxHeaderBytes())
        .initialWindowSize(Http2Windows.WINDOW);
    Http2ServerHandler[] self = new Http2ServerHandler[1];
    Http2InputDeadline deadline = new Http2InputDeadline(context.headTimeoutNanos, () -> self[0].inputTooSlow());
    self[0] = new Builder(context, settings, deadline).build();
    return self[0];
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
    this.ctx = ctx;
    super.handlerAdded(ctx); // the channel is active: this sent the preface
    Http2Windows.openConnectionWindow(connection());
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
    inputDeadline.beforeDecode(ctx, in);
    try {
      super.decode(ctx, in, out);
    } finally {
      inputDeadline.afterDecode(in);
    }
  }

  @Override
  protected void handlerRemoved0(ChannelHandlerContext ctx) throws Exception {
    inputDeadline.stop();
    if (rateCheck != null) {
      rateCheck.cancel(false);
    }
    super.handlerRemoved0(ctx);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event == ServerEvent.DRAIN) {
      draining = true;
      goAway(ctx, connection().remote().lastStreamCreated(), Http2Error.NO_ERROR.code(),
          Unpooled.EMPTY_BUFFER, ctx.newPromise());
      flush(ctx);
      closeIfIdle();
    } else if (event instanceof IdleStateEvent) {
      closeIfIdleOrHeldByThePeer();
    } else {
      super.userEventTriggered(ctx, event);
    }
  }

  private void closeIfIdle() {
    if (connection().numActiveStreams() == 0) {
      ctx.close();
    }
  }

  /** Nothing read or written for the idle timeout: see {@link HeldByThePeer}. */
  private void closeIfIdleOrHeldByThePeer() throws Http2Exception {
    if (HeldByThePeer.everyStream(connection(), encoder().flowController())) {
      ctx.close();
    }
  }

  /** A frame or header block begun and not finished within the head timeout: the client is stalling. */
  private void inputTooSlow() {
    ByteBuf why = ByteBufUtil.writeAscii(ctx.alloc(),
        "frame not completed within " + ServerContext.seconds(context.headTimeoutNanos));
    goAway(ctx, connection().remote().lastStreamCreated(), Http2Error.ENHANCE_YOUR_CALM.code(), why,
        ctx.newPromise()).addListener(ChannelFutureListener.CLOSE);
    flush(ctx);
  }

  private void onHeaders(int streamId, Http2Headers headers, boolean endOfStream) {
    Http2Stream stream = connection().stream(streamId);
    if (stream == null) {
      return;
    }
    InboundStream inbound = stream.getProperty(requestKey);
    if (inbound != null) {
      if (endOfStream && inbound.receiving()) {
        dispatch(stream, inbound); // a second header block is trailers: not kept
      }
      return;
    }
    long length = headers.getLong(HttpHeaderNames.CONTENT_LENGTH, -1L);
    if (length > context.limits.maxRequestBytes()) {
      answerEarly(stream, ErrorResponses.of(413, context.service, "request body of " + length
          + " bytes exceeds the limit of " + context.limits.maxRequestBytes()));
      return;
    }
    MeshRequest head;
    try {
      CharSequence method = headers.method();
      CharSequence path = headers.path();
      if (method == null || path == null) {
        throw new IllegalArgumentException("missing :method or :path");
      }
      head = MeshRequest.builder().method(method.toString()).path(path.toString())
          .headers(WireHeaders.fromHttp2(headers, headers.authority(), true)).peerIdentity(identity())
          .remoteAddress(remote()).build();
    } catch (IllegalArgumentException e) {
      answerEarly(stream, ErrorResponses.of(400, context.service, e.getMessage()));
      return;
    }
    Admission admission = context.handler.admit(head);
    if (!admission.isAdmitted()) {
      answerEarly(stream, admission.answer());
      return;
    }
    inbound = InboundStream.admitted(admission.head(),
        endOfStream ? null : context.newBody(ctx.alloc(), connectionBodies));
    stream.setProperty(requestKey, inbound);
    if (endOfStream) {
      dispatch(stream, inbound);
    } else {
      receiving++;
      scheduleRateCheck();
    }
  }

  private int onData(int streamId, ByteBuf data, int padding, boolean endOfStream) {
    int processed = data.readableBytes() + padding; // kept or dropped, the window is given back at once
    Http2Stream stream = connection().stream(streamId);
    InboundStream inbound = stream == null ? null : stream.getProperty(requestKey);
    if (inbound == null || !inbound.receiving()) {
      if (inbound != null && inbound.refused) {
        discard(stream, inbound, processed);
      }
      return processed;
    }
    switch (inbound.body.append(data)) {
      case TOO_LARGE:
        answerEarly(stream, ErrorResponses.of(413, context.service, "request body exceeds the limit of "
            + context.limits.maxRequestBytes() + " bytes"));
        break;
      case NO_MEMORY:
        // Nothing was processed: REFUSED_STREAM tells the client it may send the request again.
        stopReceiving(inbound);
        inbound.refused = true;
        resetStream(ctx, streamId, Http2Error.REFUSED_STREAM.code(), ctx.newPromise());
        flush(ctx);
        break;
      default:
        if (endOfStream) {
          dispatch(stream, inbound);
        }
    }
    return processed;
  }

  /** Answers a stream before (or without) its body, whose DATA is then dropped. */
  private void answerEarly(Http2Stream stream, MeshResponse response) {
    InboundStream inbound = stream.getProperty(requestKey);
    if (inbound == null) {
      stream.setProperty(requestKey, InboundStream.refused());
    } else {
      stopReceiving(inbound);
      inbound.refused = true;
    }
    respond(stream.id(), response, false);
  }

  private void stopReceiving(InboundStream inbound) {
    if (inbound.receiving()) {
      receiving--;
    }
    inbound.releaseBody();
  }

  /**
   * The rest of a refused body is read and dropped rather than cut off at once: clients such as
   * curl 7 report a stream reset even after a complete answer. Only a client that keeps sending more
   * than another limit's worth is reset.
   */
  private void discard(Http2Stream stream, InboundStream inbound, int bytes) {
    inbound.discarded += bytes;
    if (inbound.discarded > context.limits.maxRequestBytes() && stream.state() != Http2Stream.State.CLOSED) {
      inbound.refused = false; // reset once
      resetStream(ctx, stream.id(), Http2Error.CANCEL.code(), ctx.newPromise());
      flush(ctx);
    }
  }

  private void dispatch(Http2Stream stream, InboundStream inbound) {
    if (inbound.receiving()) {
      receiving--;
    }
    inbound.dispatched = true;
    int streamId = stream.id();
    MeshRequest request = inbound.body == null || inbound.body.length() == 0 ? inbound.head
        : inbound.head.toBuilder().body(inbound.body.take()).build();
    boolean head = "HEAD".equals(request.method());
    CompletableFuture<MeshResponse> answer = context.handler.handle(request);
    answer.whenComplete((response, failure) -> {
      if (ctx.executor().inEventLoop()) {
        respond(streamId, response, head);
      } else {
        ctx.executor().execute(() -> respond(streamId, response, head));
      }
    });
  }

  /** Writes the answer of a stream, unless the client reset it meanwhile. */
  private void respond(int streamId, MeshResponse response, boolean head) {
    Http2Stream stream = connection().stream(streamId);
    if (stream == null || !ctx.channel().isActive()
        || stream.state() == Http2Stream.State.CLOSED || stream.state() == Http2Stream.State.HALF_CLOSED_LOCAL) {
      return;
    }
    ByteBuf body = null;
    int status = response.status();
    boolean bodyAllowed = status >= 200 && status != 204 && status != 304;
    if (bodyAllowed && !head && response.bodyLength() > 0) {
      body = ctx.alloc().ioBuffer(response.bodyLength()).writeBytes(response.bodyBuffer());
    }
    encoder().writeHeaders(ctx, streamId, Http2ResponseHeaders.of(response, head, bodyAllowed), 0,
        body == null, ctx.newPromise());
    if (body != null) {
      encoder().writeData(ctx, streamId, body, 0, true, ctx.newPromise());
    }
    flush(ctx);
  }

  /** While bodies arrive, looks at their rate every so often; one timer per connection. */
  private void scheduleRateCheck() {
    if (rateCheck == null && receiving > 0 && context.bodyRate.enforced()) {
      rateCheck = ctx.executor().schedule(this::checkRates, 1, TimeUnit.SECONDS);
    }
  }

  private void checkRates() {
    rateCheck = null;
    long now = System.nanoTime();
    try {
      connection().forEachActiveStream(stream -> {
        InboundStream inbound = stream.getProperty(requestKey);
        if (inbound != null && inbound.receiving()
            && context.bodyRate.tooSlow(inbound.startNanos, inbound.body.length(), now)) {
          answerEarly(stream, ErrorResponses.of(408, context.service, "request body arrives slower than "
              + context.limits.minBodyBytesPerSecond() + " bytes/s"));
        }
        return true;
      });
    } catch (Http2Exception e) {
      onError(ctx, false, e);
    }
    scheduleRateCheck();
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

  /** Frames that carry requests. */
  private final class RequestListener extends Http2FrameAdapter {
    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding,
        boolean endOfStream) {
      onHeaders(streamId, headers, endOfStream);
    }

    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers,
        int streamDependency, short weight, boolean exclusive, int padding, boolean endOfStream) {
      onHeaders(streamId, headers, endOfStream);
    }

    @Override
    public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding,
        boolean endOfStream) {
      return onData(streamId, data, padding, endOfStream);
    }
  }

  /** Gives back a stream's body when it closes, and closes a draining connection after its last one. */
  private final class StreamListener extends Http2ConnectionAdapter {
    @Override
    public void onStreamClosed(Http2Stream stream) {
      InboundStream inbound = stream.removeProperty(requestKey);
      if (inbound != null) {
        stopReceiving(inbound);
      }
      if (draining) {
        closeIfIdle();
      }
    }
  }

  /** Builds the handler with Netty's codec and our listeners. */
  private static final class Builder
      extends AbstractHttp2ConnectionHandlerBuilder<Http2ServerHandler, Builder> {
    private final ServerContext context;
    private final Http2InputDeadline inputDeadline;

    Builder(ServerContext context, Http2Settings settings, Http2InputDeadline inputDeadline) {
      this.context = context;
      this.inputDeadline = inputDeadline;
      server(true);
      initialSettings(settings);
      frameLogger(inputDeadline);
      gracefulShutdownTimeoutMillis(0); // the server times its own drain
    }

    @Override
    protected Http2ServerHandler build() {
      return super.build();
    }

    @Override
    protected Http2ServerHandler build(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder,
        Http2Settings initialSettings) {
      return new Http2ServerHandler(decoder, encoder, initialSettings, context, inputDeadline);
    }
  }
}
