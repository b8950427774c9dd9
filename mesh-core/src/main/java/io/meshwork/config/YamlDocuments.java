package io.meshwork.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * YAML text in and out, with SnakeYAML Engine: the text is composed into a node tree (which keeps
 * the line and column of every value) and a codec reads the tree; a value is written as a plain tree
 * and dumped in block style.
 */
final class YamlDocuments {

  /** Aliases may repeat a block, but not blow a small file up into a huge one (billion laughs). */
  private static final int MAX_ALIASES = 100;
  private static final int MAX_CODE_POINTS = 8 * 1024 * 1024;

  private YamlDocuments() {}

  /** Reads the one document of {@code yaml} with {@code codec}; null text or an empty document is the default. */
  static <T> T read(String yaml, String source, ObjectCodec<T> codec) {
    Findings findings = new Findings(source, false);
    List<ConfigError> syntax = new ArrayList<>();
    Node document = compose(yaml, source == null ? "mesh.yaml" : source, source, syntax);
    if (!syntax.isEmpty()) {
      throw new InvalidConfigException(source, syntax);
    }
    return bind(document == null ? emptyMapping() : document, findings, source, codec);
  }

  /**
   * Reads several documents (by name, read in the order given) as one: each is a mapping, their
   * {@code services} are put together, and any other field may be set by one document only. Errors
   * name the document they are in.
   */
  static <T> T readAll(Map<String, String> documents, String source, ObjectCodec<T> codec) {
    Findings findings = new Findings(source, true);
    List<ConfigError> syntax = new ArrayList<>();
    List<NodeTuple> fields = new ArrayList<>();
    List<NodeTuple> services = new ArrayList<>();
    Node servicesKey = null;
    MappingNode servicesNode = null;
    for (Map.Entry<String, String> document : documents.entrySet()) {
      Node root = compose(document.getValue(), document.getKey(), document.getKey(), syntax);
      if (root == null) {
        continue;
      }
      if (!(root instanceof MappingNode mapping)) {
        findings.error(root, ConfigPath.ROOT, Nodes.show(root) + " (expected: " + codec.expected() + ")");
        continue;
      }
      for (NodeTuple tuple : mapping.getValue()) {
        boolean isServices = tuple.getKeyNode() instanceof ScalarNode key && key.getValue().equals("services");
        if (isServices && tuple.getValueNode() instanceof MappingNode map) {
          if (servicesNode == null) {
            servicesKey = tuple.getKeyNode();
            servicesNode = map;
          }
          services.addAll(map.getValue());
        } else {
          fields.add(tuple);
        }
      }
    }
    if (servicesNode != null) {
      fields.add(0, new NodeTuple(servicesKey, new MappingNode(Tag.MAP, true, services, FlowStyle.BLOCK,
          servicesNode.getStartMark(), servicesNode.getEndMark())));
    }
    // The documents that are YAML are still read, so that every error is reported at once.
    T value = null;
    try {
      value = bind(new MappingNode(Tag.MAP, fields, FlowStyle.BLOCK), findings, source, codec);
    } catch (InvalidConfigException e) {
      syntax.addAll(e.errors());
    }
    if (!syntax.isEmpty()) {
      throw new InvalidConfigException(source, syntax);
    }
    return value;
  }

  private static <T> T bind(Node document, Findings findings, String source, ObjectCodec<T> codec) {
    T value = codec.read(Nodes.isNull(document) ? emptyMapping() : document, ReadContext.root(findings));
    findings.checkSubsets();
    if (findings.errorCount() > 0) {
      throw new InvalidConfigException(source, findings.errors());
    }
    return value;
  }

  /** The node tree of {@code yaml}, named {@code label} in its marks; null when empty or not YAML. */
  private static Node compose(String yaml, String label, String source, List<ConfigError> errors) {
    LoadSettings settings = LoadSettings.builder()
        .setLabel(label)
        .setMaxAliasesForCollections(MAX_ALIASES)
        .setAllowRecursiveKeys(false)
        .setCodePointLimit(MAX_CODE_POINTS)
        .build();
    try {
      return new Compose(settings).composeString(yaml == null ? "" : yaml).orElse(null);
    } catch (MarkedYamlEngineException e) {
      errors.add(syntaxError(source, e));
    } catch (YamlEngineException e) {
      errors.add(new ConfigError(source, 0, 0, "", "not YAML: " + e.getMessage()));
    }
    return null;
  }

  private static MappingNode emptyMapping() {
    return new MappingNode(Tag.MAP, List.of(), FlowStyle.BLOCK);
  }

  /** {@code value} as a YAML document; fails naming every part YAML cannot hold. */
  static <T> String write(T value, ObjectCodec<T> codec) {
    List<String> problems = new ArrayList<>();
    Object tree = codec.write(value, new WriteContext(ConfigPath.ROOT, problems));
    if (!problems.isEmpty()) {
      throw new IllegalStateException("cannot write this config as YAML:\n  " + String.join("\n  ", problems));
    }
    DumpSettings settings = DumpSettings.builder()
        .setDefaultFlowStyle(FlowStyle.AUTO)
        .setIndent(2)
        .setIndicatorIndent(2)
        .setIndentWithIndicator(true)
        .setWidth(Integer.MAX_VALUE)
        .setSplitLines(false)
        .build();
    return new Dump(settings).dumpToString(tree);
  }

  /** A syntax error where the parser says it is: "expected ',' or ']', but got ':' (in a flow list at 1:4)". */
  private static ConfigError syntaxError(String source, MarkedYamlEngineException e) {
    Optional<Mark> mark = e.getProblemMark().or(e::getContextMark);
    int line = mark.map(m -> m.getLine() + 1).orElse(0);
    int column = mark.map(m -> m.getColumn() + 1).orElse(0);
    StringBuilder message = new StringBuilder("not YAML: ");
    message.append(e.getProblem() == null ? e.getContext() : e.getProblem().replaceFirst("^but ", ""));
    if (e.getContext() != null && e.getProblem() != null) {
      message.append(" (").append(e.getContext());
      e.getContextMark().ifPresent(m -> message.append(" at line ").append(m.getLine() + 1)
          .append(", column ").append(m.getColumn() + 1));
      message.append(')');
    }
    return new ConfigError(source, line, column, "", message.toString());
  }
}
