package io.meshwork.controlplane.server.api;

/** An API answer other than success, with its status and what went wrong. */
final class ApiError extends RuntimeException {

  final int status;
  final String challenge;

  ApiError(int status, String message) {
    this(status, message, null);
  }

  /** An error whose answer carries {@code WWW-Authenticate: challenge} (a 401). */
  ApiError(int status, String message, String challenge) {
    super(message);
    this.status = status;
    this.challenge = challenge;
  }

  static ApiError notFound(String what) {
    return new ApiError(404, what + " not found");
  }
}
