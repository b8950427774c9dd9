package io.meshwork.bench.report;

/** A markdown buffer with table rows. */
final class Markdown {

  private final StringBuilder text = new StringBuilder();

  void line() {
    text.append('\n');
  }

  void line(String line) {
    text.append(line).append('\n');
  }

  void row(String... cells) {
    text.append('|');
    for (String cell : cells) {
      text.append(' ').append(cell.replace("|", "\\|")).append(" |");
    }
    text.append('\n');
  }

  @Override
  public String toString() {
    return text.toString();
  }
}
