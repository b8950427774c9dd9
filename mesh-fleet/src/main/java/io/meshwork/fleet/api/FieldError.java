package io.meshwork.fleet.api;

/**
 * A field of a request body that is missing, malformed or out of range: names the field (as a JSON
 * path such as {@code circuit_breaker.max_requests}), the value given and what was expected. The
 * control plane answers it with a 400 carrying those three.
 */
public final class FieldError extends RuntimeException {

  private final String field;
  private final String value;
  private final String expected;

  /** An error of {@code field}, which had {@code value} (null when missing) where {@code expected} was due. */
  public FieldError(String field, Object value, String expected) {
    super(field + ": " + (value == null ? "missing" : "'" + value + "'") + " (expected: " + expected + ")");
    this.field = field;
    this.value = value == null ? null : String.valueOf(value);
    this.expected = expected;
  }

  /** The field, as a JSON path. */
  public String field() {
    return field;
  }

  /** The value given, or null when the field was missing. */
  public String value() {
    return value;
  }

  /** What the field must hold. */
  public String expected() {
    return expected;
  }

  /** This error for a field nested under {@code parent}. */
  public FieldError under(String parent) {
    return new FieldError(parent + "." + field, value, expected);
  }
}
