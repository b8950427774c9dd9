package io.meshwork;

/** A configuration was rejected; the message names the field, the value and what was expected. */
public class InvalidConfigurationException extends MeshException {

  /** A failure concerning {@code service}. */
  public InvalidConfigurationException(String service, String message, Throwable cause) {
    super(service, message, cause);
  }

  /** A failure concerning {@code service}, with no cause. */
  public InvalidConfigurationException(String service, String message) {
    super(service, message, null);
  }

  @Override
  public boolean mayHaveBeenProcessed() {
    return false;
  }
}
