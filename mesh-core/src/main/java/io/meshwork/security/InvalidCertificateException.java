package io.meshwork.security;

import io.meshwork.InvalidConfigurationException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A certificate, private key or PEM file was rejected: unreadable, not PEM, not the expected kind
 * of object, a key that does not belong to its certificate, or a certificate that cannot serve the
 * purpose it was given for. The message names the file and says what was expected. Never retried.
 */
public class InvalidCertificateException extends InvalidConfigurationException {

  private final transient Path file;

  /** A problem with {@code file}; the message is prefixed with the file's path. */
  public InvalidCertificateException(Path file, String message, Throwable cause) {
    super(null, file == null ? message : file + ": " + message, cause);
    this.file = file;
  }

  /** A problem with certificate material that did not come from a file. */
  public InvalidCertificateException(String message, Throwable cause) {
    this(null, message, cause);
  }

  /** The file concerned, when the material came from one. */
  public Optional<Path> file() {
    return Optional.ofNullable(file);
  }
}
