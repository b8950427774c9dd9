package io.meshwork.netty.internal.client;

import io.meshwork.MeshHeaders;
import io.meshwork.MeshResponse;
import io.meshwork.netty.internal.BodyBuffer;
import io.meshwork.netty.internal.Http2Windows;
import io.meshwork.netty.internal.tls.HandshakeFailures;
import io.meshwork.tracing.TraceContext;
import io.netty.buffer.ByteBuf;
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
import io.netty.util.AsciiString;

/**
 * One multiplexed HTTP/2 connection to an instance: h2c with prior knowledge, or h2 over TLS. Each
 * exchange is one stream, kept as a property of Netty's stream; the response is gathered into the
 * exchange. Responses are read by a frame listener and stream ends by a connection listener, both
 * on the connection's loop.
 */
final class Http2ClientHandler extends Http2ConnectionHandler implements ExchangeOwner {

  private final Http2InstancePool pool;
  private final Http2Connection.PropertyKey exchangeKey;
  private final ResponseHeaderCache headerCache = new ResponseHeaderCache();
  private ChannelHandlerContext ctx;
  private boolean draining;
  private boolean closeWhenIdle;
  /** The server's first SETTINGS arrived: its stream limit is known. */
  private boolean ready;
  private int goAwayLastStreamId = Integer.MAX_VALUE;
  /** The TLS error that ended the connection before the server's SETTINGS, if one did. */
  private Throwable tlsRefusal;

  private Http2ClientHandler(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder,
      Http2Settings settings, Http2InstancePool pool) {
    super(decoder, encoder, settings);
    this.pool = pool;
    this.exchangeKey = connection().newKey();
    decoder.frameListener(new ResponseListener());
    connection().addListener(new StreamListener());
  }

  /** A handler for a new connection of {@code pool}. */
  static Http2ClientHandler create(Http2InstancePool pool, int maxResponseHeaderBytes) {
    Http2Settings settings = Http2Settings.defaultSettings()
        .pushEnabled(false)
        .maxHeaderListSize(maxResponseHeaderBytes)
        .initialWindowSize(Http2Windows.WINDOW);
    return new Builder(pool, settings).build();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
    this.ctx = ctx;
    super.handlerAdded(ctx); // added after a TLS handshake, the channel is active: this sent the preface
    if (ctx.channel().isActive()) {
      Http2Windows.openConnectionWindow(connection());
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    super.channelActive(ctx); // sends the preface: a WINDOW_UPDATE may follow it
    Http2Windows.openConnectionWindow(connection());
  }

  /** Whether the server's first SETTINGS arrived. */
  boolean isReady() {
    return ready;
  }

  /** The TLS error that ended the connection before the server's SETTINGS arrived; null when none did. */
  Throwable tlsRefusal() {
    return tlsRefusal;
  }

  /** Whether new streams may start here, now or once the server's SETTINGS arrive: open, no GOAWAY. */
  boolean isUsable() {
    return !draining && ctx != null && ctx.channel().isActive() && !connection().goAwayReceived();
  }

  /**
   * Whether a stream may start now: the server's SETTINGS arrived (before them its
   * SETTINGS_MAX_CONCURRENT_STREAMS is unknown) and leave room for one more.
   */
  boolean canOpenStream() {
    return ready && isUsable() && connection().local().canOpenStream();
  }

  /** Opens a stream for {@code exchange} and writes its request with one flush. */
  void start(Exchange exchange) {
    int id = connection().local().incrementAndGetNextStreamId();
    if (id < 0) {
      draining = true; // stream ids exhausted: the pool opens a fresh connection
      exchange.fail(ClientFailures.streamRefused(pool.service(), pool.address, "stream ids exhausted"));
      pool.onSessionUnusable(this);
      return;
    }
    Http2Headers headers;
    try {
      headers = Http2RequestHeaders.of(exchange.request, pool.address, exchange.timeoutMillis);
    } catch (RuntimeException e) {
      exchange.fail(ClientFailures.unencodable(pool.service(), e));
      return;
    }
    int length = exchange.request.bodyLength();
    encoder().writeHeaders(ctx, id, headers, 0, length == 0, ctx.newPromise());
    Http2Stream stream = connection().stream(id);
    if (stream == null) {
      exchange.fail(ClientFailures.streamRefused(pool.service(), pool.address, "could not open a stream"));
      return;
    }
    exchange.streamId = id;
    exchange.owner = this;
    stream.setProperty(exchangeKey, exchange);
    if (length > 0) {
      ByteBuf data = ctx.alloc().ioBuffer(length).writeBytes(exchange.request.bodyBuffer());
      encoder().writeData(ctx, id, data, 0, true, ctx.newPromise());
    }
    flush(ctx);
  }

  /** Closes the connection once its last stream ends. */
  void closeWhenIdle() {
    closeWhenIdle = true;
    draining = true;
    if (connection().numActiveStreams() == 0) {
      ctx.close();
    }
  }

  void closeNow() {
    ctx.close();
  }

  @Override
  public void abandon(Exchange exchange) {
    Http2Stream stream = connection().stream(exchange.streamId);
    if (stream != null && stream.removeProperty(exchangeKey) != null) {
      resetStream(ctx, exchange.streamId, Http2Error.CANCEL.code(), ctx.newPromise());
      flush(ctx);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
    if (!ready && HandshakeFailures.isTlsFailure(cause)) {
      // TLS 1.3: the server's refusal of our certificate arrives where its SETTINGS would.
      tlsRefusal = cause;
      ctx.close();
      return;
    }
    super.exceptionCaught(ctx, cause);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    draining = true;
    super.channelInactive(ctx); // closes every stream: each fails in onStreamClosed
    pool.onSessionClosed(this);
  }

  private void onHeaders(int streamId, Http2Headers headers, boolean endOfStream) {
    Http2Stream stream = connection().stream(streamId);
    Exchange exchange = stream == null ? null : stream.getProperty(exchangeKey);
    if (exchange == null) {
      return;
    }
    if (exchange.status == 0) {
      int code = status(headers);
      if (code < 100 || code > 599) {
        fail(stream, exchange, ClientFailures.malformed(pool.service(), pool.address,
            "missing or bad :status " + headers.status(), null));
        return;
      }
      if (code < 200) {
        if (endOfStream) {
          fail(stream, exchange, ClientFailures.malformed(pool.service(), pool.address,
              "stream ended after an interim response", null));
        }
        return; // informational: the final head follows
      }
      boolean head = exchange.request.method().equals("HEAD");
      long length = head ? -1 : headers.getLong(HttpHeaderNames.CONTENT_LENGTH, -1L);
      if (length > pool.maxResponseBytes()) {
        fail(stream, exchange, ClientFailures.tooLarge(pool.service(), pool.address, length, pool.maxResponseBytes()));
        return;
      }
      MeshHeaders fields;
      try {
        fields = headerCache.http2(headers);
      } catch (IllegalArgumentException e) {
        fail(stream, exchange, ClientFailures.malformed(pool.service(), pool.address, e.getMessage(), e));
        return;
      }
      exchange.head(code, fields, new BodyBuffer(length, pool.maxResponseBytes()));
    }
    if (endOfStream) {
      complete(stream, exchange); // trailers, if these were, are not kept
    }
  }

  private int onData(int streamId, ByteBuf data, int padding, boolean endOfStream) {
    int processed = data.readableBytes() + padding; // consumed at once: flow control never stalls
    Http2Stream stream = connection().stream(streamId);
    Exchange exchange = stream == null ? null : stream.getProperty(exchangeKey);
    if (exchange == null) {
      return processed;
    }
    if (exchange.status == 0) {
      fail(stream, exchange, ClientFailures.malformed(pool.service(), pool.address, "DATA before HEADERS", null));
    } else if (!exchange.body.append(data)) {
      fail(stream, exchange, ClientFailures.tooLarge(pool.service(), pool.address, -1, pool.maxResponseBytes()));
    } else if (endOfStream) {
      complete(stream, exchange);
    }
    return processed;
  }

  private void onReset(int streamId, long errorCode) {
    Http2Stream stream = connection().stream(streamId);
    Exchange exchange = stream == null ? null : stream.removeProperty(exchangeKey);
    if (exchange != null) {
      Http2Error error = Http2Error.valueOf(errorCode);
      String name = error == null ? "error " + errorCode : error.name();
      exchange.fail(error == Http2Error.REFUSED_STREAM
          ? ClientFailures.streamRefused(pool.service(), pool.address, name)
          : ClientFailures.streamReset(pool.service(), pool.address, name));
    }
  }

  private void onStreamClosed(Http2Stream stream) {
    Exchange exchange = stream.removeProperty(exchangeKey);
    if (exchange != null) {
      exchange.fail(pool.isForcedClosed() ? ClientFailures.closed(pool.service())
          : stream.id() > goAwayLastStreamId
              ? ClientFailures.streamRefused(pool.service(), pool.address, "beyond the server's GOAWAY")
              : ClientFailures.closedBeforeResponse(pool.service(), pool.address));
    }
    if (closeWhenIdle && connection().numActiveStreams() == 0) {
      ctx.close();
    }
    pool.onStreamClosed(this);
  }

  private void complete(Http2Stream stream, Exchange exchange) {
    stream.removeProperty(exchangeKey);
    MeshResponse response;
    try {
      response = exchange.response();
    } catch (IllegalArgumentException e) {
      exchange.fail(ClientFailures.malformed(pool.service(), pool.address, e.getMessage(), e));
      return;
    }
    exchange.succeed(response);
  }

  private void fail(Http2Stream stream, Exchange exchange, Throwable failure) {
    stream.removeProperty(exchangeKey);
    exchange.fail(failure);
    if (stream.state() != Http2Stream.State.CLOSED) {
      resetStream(ctx, stream.id(), Http2Error.CANCEL.code(), ctx.newPromise());
      flush(ctx);
    }
  }

  private static int status(Http2Headers headers) {
    CharSequence status = headers.status();
    if (status == null || status.length() != 3) {
      return -1;
    }
    int code = 0;
    for (int i = 0; i < 3; i++) {
      char c = status.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      code = code * 10 + (c - '0');
    }
    return code;
  }

  /** Frames that concern responses. */
  private final class ResponseListener extends Http2FrameAdapter {
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

    @Override
    public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
      onReset(streamId, errorCode);
    }

    @Override
    public void onSettingsRead(ChannelHandlerContext ctx, Http2Settings settings) {
      if (!ready) {
        ready = true; // Netty applied them before telling us
        pool.onSessionReady(Http2ClientHandler.this);
      }
    }
  }

  /** Stream and connection life cycle. */
  private final class StreamListener extends Http2ConnectionAdapter {
    @Override
    public void onStreamClosed(Http2Stream stream) {
      Http2ClientHandler.this.onStreamClosed(stream);
    }

    @Override
    public void onGoAwayReceived(int lastStreamId, long errorCode, ByteBuf debugData) {
      goAwayLastStreamId = lastStreamId;
      draining = true;
      pool.onSessionUnusable(Http2ClientHandler.this);
    }
  }

  private static final AsciiString TRACEPARENT = AsciiString.cached(TraceContext.TRACEPARENT);

  /** Builds the handler with Netty's codec and our listeners. */
  private static final class Builder
      extends AbstractHttp2ConnectionHandlerBuilder<Http2ClientHandler, Builder> {
    private final Http2InstancePool pool;

    Builder(Http2InstancePool pool, Http2Settings settings) {
      this.pool = pool;
      server(false);
      initialSettings(settings);
      // close() is ours to time: the pool waits for streams before it closes a connection.
      gracefulShutdownTimeoutMillis(0);
      // Every attempt's traceparent is new: indexed, each would take a place in both ends' HPACK
      // tables and push out the fields every request repeats, which then go as literals again.
      headerSensitivityDetector((name, value) -> AsciiString.contentEquals(name, TRACEPARENT));
    }

    @Override
    protected Http2ClientHandler build() {
      return super.build();
    }

    @Override
    protected Http2ClientHandler build(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder,
        Http2Settings initialSettings) {
      return new Http2ClientHandler(decoder, encoder, initialSettings, pool);
    }
  }
}
