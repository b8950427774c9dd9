package io.meshwork.netty.internal.server;

import io.meshwork.MeshResponse;
import io.meshwork.netty.internal.WireHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;

/** The HTTP/2 header block of a response, without the fields HTTP/2 forbids (RFC 9113 8.2.2). */
final class Http2ResponseHeaders {

  private Http2ResponseHeaders() {}

  static Http2Headers of(MeshResponse response, boolean head, boolean bodyAllowed) {
    // MeshHeaders already checked every name and value and lower-cased the names.
    Http2Headers headers = new DefaultHttp2Headers(false, response.headers().size() + 2);
    headers.status(HttpResponseStatus.valueOf(response.status()).codeAsText());
    response.headers().forEach((name, value) -> {
      if (!WireHeaders.isHopByHop(name) && !name.equals("content-length")) {
        headers.add(name, value);
      }
    });
    String given = response.header("content-length");
    if (head && given != null && response.bodyLength() == 0) {
      headers.set(HttpHeaderNames.CONTENT_LENGTH, given);
    } else if (bodyAllowed) {
      headers.setInt(HttpHeaderNames.CONTENT_LENGTH, response.bodyLength());
    }
    return headers;
  }
}
