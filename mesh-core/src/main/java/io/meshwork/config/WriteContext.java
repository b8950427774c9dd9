package io.meshwork.config;

import java.util.List;

/**
 * Where a codec is writing, and the values found that YAML cannot express (a balancer made by a
 * lambda, decorators): each is reported with its path, and the writer fails naming all of them.
 *
 * @param path the field path being written
 * @param problems what could not be written so far, shared by the whole document
 */
record WriteContext(ConfigPath path, List<String> problems) {

  WriteContext field(String name) {
    return new WriteContext(path.field(name), problems);
  }

  WriteContext key(String key) {
    return new WriteContext(path.key(key), problems);
  }

  WriteContext index(int index) {
    return new WriteContext(path.index(index), problems);
  }

  /** The value at this path cannot be written: {@code message} says why and what would be. */
  void problem(String message) {
    problems.add(path + ": " + message);
  }
}
