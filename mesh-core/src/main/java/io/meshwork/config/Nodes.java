package io.meshwork.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/** What codecs need to know of YAML nodes: how to show one in a message, and a mapping's entries. */
final class Nodes {

  private static final int SHOWN = 80;

  private Nodes() {}

  /**
   * The node as an error message shows the value: a string in quotes, a number, boolean or null as
   * written, a collection by its kind.
   */
  static String show(Node node) {
    if (node instanceof MappingNode mapping) {
      return mapping.getValue().isEmpty() ? "{}" : "a mapping";
    }
    if (node instanceof SequenceNode sequence) {
      return sequence.getValue().isEmpty() ? "[]" : "a list";
    }
    ScalarNode scalar = (ScalarNode) node;
    String text = scalar.getValue();
    if (text.length() > SHOWN) {
      text = text.substring(0, SHOWN) + "...";
    }
    if (isNull(node)) {
      return "null";
    }
    return scalar.getTag().equals(Tag.STR) ? "'" + printable(text) + "'" : text;
  }

  /**
   * {@code node} as a scalar of one of {@code tags} (YAML's JSON schema: a quoted or plain string is
   * str, {@code 12} int, {@code 1.5} float, {@code true} bool, {@code null} null), or null after
   * reporting it as not {@code expected}.
   */
  static ScalarNode scalar(Node node, ReadContext context, String expected, Tag... tags) {
    if (node instanceof ScalarNode scalar) {
      for (Tag tag : tags) {
        if (scalar.getTag().equals(tag)) {
          return scalar;
        }
      }
    }
    context.error(node, show(node) + " (expected: " + expected + ")");
    return null;
  }

  /**
   * {@code node} as a string, or null after reporting it; a plain scalar YAML reads as a number or a
   * boolean is answered with how to quote it.
   */
  static ScalarNode string(Node node, ReadContext context, String expected) {
    if (node instanceof ScalarNode scalar && !scalar.getTag().equals(Tag.STR) && !isNull(node)) {
      context.error(node, show(node) + " (expected: " + expected + "; quote it: '" + scalar.getValue() + "')");
      return null;
    }
    return scalar(node, context, expected, Tag.STR);
  }

  /** {@code text} with control characters escaped, so that a message stays on one line. */
  static String printable(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> out.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
      }
    }
    return out.toString();
  }

  /** Whether the node is YAML's null: {@code null}, or a key with nothing after it. */
  static boolean isNull(Node node) {
    return node instanceof ScalarNode scalar && scalar.getTag().equals(Tag.NULL);
  }

  /**
   * The entries of {@code mapping} by key, each key a string that appears once and is one of
   * {@code known}; reports every other key (with a suggestion when one is close) and leaves it out.
   *
   * @param what the kind of key, for messages: "field", "balancer"
   */
  static Map<String, NodeTuple> entries(MappingNode mapping, ReadContext context, List<String> known,
      String what) {
    Map<String, NodeTuple> entries = new LinkedHashMap<>();
    for (NodeTuple tuple : mapping.getValue()) {
      Node keyNode = tuple.getKeyNode();
      if (!(keyNode instanceof ScalarNode key) || !key.getTag().equals(Tag.STR)) {
        context.error(keyNode, "key " + show(keyNode) + " (expected: a " + what + " name)");
        continue;
      }
      String name = key.getValue();
      ReadContext at = context.field(name);
      if (entries.containsKey(name)) {
        at.error(keyNode, "'" + name + "' is set twice (expected: once; first at "
            + where(entries.get(name).getKeyNode(), keyNode) + ")");
      } else if (!known.contains(name)) {
        at.error(keyNode, "unknown " + what + " '" + name + "' (expected: " + oneOf(known)
            + suggestion(name, known) + ")");
      } else {
        entries.put(name, tuple);
      }
    }
    return entries;
  }

  /** The value node of key {@code name} of {@code node}, or null when it is no mapping or has none. */
  static Node valueOf(Node node, String name) {
    if (node instanceof MappingNode mapping) {
      for (NodeTuple tuple : mapping.getValue()) {
        if (tuple.getKeyNode() instanceof ScalarNode key && key.getValue().equals(name)) {
          return tuple.getValueNode();
        }
      }
    }
    return null;
  }

  /** "one of a, b, c" or "a" alone. */
  static String oneOf(List<String> names) {
    return names.size() == 1 ? names.get(0) : "one of " + String.join(", ", names);
  }

  /** "line 3", or "line 3 of /meshwork/config/a" when {@code first} is in another document than {@code second}. */
  static String where(Node first, Node second) {
    String name = first.getStartMark().map(mark -> mark.getName()).orElse(null);
    String other = second.getStartMark().map(mark -> mark.getName()).orElse(null);
    return "line " + line(first) + (name != null && !name.equals(other) ? " of " + name : "");
  }

  static int line(Node node) {
    return node.getStartMark().map(mark -> mark.getLine() + 1).orElse(0);
  }

  /**
   * "; did you mean 'retries'?" when one known name is nearest to {@code name} within a couple of
   * edits (case aside), or failing that is the only one that starts alike.
   */
  static String suggestion(String name, List<String> known) {
    String nearest = null;
    int best = Integer.MAX_VALUE;
    boolean tie = false;
    for (String candidate : known) {
      int distance = distance(candidate.toLowerCase(Locale.ROOT), name.toLowerCase(Locale.ROOT));
      if (distance < best) {
        nearest = candidate;
        best = distance;
        tie = false;
      } else if (distance == best) {
        tie = true;
      }
    }
    if (nearest != null && !tie && best <= (name.length() >= 5 ? 2 : 1)) {
      return "; did you mean '" + nearest + "'?";
    }
    List<String> alike = known.stream().filter(candidate -> commonPrefix(candidate, name) >= 4).toList();
    return alike.size() == 1 ? "; did you mean '" + alike.get(0) + "'?" : "";
  }

  private static int commonPrefix(String a, String b) {
    int i = 0;
    while (i < a.length() && i < b.length() && Character.toLowerCase(a.charAt(i)) == Character.toLowerCase(b.charAt(i))) {
      i++;
    }
    return i;
  }

  private static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
