package io.meshwork;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Captures what the access log writes: slf4j-simple writes to the current {@code System.err}, so
 * the lines the real logger formats are read back, not a copy the mesh made for the test.
 */
final class AccessLogCapture implements AutoCloseable {

  private static final String MARKER = " io.meshwork.access - ";

  private final PrintStream original = System.err;
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

  AccessLogCapture() {
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
  }

  /** The access log lines so far, without the logger's prefix. */
  synchronized List<String> lines() {
    System.err.flush();
    List<String> lines = new ArrayList<>();
    for (String line : captured.toString(StandardCharsets.UTF_8).split("\n")) {
      int at = line.indexOf(MARKER);
      if (at >= 0) {
        lines.add(line.substring(at + MARKER.length()));
      }
    }
    return lines;
  }

  /** The access log lines parsed as JSON. */
  List<JsonNode> json() throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    List<JsonNode> nodes = new ArrayList<>();
    for (String line : lines()) {
      nodes.add(mapper.readTree(line));
    }
    return nodes;
  }

  @Override
  public void close() {
    System.setErr(original);
    original.print(captured.toString(StandardCharsets.UTF_8));
  }
}
