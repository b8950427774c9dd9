package io.meshwork.netty.internal;

import io.meshwork.MeshHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http2.Http2Headers;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * Turns header fields read off the wire into {@link MeshHeaders}, leaving out the fields that only
 * describe one hop (RFC 9110 7.6.1): the mesh hands over whole messages, so framing and connection
 * management fields of the hop they came on would mislead whoever forwards them.
 */
public final class WireHeaders {

  private WireHeaders() {}

  /**
   * Whether {@code lowerCaseName} only concerns one connection: never forwarded, and forbidden in
   * HTTP/2.
   */
  public static boolean isHopByHop(String lowerCaseName) {
    switch (lowerCaseName) {
      case "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te",
          "trailer", "http2-settings":
        return true;
      default:
        return false;
    }
  }

  /** The end-to-end fields of an HTTP/1.x message. Throws IllegalArgumentException on a bad field. */
  public static MeshHeaders fromHttp1(HttpHeaders headers) {
    return fromHttp1(headers, true);
  }

  /**
   * Like {@link #fromHttp1(HttpHeaders)}; without Content-Length unless {@code keepLength}, for a
   * whole message whose body already says its length.
   */
  public static MeshHeaders fromHttp1(HttpHeaders headers, boolean keepLength) {
    if (headers.isEmpty()) {
      return MeshHeaders.empty();
    }
    MeshHeaders.Builder builder = MeshHeaders.builder();
    Iterator<Map.Entry<String, String>> fields = headers.iteratorAsString();
    while (fields.hasNext()) {
      Map.Entry<String, String> field = fields.next();
      String name = lowerCase(field.getKey());
      if (!isHopByHop(name) && (keepLength || !name.equals("content-length"))) {
        builder.add(name, field.getValue());
      }
    }
    return builder.build();
  }

  /**
   * The regular fields of an HTTP/2 header block, pseudo-headers left out. Throws
   * IllegalArgumentException on a bad field.
   */
  public static MeshHeaders fromHttp2(Http2Headers headers) {
    return fromHttp2(headers, null, true);
  }

  /**
   * Like {@link #fromHttp2(Http2Headers)}, with {@code host} first when not null (a request's
   * :authority, so handlers find the host where an HTTP/1.1 request has it), and without
   * Content-Length unless {@code keepLength}.
   */
  public static MeshHeaders fromHttp2(Http2Headers headers, CharSequence host, boolean keepLength) {
    MeshHeaders.Builder builder = null;
    if (host != null && !headers.contains("host")) {
      builder = MeshHeaders.builder().add("host", host.toString());
    }
    for (Map.Entry<CharSequence, CharSequence> field : headers) {
      CharSequence name = field.getKey();
      if (name.length() == 0 || name.charAt(0) == ':') {
        continue;
      }
      String text = name.toString();
      if (isHopByHop(text) || (!keepLength && text.equals("content-length"))) {
        continue;
      }
      if (builder == null) {
        builder = MeshHeaders.builder();
      }
      builder.add(text, field.getValue().toString());
    }
    return builder == null ? MeshHeaders.empty() : builder.build();
  }

  private static String lowerCase(String name) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        return name.toLowerCase(Locale.ROOT);
      }
    }
    return name;
  }
}
