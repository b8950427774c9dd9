package io.meshwork.netty.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code curl -s -i} printed: the last status line, the header fields (names in lower case)
 * and the body bytes.
 */
public record CurlResponse(int status, Map<String, List<String>> headers, byte[] body) {

  /** Parses curl's output; the head ends at the first blank line after the last status line. */
  public static CurlResponse parse(byte[] output) {
    String text = new String(output, StandardCharsets.ISO_8859_1);
    int headEnd = text.indexOf("\r\n\r\n");
    // An interim 100 Continue head comes first when curl sent Expect: skip to the final head.
    while (headEnd >= 0 && text.startsWith("HTTP/1.1 1", 0) && !text.startsWith("HTTP/1.1 101")) {
      text = text.substring(headEnd + 4);
      output = Arrays.copyOfRange(output, headEnd + 4, output.length);
      headEnd = text.indexOf("\r\n\r\n");
    }
    if (headEnd < 0) {
      throw new AssertionError("curl printed no response head: " + text);
    }
    String[] lines = text.substring(0, headEnd).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
          .add(lines[i].substring(colon + 1).trim());
    }
    return new CurlResponse(status, headers, Arrays.copyOfRange(output, headEnd + 4, output.length));
  }

  /** The first value of a header, or null. */
  public String header(String name) {
    List<String> values = headers.get(name);
    return values == null ? null : values.get(0);
  }
}
