package io.meshwork.transport;

import io.meshwork.MeshResponse;
import io.meshwork.security.JsonText;

/**
 * Every error answer of the inbound side, built here and nowhere else: the mesh's own checks (400
 * for a refused path, 403 for a denial, 504 for a passed deadline, 500 for a handler that failed)
 * and the limits of the transports' servers (400, 408, 413, 414, 431, 501, 503). The body is a small
 * JSON object, {@code {"error":"...","reason":"...","service":"..."}} (the reason only when there is
 * one), each value escaped, so nothing a client sent can break it.
 */
public final class ErrorResponses {

  private ErrorResponses() {}

  /** An answer of {@code status} saying {@code error}, from {@code service}. */
  public static MeshResponse of(int status, String service, String error) {
    return builder(status, service, error, null).build();
  }

  /** An answer of {@code status} saying {@code error} because of {@code reason}, from {@code service}. */
  public static MeshResponse of(int status, String service, String error, String reason) {
    return builder(status, service, error, reason).build();
  }

  /** Like {@link #of(int, String, String, String)}, for a caller that adds headers (Retry-After). */
  public static MeshResponse.Builder builder(int status, String service, String error, String reason) {
    StringBuilder json = new StringBuilder(64).append("{\"error\":").append(JsonText.quote(String.valueOf(error)));
    if (reason != null) {
      json.append(",\"reason\":").append(JsonText.quote(reason));
    }
    json.append(",\"service\":").append(JsonText.quote(String.valueOf(service))).append('}');
    return MeshResponse.builder().status(status).header("content-type", "application/json").body(json.toString());
  }
}
