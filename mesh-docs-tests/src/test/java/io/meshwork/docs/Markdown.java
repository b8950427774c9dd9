package io.meshwork.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Reads the repository's Markdown files: README.md and docs/*.md. */
final class Markdown {

  private static final Pattern MARKER = Pattern.compile("<!--\\s*snippet:\\s*(\\S+)\\s*-->");

  private Markdown() {}

  /** The repository's root, as the build passes it. */
  static Path root() {
    String root = System.getProperty("meshwork.root");
    if (root == null) {
      throw new IllegalStateException("system property meshwork.root is not set (the build sets it)");
    }
    return Path.of(root).toAbsolutePath().normalize();
  }

  /** README.md and every docs/*.md, relative to the root. */
  static List<Path> files() {
    List<Path> files = new ArrayList<>();
    files.add(Path.of("README.md"));
    try (Stream<Path> docs = Files.list(root().resolve("docs"))) {
      docs.filter(path -> path.toString().endsWith(".md")).sorted()
          .forEach(path -> files.add(root().relativize(path)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }

  /** The text of {@code file}, relative to the root. */
  static String read(Path file) {
    try {
      return Files.readString(root().resolve(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The fenced blocks of every file in {@code language}. */
  static List<CodeBlock> blocks(String language) {
    List<CodeBlock> blocks = new ArrayList<>();
    for (Path file : files()) {
      blocks.addAll(blocks(file, language));
    }
    return blocks;
  }

  /** The fenced blocks of {@code file} in {@code language}. */
  static List<CodeBlock> blocks(Path file, String language) {
    List<CodeBlock> blocks = new ArrayList<>();
    String[] lines = read(file).split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (!lines[i].startsWith("```") || lines[i].length() == 3) {
        continue;
      }
      String fence = lines[i].substring(3).trim();
      String marker = "";
      if (i > 0) {
        Matcher m = MARKER.matcher(lines[i - 1].trim());
        marker = m.matches() ? m.group(1) : "";
      }
      StringBuilder code = new StringBuilder();
      int start = i + 1;
      for (i = start; i < lines.length && !lines[i].startsWith("```"); i++) {
        code.append(lines[i]).append('\n');
      }
      if (fence.equals(language)) {
        blocks.add(new CodeBlock(file, start + 1, fence, code.toString(), marker));
      }
    }
    return blocks;
  }
}
