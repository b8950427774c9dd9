package io.meshwork.controlplane.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.meshwork.MeshResponse;
import io.meshwork.fleet.api.FieldError;
import io.meshwork.fleet.api.WireFormat;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** The API's answers: JSON bodies (snake_case), errors that say what was wrong, PEM and text. */
final class Responses {

  private Responses() {}

  static MeshResponse json(int status, Object body) {
    try {
      return MeshResponse.builder().status(status).header("content-type", "application/json")
          .header("cache-control", "no-store").body(WireFormat.mapper().writeValueAsBytes(body)).build();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write an answer", e);
    }
  }

  static MeshResponse ok(Object body) {
    return json(200, body);
  }

  /** {@code {"status": status}} and the extra fields, in order. */
  static MeshResponse status(String status, Object... fields) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", status);
    for (int i = 0; i + 1 < fields.length; i += 2) {
      body.put((String) fields[i], fields[i + 1]);
    }
    return ok(body);
  }

  static MeshResponse error(int status, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", message);
    return json(status, body);
  }

  /** A 400 naming the field, the value given and what was expected. */
  static MeshResponse badField(FieldError error) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", error.getMessage());
    body.put("field", error.field());
    body.put("value", error.value());
    body.put("expected", error.expected());
    return json(400, body);
  }

  static MeshResponse text(String contentType, String text) {
    return MeshResponse.builder().status(200).header("content-type", contentType)
        .body(text.getBytes(StandardCharsets.UTF_8)).build();
  }
}
