package io.meshwork.internal.telemetry;

import java.util.List;
import java.util.Map;

/**
 * Writes a tree of maps, lists and scalars (what a YAML parser returns) as JSON: the config in force
 * for the dashboard, from the same {@code mesh.yaml} form that {@code MeshConfig.toYaml()} writes.
 */
final class JsonTree {

  private JsonTree() {}

  static StringBuilder write(StringBuilder out, Object node) {
    if (node == null) {
      out.append("null");
    } else if (node instanceof Map<?, ?> map) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        if (!first) {
          out.append(',');
        }
        first = false;
        Json.quote(out, String.valueOf(entry.getKey()));
        write(out.append(':'), entry.getValue());
      }
      out.append('}');
    } else if (node instanceof List<?> list) {
      out.append('[');
      for (int i = 0; i < list.size(); i++) {
        write(i == 0 ? out : out.append(','), list.get(i));
      }
      out.append(']');
    } else if (node instanceof Boolean || node instanceof Integer || node instanceof Long
        || node instanceof java.math.BigInteger) {
      out.append(node);
    } else if (node instanceof Double value && !value.isNaN() && !value.isInfinite()) {
      out.append(value);
    } else {
      Json.quote(out, String.valueOf(node)); // strings, and numbers JSON has no form for (.inf, .nan)
    }
    return out;
  }
}
