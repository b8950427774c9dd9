package io.meshwork.netty.internal.server;

import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.netty.internal.BodyBuffer;
import io.meshwork.netty.internal.Http2Windows;
import io.meshwork.netty.internal.WireHeaders;
import io.meshwork.security.WorkloadIdentity;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http2.AbstractHttp2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.concurrent.CompletableFuture;

/**
 * The h2c side of the inbound server for one connection. Each stream's request is gathered in a
 * property of Netty's stream, handed to the handler when it ends, and answered on its stream when
 * the handler's future completes. Netty enforces SETTINGS_MAX_CONCURRENT_STREAMS (REFUSED_STREAM
 * beyond it) and answers 431 to a header block over SETTINGS_MAX_HEADER_LIST_SIZE; a body over the
 * limit gets 413.
 */
final class Http2ServerHandler extends Http2ConnectionHandler {

  private final ServerContext context;
  private final Http2Connection.PropertyKey requestKey;
  private ChannelHandlerContext ctx;
  private boolean draining;
  private boolean identityKnown;
  private WorkloadIdentity identity;

  private Http2ServerHandler(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder,
      Http2Settings settings, ServerContext context) {
    super(decoder, encoder, settings);
    this.context = context;
    this.requestKey = connection().newKey();
    decoder.frameListener(new RequestListener());
    connection().addListener(new StreamListener());
  }

  /** A handler for a new h2c connection of the server. */
  static Http2ServerHandler create(ServerContext context) {
    Http2Settings settings = Http2Settings.defaultSettings()
        .maxConcurrentStreams(context.maxConcurrentStreams)
        .maxHeaderListSize(context.maxHeaderBytes)
        .initialWindowSize(Http2Windows.WINDOW);
    return new Builder(context, settings).build();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
    this.ctx = ctx;
    super.handlerAdded(ctx); // the channel is active: this sent the preface
    Http2Windows.openConnectionWindow(connection());
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
      closeIfIdle();
    } else {
      super.userEventTriggered(ctx, event);
    }
  }

  private void closeIfIdle() {
    if (connection().numActiveStreams() == 0) {
      ctx.close();
    }
  }

  private void onHeaders(int streamId, Http2Headers headers, boolean endOfStream) {
    Http2Stream stream = connection().stream(streamId);
    if (stream == null) {
      return;
    }
    InboundStream request = stream.getProperty(requestKey);
    if (request == null) {
      long length = headers.getLong(HttpHeaderNames.CONTENT_LENGTH, -1L);
      request = new InboundStream(headers, new BodyBuffer(length, context.maxRequestBytes));
      stream.setProperty(requestKey, request);
      if (length > context.maxRequestBytes) {
        refuseBody(stream, request, "request body of " + length + " bytes exceeds the limit of "
            + context.maxRequestBytes);
        return;
      }
    }
    if (endOfStream && !request.answered) {
      dispatch(stream, request); // a second header block is trailers: not kept
    }
  }

  private int onData(int streamId, ByteBuf data, int padding, boolean endOfStream) {
    int processed = data.readableBytes() + padding; // consumed at once: flow control never stalls
    Http2Stream stream = connection().stream(streamId);
    InboundStream request = stream == null ? null : stream.getProperty(requestKey);
    if (request == null || request.answered) {
      if (request != null && request.refused) {
        discard(stream, request, processed);
      }
      return processed;
    }
    if (!request.body.append(data)) {
      refuseBody(stream, request, "request body exceeds the limit of " + context.maxRequestBytes + " bytes");
    } else if (endOfStream) {
      dispatch(stream, request);
    }
    return processed;
  }

  private void refuseBody(Http2Stream stream, InboundStream request, String message) {
    request.answered = true;
    request.refused = true;
    respond(stream.id(), RequestDispatch.error(context.service, 413, message), false);
  }

  /**
   * The rest of a refused body is read and dropped rather than cut off at once: clients such as
   * curl 7 report a stream reset even after a complete answer. Only a client that keeps sending more
   * than another limit's worth is reset.
   */
  private void discard(Http2Stream stream, InboundStream request, int bytes) {
    request.discarded += bytes;
    if (request.discarded > context.maxRequestBytes && stream.state() != Http2Stream.State.CLOSED) {
      request.refused = false; // reset once
      resetStream(ctx, stream.id(), Http2Error.CANCEL.code(), ctx.newPromise());
      flush(ctx);
    }
  }

  private void dispatch(Http2Stream stream, InboundStream inbound) {
    inbound.answered = true;
    int streamId = stream.id();
    Http2Headers headers = inbound.headers;
    boolean head = "HEAD".contentEquals(headers.method() == null ? "" : headers.method());
    MeshRequest request;
    try {
      CharSequence method = headers.method();
      CharSequence path = headers.path();
      if (method == null || path == null) {
        throw new IllegalArgumentException("missing :method or :path");
      }
      request = MeshRequest.builder().method(method.toString()).path(path.toString())
          .headers(WireHeaders.fromHttp2(headers, headers.authority(), true))
          .body(inbound.body.toArray()).peerIdentity(identity()).build();
    } catch (IllegalArgumentException e) {
      respond(streamId, RequestDispatch.error(context.service, 400, e.getMessage()), false);
      return;
    }
    inbound.headers = null;
    CompletableFuture<MeshResponse> answer = RequestDispatch.call(context, request);
    answer.whenComplete((response, failure) -> {
      MeshResponse outcome = RequestDispatch.outcome(context, request, response, failure);
      if (ctx.executor().inEventLoop()) {
        respond(streamId, outcome, head);
      } else {
        ctx.executor().execute(() -> respond(streamId, outcome, head));
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

  private WorkloadIdentity identity() {
    if (!identityKnown) {
      identity = context.identities.identityOf(ctx.channel());
      identityKnown = true;
    }
    return identity;
  }

  /** A request being received on one stream. */
  private static final class InboundStream {
    Http2Headers headers;
    final BodyBuffer body;
    boolean answered;
    /** Answered 413: what still comes of the body is dropped. */
    boolean refused;
    long discarded;

    InboundStream(Http2Headers headers, BodyBuffer body) {
      this.headers = headers;
      this.body = body;
    }
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

  /** Closes a draining connection when its last stream ends. */
  private final class StreamListener extends Http2ConnectionAdapter {
    @Override
    public void onStreamClosed(Http2Stream stream) {
      stream.removeProperty(requestKey);
      if (draining) {
        closeIfIdle();
      }
    }
  }

  /** Builds the handler with Netty's codec and our listeners. */
  private static final class Builder
      extends AbstractHttp2ConnectionHandlerBuilder<Http2ServerHandler, Builder> {
    private final ServerContext context;

    Builder(ServerContext context, Http2Settings settings) {
      this.context = context;
      server(true);
      initialSettings(settings);
      gracefulShutdownTimeoutMillis(0); // the server times its own drain
    }

    @Override
    protected Http2ServerHandler build() {
      return super.build();
    }

    @Override
    protected Http2ServerHandler build(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder,
        Http2Settings initialSettings) {
      return new Http2ServerHandler(decoder, encoder, initialSettings, context);
    }
  }
}
