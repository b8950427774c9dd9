package io.meshwork.config;

import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Where a codec is reading: the field path, the rule it is inside (named in every error, as
 * {@code route 'beta'}), the policy it belongs to, and the findings of the whole document. Immutable;
 * each step down makes a new context.
 *
 * @param findings the errors and cross-document facts of the document being read
 * @param path the field path of the node being read
 * @param label what errors are prefixed with, such as {@code route 'beta'}; null for none
 * @param owner the service whose policy is being read ({@link Findings#DEFAULT_POLICY} for the
 *     default policy); null outside policies
 */
record ReadContext(Findings findings, ConfigPath path, String label, String owner) {

  static ReadContext root(Findings findings) {
    return new ReadContext(findings, ConfigPath.ROOT, null, null);
  }

  ReadContext field(String name) {
    return new ReadContext(findings, path.field(name), label, owner);
  }

  ReadContext key(String key) {
    return new ReadContext(findings, path.key(key), label, owner);
  }

  ReadContext index(int index) {
    return new ReadContext(findings, path.index(index), label, owner);
  }

  ReadContext labeled(String newLabel) {
    return new ReadContext(findings, path, newLabel, owner);
  }

  ReadContext ownedBy(String newOwner) {
    return new ReadContext(findings, path, label, newOwner);
  }

  /** Reports {@code message} (the value and what was expected) at {@code node} and this path. */
  void error(Node node, String message) {
    findings.error(node, path, label == null ? message : label + ": " + message);
  }

  /** The number of errors reported so far in the document: a codec compares it to see if it failed. */
  int errorCount() {
    return findings.errorCount();
  }
}
