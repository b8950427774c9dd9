package io.meshwork.netty.internal.client;

import io.meshwork.MeshHeaders;
import io.meshwork.netty.internal.WireHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;

/**
 * Turns the header fields of each response on one connection into {@link MeshHeaders}, reusing the
 * previous result while the fields stay the same, as they mostly do between two services: comparing
 * is one pass with no allocation, while converting copies and validates every field. Every field the
 * server sent is kept, Content-Length included (hop-by-hop fields aside). Confined to its
 * connection's event loop.
 */
final class ResponseHeaderCache {

  private CharSequence[] fields = new CharSequence[16];
  private int size = -1;
  private MeshHeaders converted;

  /** The fields of an HTTP/1.1 response. */
  MeshHeaders http1(HttpHeaders headers) {
    if (matches(headers.iteratorCharSequence())) {
      return converted;
    }
    MeshHeaders result = WireHeaders.fromHttp1(headers, true);
    remember(headers.iteratorCharSequence(), result);
    return result;
  }

  /** The regular fields of an HTTP/2 response. */
  MeshHeaders http2(Http2Headers headers) {
    if (matches(headers.iterator())) {
      return converted;
    }
    MeshHeaders result = WireHeaders.fromHttp2(headers, null, true);
    remember(headers.iterator(), result);
    return result;
  }

  private boolean matches(Iterator<Map.Entry<CharSequence, CharSequence>> received) {
    if (size < 0) {
      return false;
    }
    int at = 0;
    while (received.hasNext()) {
      Map.Entry<CharSequence, CharSequence> field = received.next();
      if (skipped(field.getKey())) {
        continue;
      }
      if (at + 2 > size || !AsciiString.contentEquals(fields[at], field.getKey())
          || !AsciiString.contentEquals(fields[at + 1], field.getValue())) {
        return false;
      }
      at += 2;
    }
    return at == size;
  }

  private void remember(Iterator<Map.Entry<CharSequence, CharSequence>> received, MeshHeaders result) {
    int at = 0;
    while (received.hasNext()) {
      Map.Entry<CharSequence, CharSequence> field = received.next();
      if (skipped(field.getKey())) {
        continue;
      }
      if (at + 2 > fields.length) {
        fields = Arrays.copyOf(fields, fields.length * 2);
      }
      // Decoded names and values are not changed afterwards: keeping the references is safe.
      fields[at++] = field.getKey();
      fields[at++] = field.getValue();
    }
    Arrays.fill(fields, at, fields.length, null);
    size = at;
    converted = result;
  }

  /** Pseudo-headers are not fields of the response. */
  private static boolean skipped(CharSequence name) {
    return name.length() > 0 && name.charAt(0) == ':';
  }
}
