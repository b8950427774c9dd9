package io.meshwork.docs;

import java.nio.file.Path;

/**
 * A fenced code block of a Markdown file.
 *
 * @param file the file, relative to the repository's root
 * @param line the line of the block's first code line, 1-based
 * @param language the fence's language, such as {@code java}
 * @param code the code
 * @param marker what the {@code <!-- snippet: ... -->} comment right above the fence says, or ""
 */
record CodeBlock(Path file, int line, String language, String code, String marker) {

  /** Where the block is, as {@code docs/user-guide.md:42}. */
  String where() {
    return file + ":" + line;
  }

  /** Whether the block is marked to be run, not only compiled. */
  boolean runs() {
    return marker.equals("run");
  }
}
