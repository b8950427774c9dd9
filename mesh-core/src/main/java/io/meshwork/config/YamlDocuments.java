package io.meshwork.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;

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
    Findings findings = new Findings(source);
    LoadSettings settings = LoadSettings.builder()
        .setLabel(source == null ? "mesh.yaml" : source)
        .setMaxAliasesForCollections(MAX_ALIASES)
        .setAllowRecursiveKeys(false)
        .setCodePointLimit(MAX_CODE_POINTS)
        .build();
    Optional<Node> root;
    try {
      root = new Compose(settings).composeString(yaml == null ? "" : yaml);
    } catch (MarkedYamlEngineException e) {
      throw new InvalidConfigException(source, List.of(syntaxError(source, e)), e);
    } catch (YamlEngineException e) {
      throw new InvalidConfigException(source, List.of(new ConfigError(source, 0, 0, "",
          "not YAML: " + e.getMessage())), e);
    }
    Node document = root.orElse(null);
    if (document == null || Nodes.isNull(document)) {
      document = new org.snakeyaml.engine.v2.nodes.MappingNode(
          org.snakeyaml.engine.v2.nodes.Tag.MAP, List.of(), FlowStyle.BLOCK);
    }
    T value = codec.read(document, ReadContext.root(findings));
    findings.checkSubsets();
    if (findings.errorCount() > 0) {
      throw new InvalidConfigException(source, findings.errors());
    }
    return value;
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
