package io.meshwork.netty.internal.client;

import io.meshwork.MeshRequest;
import io.meshwork.netty.internal.WireHeaders;
import io.meshwork.transport.TransportHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;

/**
 * The HTTP/2 header block of a request: pseudo-headers, the caller's fields without the
 * connection-specific ones HTTP/2 forbids (RFC 9113 8.2.2), the deadline and the body length.
 */
final class Http2RequestHeaders {

  private static final AsciiString HTTP = AsciiString.cached("http");
  private static final AsciiString TIMEOUT = AsciiString.cached(TransportHeaders.TIMEOUT_MS);

  private Http2RequestHeaders() {}

  static Http2Headers of(MeshRequest request, String authority, long timeoutMillis) {
    // MeshHeaders already checked every name and value and lower-cased the names.
    Http2Headers headers = new DefaultHttp2Headers(false, request.headers().size() + 3);
    String host = request.header("host");
    headers.method(request.method()).scheme(HTTP).path(request.path())
        .authority(host != null ? host : authority);
    request.headers().forEach((name, value) -> {
      if (!WireHeaders.isHopByHop(name) && !name.equals("host") && !name.equals("content-length")
          && !name.equals(TransportHeaders.TIMEOUT_MS)) {
        headers.add(name, value);
      }
    });
    headers.setLong(TIMEOUT, timeoutMillis);
    int length = request.bodyLength();
    if (length > 0 || request.method().equals("POST") || request.method().equals("PUT")
        || request.method().equals("PATCH")) {
      headers.setInt(HttpHeaderNames.CONTENT_LENGTH, length);
    }
    return headers;
  }
}
