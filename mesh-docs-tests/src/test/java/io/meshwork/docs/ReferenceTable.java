package io.meshwork.docs;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The table of one {@code ## Section} of docs/configuration.md: rows keyed by the first cell's
 * backticked name ({@code `timeout`}, or {@code `leaseTtl(Duration)`} for a builder's method).
 */
final class ReferenceTable {

  static final Path FILE = Path.of("docs/configuration.md");

  private final String section;
  private final List<String> header;
  private final Map<String, List<String>> rows;

  private ReferenceTable(String section, List<String> header, Map<String, List<String>> rows) {
    this.section = section;
    this.header = header;
    this.rows = rows;
  }

  /** The first table under {@code ## section}; fails when there is none. */
  static ReferenceTable of(String section) {
    String[] lines = Markdown.read(FILE).split("\n");
    int i = 0;
    while (i < lines.length && !lines[i].trim().equals("## " + section)) {
      i++;
    }
    if (i == lines.length) {
      throw new AssertionError(FILE + " has no section '## " + section + "'");
    }
    while (i < lines.length && !lines[i].startsWith("|")) {
      if (++i < lines.length && lines[i].startsWith("## ")) {
        throw new AssertionError(FILE + ": section '" + section + "' has no table");
      }
    }
    List<String> header = cells(lines[i]);
    Map<String, List<String>> rows = new LinkedHashMap<>();
    for (i += 2; i < lines.length && lines[i].startsWith("|"); i++) {
      List<String> cells = cells(lines[i]);
      String first = cells.get(0);
      if (!first.startsWith("`")) {
        throw new AssertionError(FILE + ": section '" + section + "': a row must start with a `name`: " + lines[i]);
      }
      String name = first.substring(1, first.indexOf('`', 1));
      int paren = name.indexOf('(');
      rows.put(paren < 0 ? name : name.substring(0, paren), cells);
    }
    return new ReferenceTable(section, header, rows);
  }

  String section() {
    return section;
  }

  /** The names of the rows. */
  List<String> names() {
    return List.copyOf(rows.keySet());
  }

  /** The cell of row {@code name} under {@code column}. */
  String cell(String name, String column) {
    int index = header.indexOf(column);
    if (index < 0) {
      throw new AssertionError(FILE + ": section '" + section + "' has no column '" + column + "': " + header);
    }
    List<String> row = rows.get(name);
    if (row == null) {
      throw new AssertionError(FILE + ": section '" + section + "' has no row `" + name + "`");
    }
    return row.get(index);
  }

  private static List<String> cells(String line) {
    String inner = line.trim();
    inner = inner.substring(1, inner.endsWith("|") ? inner.length() - 1 : inner.length());
    return List.of(inner.split("\\|", -1)).stream().map(String::trim).toList();
  }
}
