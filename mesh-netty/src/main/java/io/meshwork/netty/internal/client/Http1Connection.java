package io.meshwork.netty.internal.client;

import io.meshwork.MeshHeaders;
import io.meshwork.MeshResponse;
import io.meshwork.netty.internal.BodyBuffer;
import io.meshwork.netty.internal.tls.HandshakeFailures;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One keep-alive HTTP/1.1 connection of a pool: at most one exchange at a time (no client
 * pipelining, so a slow response never holds up another). It gathers the response, gives the
 * connection back to the pool when the response allows reuse, and closes it on anything else: a
 * failure, a malformed or oversized response, an abandoned exchange, or {@code Connection: close}.
 */
final class Http1Connection extends ChannelInboundHandlerAdapter implements ExchangeOwner {

  private static final Logger log = LoggerFactory.getLogger(Http1Connection.class);

  private final Http1LoopPool pool;
  private final Http1ResponseDecoder decoder;
  private final ResponseHeaderCache headerCache = new ResponseHeaderCache();
  private Channel channel;
  private Exchange exchange;
  private boolean interim;
  private boolean keepAlive;
  /** A response arrived: from now on a TLS error is a broken connection, not a refused handshake. */
  private boolean answered;
  /** When it last went back to the pool, for the idle timeout. */
  long idleSinceNanos;

  Http1Connection(Http1LoopPool pool, Http1ResponseDecoder decoder) {
    this.pool = pool;
    this.decoder = decoder;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    channel = ctx.channel();
  }

  boolean isActive() {
    return channel.isActive();
  }

  void close() {
    channel.close();
  }

  /** Writes {@code next}'s request; the connection is the exchange's owner until it ends. */
  void start(Exchange next) {
    exchange = next;
    next.owner = this;
    interim = false;
    decoder.headRequest = next.request.method().equals("HEAD");
    ByteBuf request;
    try {
      request = pool.encoder.encode(channel.alloc(), next.request, pool.authority, next.timeoutMillis);
    } catch (RuntimeException e) {
      exchange = null;
      next.fail(ClientFailures.unencodable(pool.service(), e));
      pool.release(this);
      return;
    }
    // A failed write reaches exceptionCaught through the void promise: no promise per request.
    channel.writeAndFlush(request, channel.voidPromise());
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof HttpResponse head) {
        onHead(head);
      }
      if (msg instanceof HttpContent content) {
        onContent(content);
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void onHead(HttpResponse head) {
    Exchange current = exchange;
    if (current == null) {
      log.debug("{}: unsolicited response from {}; closing", pool.service(), pool.address);
      channel.close();
      return;
    }
    if (head.decoderResult().isFailure()) {
      failAndClose(malformed(head.decoderResult().cause()));
      return;
    }
    int code = head.status().code();
    if (code < 200) {
      if (code == 101) {
        failAndClose(ClientFailures.malformed(pool.service(), pool.address, "unasked 101 Switching Protocols", null));
      } else {
        interim = true; // 100 Continue, 103 Early Hints: the final answer follows
      }
      return;
    }
    long length = decoder.headRequest ? -1 : HttpUtil.getContentLength(head, -1L);
    int limit = pool.maxResponseBytes();
    if (length > limit) {
      failAndClose(ClientFailures.tooLarge(pool.service(), pool.address, length, limit));
      return;
    }
    MeshHeaders headers;
    try {
      headers = headerCache.http1(head.headers());
    } catch (IllegalArgumentException e) {
      failAndClose(malformed(e));
      return;
    }
    keepAlive = HttpUtil.isKeepAlive(head);
    current.head(code, headers, new BodyBuffer(length, limit));
  }

  private void onContent(HttpContent content) {
    Exchange current = exchange;
    if (content.decoderResult().isFailure()) {
      if (current != null) {
        failAndClose(malformed(content.decoderResult().cause()));
      }
      return;
    }
    if (interim) {
      interim = !(content instanceof LastHttpContent);
      return;
    }
    if (current == null || current.status == 0) {
      return; // the rest of a response already failed; the connection is closing
    }
    if (!current.body.append(content.content())) {
      failAndClose(ClientFailures.tooLarge(pool.service(), pool.address, -1, pool.maxResponseBytes()));
      return;
    }
    if (content instanceof LastHttpContent) {
      complete(current);
    }
  }

  private void complete(Exchange done) {
    exchange = null;
    answered = true;
    MeshResponse response;
    try {
      response = done.response();
    } catch (IllegalArgumentException e) {
      done.fail(malformed(e));
      channel.close();
      return;
    }
    // Give the connection back before completing, so a call made by the caller's continuation
    // finds it idle. An inactive channel here ended a close-delimited body: never reuse it.
    if (keepAlive && channel.isActive()) {
      pool.release(this);
    } else {
      channel.close();
    }
    done.succeed(response);
  }

  @Override
  public void abandon(Exchange abandoned) {
    if (exchange == abandoned) {
      exchange = null;
      channel.close(); // mid-response: the connection cannot be reused
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    Exchange current = exchange;
    exchange = null;
    if (current != null) {
      current.fail(pool.isForcedClosed() ? ClientFailures.closed(pool.service())
          : ClientFailures.closedBeforeResponse(pool.service(), pool.address));
    }
    pool.onClosed(this);
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("{}: connection to {} failed", pool.service(), pool.address, cause);
    if (!answered && pool.isTls() && HandshakeFailures.isTlsFailure(cause)) {
      // TLS 1.3: the server checks our certificate after our side finished the handshake, and its
      // refusal comes instead of the first response. The request never reached the application.
      failAndClose(HandshakeFailures.refusedByServer(pool.service(), pool.address, cause));
      return;
    }
    failAndClose(ClientFailures.connectionFailed(pool.service(), pool.address, cause));
  }

  private void failAndClose(Throwable failure) {
    Exchange current = exchange;
    exchange = null;
    if (current != null) {
      current.fail(failure);
    }
    channel.close();
  }

  private Throwable malformed(Throwable cause) {
    return ClientFailures.malformed(pool.service(), pool.address, String.valueOf(cause.getMessage()), cause);
  }
}
