package io.meshwork.netty.internal.server;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;

/**
 * Checks of an HTTP/1.1 request head beyond what Netty's decoder refuses on its own (it already
 * refuses Content-Length with Transfer-Encoding, differing Content-Lengths and CR or LF in fields):
 * one Host field (RFC 9112 3.2), and no transfer coding but {@code chunked}, only once (RFC 9112
 * 6.1, 6.3), so that no two readers of the request can frame it differently.
 */
final class Http1Framing {

  /** A head that breaks a rule: the status to answer and why. */
  record Problem(int status, String message) {}

  private Http1Framing() {}

  /** The problem of {@code request}, or null when there is none. */
  static Problem check(HttpRequest request) {
    List<String> hosts = request.headers().getAll(HttpHeaderNames.HOST);
    boolean http11 = request.protocolVersion().equals(HttpVersion.HTTP_1_1);
    if (hosts.size() > 1 || (http11 && hosts.isEmpty())) {
      return new Problem(400, "an HTTP/1.1 request needs exactly one Host field (it has " + hosts.size() + ")");
    }
    List<String> codings = request.headers().getAll(HttpHeaderNames.TRANSFER_ENCODING);
    if (codings.isEmpty()) {
      return null;
    }
    String coding = String.join(", ", codings);
    if (request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
      return new Problem(400, "Transfer-Encoding in an HTTP/1.0 request");
    }
    String[] each = coding.split(",", -1);
    for (int i = 0; i < each.length; i++) {
      boolean chunked = each[i].trim().equalsIgnoreCase("chunked");
      if (i == each.length - 1 && !chunked) {
        // Without chunked last, the body's end cannot be found (RFC 9112 6.3).
        return new Problem(400, "Transfer-Encoding '" + coding + "' does not end in chunked");
      }
      if (i < each.length - 1 && chunked) {
        return new Problem(400, "Transfer-Encoding '" + coding + "' applies chunked more than once");
      }
    }
    return each.length == 1 ? null
        : new Problem(501, "Transfer-Encoding '" + coding + "' is not supported (expected: chunked alone)");
  }
}
