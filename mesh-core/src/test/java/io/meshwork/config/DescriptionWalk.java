package io.meshwork.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Walks a valid document along the description, as the reader does, and records what tests need:
 * each record mapping (where an unknown field can be put), each scalar (with the codec that reads
 * it), and which fields and kinds of the description the document sets.
 */
final class DescriptionWalk {

  /** A mapping read as a record: {@code codec} reads it at {@code path}, inside {@code label}. */
  record RecordSite(ObjectCodec<?> codec, MappingNode node, String path, String label) {}

  /** A scalar that {@code codec} reads at {@code path}, inside {@code label}. */
  record ScalarSite(Codec<?> codec, ScalarNode node, String path, String label) {}

  final List<RecordSite> records = new ArrayList<>();
  final List<ScalarSite> scalars = new ArrayList<>();
  final Set<String> covered = new LinkedHashSet<>();

  /** Walks {@code yaml} (valid) from the top of the description. */
  static DescriptionWalk of(String yaml) {
    Node root = new Compose(LoadSettings.builder().build()).composeString(yaml).orElseThrow();
    DescriptionWalk walk = new DescriptionWalk();
    walk.visit(MeshYaml.MESH_CONFIG, root, ConfigPath.ROOT, null);
    return walk;
  }

  /** Every field and kind the description has, as {@code Type.field} and {@code Choice.key}. */
  static Set<String> everything() {
    Set<String> all = new LinkedHashSet<>();
    Set<Codec<?>> seen = new java.util.HashSet<>();
    List<Codec<?>> pending = new ArrayList<>(List.of(MeshYaml.MESH_CONFIG));
    while (!pending.isEmpty()) {
      Codec<?> codec = pending.remove(pending.size() - 1);
      if (!seen.add(codec)) {
        continue;
      }
      if (codec instanceof ObjectCodec<?> object) {
        object.fields().forEach(field -> all.add(object.name() + "." + field.name()));
      } else if (codec instanceof ChoiceCodec<?> choice) {
        if (choice.shorthand() != null) {
          all.add(choice.name() + ".(scalar)");
        }
        choice.alternatives().forEach(alternative -> all.add(choice.name() + "." + alternative.key()));
      }
      pending.addAll(codec.children());
    }
    return all;
  }

  private void visit(Codec<?> codec, Node node, ConfigPath path, String label) {
    if (codec instanceof ObjectCodec<?> object) {
      MappingNode mapping = (MappingNode) node;
      String inner = label;
      if (object == RouteYaml.ROUTE_RULE) {
        inner = "route '" + ((ScalarNode) Nodes.valueOf(mapping, "name")).getValue() + "'";
      }
      records.add(new RecordSite(object, mapping, path.toString(), inner));
      for (NodeTuple tuple : mapping.getValue()) {
        String key = ((ScalarNode) tuple.getKeyNode()).getValue();
        Field<?> field = object.fields().stream().filter(f -> f.name().equals(key)).findFirst().orElseThrow();
        covered.add(object.name() + "." + key);
        // A rule's name is read before the rule labels its errors with it.
        boolean nameOfRule = object == RouteYaml.ROUTE_RULE && key.equals("name");
        visit(field.codec(), tuple.getValueNode(), path.field(key), nameOfRule ? label : inner);
      }
    } else if (codec instanceof ChoiceCodec<?> choice) {
      if (node instanceof ScalarNode scalar) {
        covered.add(choice.name() + ".(scalar)");
        scalars.add(new ScalarSite(choice, scalar, path.toString(), label));
        return;
      }
      NodeTuple tuple = ((MappingNode) node).getValue().get(0);
      String key = ((ScalarNode) tuple.getKeyNode()).getValue();
      covered.add(choice.name() + "." + key);
      Codec<?> inner = choice.alternatives().stream().filter(a -> a.key().equals(key)).findFirst()
          .orElseThrow().codec();
      visit(inner, tuple.getValueNode(), path.field(key), label);
    } else if (codec instanceof ListCodec<?>) {
      List<Node> items = ((SequenceNode) node).getValue();
      for (int i = 0; i < items.size(); i++) {
        visit(codec.children().get(0), items.get(i), path.index(i), label);
      }
    } else if (codec instanceof MapCodec<?>) {
      for (NodeTuple tuple : ((MappingNode) node).getValue()) {
        visit(codec.children().get(0), tuple.getValueNode(), path.key(((ScalarNode) tuple.getKeyNode()).getValue()),
            label);
      }
    } else if (!codec.children().isEmpty()) {
      visit(codec.children().get(0), node, path, label); // a mapped or scoped codec
    } else {
      scalars.add(new ScalarSite(codec, (ScalarNode) node, path.toString(), label));
    }
  }

  /** The written tree's keys, walked the same way (for documents written by {@code toYaml}). */
  static Set<String> coveredBy(String yaml) {
    return of(yaml).covered;
  }

  static String prefix(String label) {
    return label == null ? "" : label + ": ";
  }

  /** A plain map of a scalar's place, for messages. */
  static Map<String, Object> place(Node node) {
    return Map.of("line", Nodes.line(node), "column", node.getStartMark().orElseThrow().getColumn() + 1);
  }
}
