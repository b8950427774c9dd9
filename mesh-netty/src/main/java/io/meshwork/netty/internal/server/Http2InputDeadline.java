package io.meshwork.netty.internal.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2Flags;
import io.netty.handler.codec.http2.Http2FrameLogger;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.logging.LogLevel;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Holds an HTTP/2 client to the head timeout for all it sends (slowloris): once part of a frame, or
 * a header block still waiting for its END_HEADERS, has arrived, the rest must follow within the
 * timeout, or {@code onLate} runs (the handler then sends GOAWAY and closes). A connection with
 * nothing pending is not timed here; the idle timeout closes it.
 *
 * <p>Netty's frame logger is its one hook that sees every frame the reader completes, those the
 * connection then ignores included; this subclass logs nothing and notes where the last complete
 * frame ended. Used on the connection's event loop only.
 */
final class Http2InputDeadline extends Http2FrameLogger {

  private final long timeoutNanos;
  private final Runnable onLate;
  private ChannelHandlerContext ctx;
  /** The input being decoded, so that a frame can tell where it ended. */
  private ByteBuf input;
  private int decodeStart;
  private int lastFrameEnd;
  private long pendingSince = -1;
  private ScheduledFuture<?> timer;

  Http2InputDeadline(long timeoutNanos, Runnable onLate) {
    super(LogLevel.TRACE, Http2InputDeadline.class);
    this.timeoutNanos = timeoutNanos;
    this.onLate = onLate;
  }

  /** Call before the handler decodes {@code in}. */
  void beforeDecode(ChannelHandlerContext ctx, ByteBuf in) {
    this.ctx = ctx;
    input = in;
    decodeStart = in.readerIndex();
    lastFrameEnd = -1;
  }

  /** Call after the handler decoded {@code in}: starts, keeps or ends the wait for the rest. */
  void afterDecode(ByteBuf in) {
    input = null;
    boolean completed = lastFrameEnd >= 0;
    // Bytes after the last complete frame are part of one: left in the buffer, or consumed into a
    // frame header or a header block the reader holds.
    boolean partial = in.isReadable() || in.readerIndex() > (completed ? lastFrameEnd : decodeStart);
    if (!partial) {
      if (completed) {
        stop();
      }
      return;
    }
    if (completed || pendingSince < 0) {
      pendingSince = System.nanoTime();
    }
    if (timer == null) {
      schedule(timeoutNanos);
    }
  }

  /** Stops timing; call when the connection closes. */
  void stop() {
    pendingSince = -1;
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  private void schedule(long delayNanos) {
    timer = ctx.executor().schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
  }

  private void check() {
    timer = null;
    if (pendingSince < 0) {
      return;
    }
    long late = System.nanoTime() - pendingSince - timeoutNanos;
    if (late >= 0) {
      onLate.run();
    } else {
      schedule(-late);
    }
  }

  private void frameRead(Direction direction) {
    if (direction == Direction.INBOUND && input != null) {
      lastFrameEnd = input.readerIndex();
    }
  }

  @Override
  public void logData(Direction direction, ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding,
      boolean endStream) {
    frameRead(direction);
  }

  @Override
  public void logHeaders(Direction direction, ChannelHandlerContext ctx, int streamId, Http2Headers headers,
      int padding, boolean endStream) {
    frameRead(direction);
  }

  @Override
  public void logHeaders(Direction direction, ChannelHandlerContext ctx, int streamId, Http2Headers headers,
      int streamDependency, short weight, boolean exclusive, int padding, boolean endStream) {
    frameRead(direction);
  }

  @Override
  public void logPriority(Direction direction, ChannelHandlerContext ctx, int streamId, int streamDependency,
      short weight, boolean exclusive) {
    frameRead(direction);
  }

  @Override
  public void logRstStream(Direction direction, ChannelHandlerContext ctx, int streamId, long errorCode) {
    frameRead(direction);
  }

  @Override
  public void logSettingsAck(Direction direction, ChannelHandlerContext ctx) {
    frameRead(direction);
  }

  @Override
  public void logSettings(Direction direction, ChannelHandlerContext ctx, Http2Settings settings) {
    frameRead(direction);
  }

  @Override
  public void logPing(Direction direction, ChannelHandlerContext ctx, long data) {
    frameRead(direction);
  }

  @Override
  public void logPingAck(Direction direction, ChannelHandlerContext ctx, long data) {
    frameRead(direction);
  }

  @Override
  public void logPushPromise(Direction direction, ChannelHandlerContext ctx, int streamId, int promisedStreamId,
      Http2Headers headers, int padding) {
    frameRead(direction);
  }

  @Override
  public void logGoAway(Direction direction, ChannelHandlerContext ctx, int lastStreamId, long errorCode,
      ByteBuf debugData) {
    frameRead(direction);
  }

  @Override
  public void logWindowsUpdate(Direction direction, ChannelHandlerContext ctx, int streamId,
      int windowSizeIncrement) {
    frameRead(direction);
  }

  @Override
  public void logUnknownFrame(Direction direction, ChannelHandlerContext ctx, byte frameType, int streamId,
      Http2Flags flags, ByteBuf data) {
    frameRead(direction);
  }
}
