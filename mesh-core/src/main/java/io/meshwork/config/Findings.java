package io.meshwork.config;

import io.meshwork.traffic.RouteDestination;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * What reading one document found: its errors, and what the checks across the document need (the
 * subsets each service declares, the subsets routes send calls to). Those checks run once the whole
 * document is read, so they can report alongside every other error.
 */
final class Findings {

  /** The owner of the default policy: no service name can start with '('. */
  static final String DEFAULT_POLICY = "(defaultPolicy)";

  private final String source;
  private final boolean sourceFromMarks;
  private final List<ConfigError> errors = new ArrayList<>();
  private final Map<String, Set<String>> declaredSubsets = new HashMap<>();
  private final List<SubsetReference> references = new ArrayList<>();

  /**
   * @param source the document's name in errors
   * @param sourceFromMarks whether each error names the document its node comes from (documents read
   *     as one), rather than {@code source}
   */
  Findings(String source, boolean sourceFromMarks) {
    this.source = source;
    this.sourceFromMarks = sourceFromMarks;
  }

  void error(Node node, ConfigPath path, String message) {
    int line = 0;
    int column = 0;
    String where = source;
    if (node != null && node.getStartMark().isPresent()) {
      line = node.getStartMark().get().getLine() + 1;
      column = node.getStartMark().get().getColumn() + 1;
      where = sourceFromMarks ? node.getStartMark().get().getName() : source;
    }
    errors.add(new ConfigError(where, line, column, path.toString(), message));
  }

  int errorCount() {
    return errors.size();
  }

  List<ConfigError> errors() {
    return errors;
  }

  /** The policy of {@code owner} declares {@code subsets}; null when they could not be read. */
  void declareSubsets(String owner, Set<String> subsets) {
    declaredSubsets.put(owner, subsets);
  }

  /** A route of the document sends calls (or copies) to {@code destination}, read from {@code node}. */
  void referSubset(RouteDestination destination, Node node, ReadContext context) {
    if (destination.subset() != null) {
      references.add(new SubsetReference(destination, node, context));
    }
  }

  /**
   * Checks each subset a route names against the policy of the destination service: its own when the
   * document has one, the default policy's otherwise. Subsets of a policy that could not be read are
   * not checked (its own errors are reported).
   */
  void checkSubsets() {
    for (SubsetReference reference : references) {
      String service = reference.destination().service();
      Set<String> declared = declaredSubsets.containsKey(service) ? declaredSubsets.get(service)
          : declaredSubsets.getOrDefault(DEFAULT_POLICY, Set.of());
      if (declared == null || declared.contains(reference.destination().subset())) {
        continue;
      }
      String whose = declaredSubsets.containsKey(service) ? "services." + service + " declares"
          : "defaultPolicy declares, as " + service + " has no policy of its own";
      reference.context().field("subset").error(reference.node(), "'" + reference.destination().subset()
          + "' (expected: a subset " + whose + (declared.isEmpty() ? "; it declares none"
          : ": " + String.join(", ", declared.stream().sorted().toList())) + ")");
    }
  }

  private record SubsetReference(RouteDestination destination, Node node, ReadContext context) {}
}
