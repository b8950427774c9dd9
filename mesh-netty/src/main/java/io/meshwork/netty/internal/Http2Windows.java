package io.meshwork.netty.internal;

import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2Exception;

/**
 * The HTTP/2 flow-control windows of both ends. SETTINGS only sets the per-stream window; the
 * connection window starts at 64 KiB and only a WINDOW_UPDATE enlarges it. Many concurrent streams
 * share it, so left small it would stall them waiting for updates.
 */
public final class Http2Windows {

  /** The initial window of each stream and of the whole connection. */
  public static final int WINDOW = 1024 * 1024;

  private Http2Windows() {}

  /** Enlarges the connection window we grant; call once the connection preface is sent. */
  public static void openConnectionWindow(Http2Connection connection) throws Http2Exception {
    connection.local().flowController().incrementWindowSize(connection.connectionStream(),
        WINDOW - Http2CodecUtil.DEFAULT_WINDOW_SIZE);
  }
}
