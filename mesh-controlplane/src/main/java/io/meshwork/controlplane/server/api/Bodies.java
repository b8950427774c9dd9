package io.meshwork.controlplane.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshwork.MeshRequest;
import io.meshwork.fleet.api.FieldError;
import io.meshwork.fleet.api.WireFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads request bodies strictly: a JSON object, no unknown field, every field of its type. What is
 * wrong becomes a {@link FieldError} naming the field (as a path such as {@code circuit_breaker.max_requests}),
 * the value and what was expected.
 */
final class Bodies {

  private Bodies() {}

  /** The body of {@code request} as a {@code type}. */
  static <T> T read(MeshRequest request, Class<T> type) {
    return bind(tree(request), type);
  }

  /** The body as a JSON object. */
  static ObjectNode tree(MeshRequest request) {
    if (request.bodyLength() == 0) {
      throw new FieldError("(body)", null, "a JSON object");
    }
    JsonNode node;
    try {
      node = WireFormat.mapper().readTree(request.body());
    } catch (JsonProcessingException e) {
      throw new FieldError("(body)", excerpt(request.bodyAsString()), "valid JSON: "
          + e.getOriginalMessage());
    } catch (IOException e) {
      throw new FieldError("(body)", null, "a readable JSON object");
    }
    if (!(node instanceof ObjectNode object)) {
      throw new FieldError("(body)", excerpt(request.bodyAsString()), "a JSON object");
    }
    return object;
  }

  /** {@code node} as a {@code type}. */
  static <T> T bind(JsonNode node, Class<T> type) {
    try {
      return WireFormat.mapper().treeToValue(node, type);
    } catch (UnrecognizedPropertyException e) {
      List<String> known = new ArrayList<>();
      if (e.getKnownPropertyIds() != null) {
        e.getKnownPropertyIds().forEach(id -> known.add(String.valueOf(id)));
      }
      known.sort(String::compareTo);
      throw new FieldError(path(e), e.getPropertyName(), "no unknown fields; known fields here: " + known);
    } catch (InvalidFormatException e) {
      throw new FieldError(path(e), e.getValue(), describe(e.getTargetType()));
    } catch (MismatchedInputException e) {
      throw new FieldError(path(e), valueAt(node, e), describe(e.getTargetType()));
    } catch (JsonMappingException e) {
      Throwable cause = e.getCause();
      if (cause instanceof FieldError error) {
        throw error;
      }
      throw new FieldError(path(e), null, "a valid value: " + e.getOriginalMessage());
    } catch (JsonProcessingException e) {
      throw new FieldError("(body)", null, "valid JSON: " + e.getOriginalMessage());
    }
  }

  private static String path(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference reference : e.getPath()) {
      if (reference.getFieldName() != null) {
        if (path.length() > 0) {
          path.append('.');
        }
        path.append(reference.getFieldName());
      } else if (reference.getIndex() >= 0) {
        path.append('[').append(reference.getIndex()).append(']');
      }
    }
    return path.length() == 0 ? "(body)" : path.toString();
  }

  private static String valueAt(JsonNode root, JsonMappingException e) {
    JsonNode node = root;
    for (JsonMappingException.Reference reference : e.getPath()) {
      if (node == null) {
        return null;
      }
      node = reference.getFieldName() != null ? node.get(reference.getFieldName()) : node.get(reference.getIndex());
    }
    return node == null || node.isMissingNode() ? null : excerpt(node.isTextual() ? node.asText() : node.toString());
  }

  private static String describe(Class<?> type) {
    if (type == null) {
      return "a value of another type";
    }
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "a whole number";
    }
    if (type == Double.class || type == double.class) {
      return "a number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a string";
    }
    if (java.util.Map.class.isAssignableFrom(type)) {
      return "a JSON object of strings";
    }
    if (java.util.List.class.isAssignableFrom(type)) {
      return "a JSON array";
    }
    return "a JSON object";
  }

  static String excerpt(String text) {
    String flat = text.strip();
    return flat.length() <= 80 ? flat : flat.substring(0, 80) + "...";
  }
}
