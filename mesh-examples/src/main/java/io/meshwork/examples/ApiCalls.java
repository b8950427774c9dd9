package io.meshwork.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The control plane's REST API through a plain HTTP client, printing each exchange in one line or two. */
final class ApiCalls {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI base;
  private final String token;

  ApiCalls(URI base, String token) {
    this.base = base;
    this.token = token;
  }

  JsonNode get(String path) {
    return send("GET", path, null, true);
  }

  /** GET without printing the exchange. */
  JsonNode read(String path) {
    return send("GET", path, null, false);
  }

  JsonNode post(String path, String body) {
    return send("POST", path, body, true);
  }

  /** POST without printing the exchange (a bootstrap token's secret is in the answer). */
  JsonNode postQuietly(String path, String body) {
    return send("POST", path, body, false);
  }

  private JsonNode send(String method, String path, String body, boolean print) {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
        .header("authorization", "Bearer " + token)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("content-type", "application/json");
    }
    try {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode answer = JSON.readTree(response.body());
      if (print) {
        Demo.say("   " + method + " " + path + (body == null ? "" : " " + body));
        Demo.say("     -> " + response.statusCode() + " " + brief(answer));
      }
      if (response.statusCode() != 200) {
        throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": "
            + response.body());
      }
      return answer;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The answer, without the parts too long to read on a terminal. */
  private static String brief(JsonNode answer) {
    String text = answer.has("status") && answer.has("id") ? "{\"status\":\"" + answer.get("status").asText()
        + "\",\"id\":\"" + answer.get("id").asText() + "\"}" : answer.toString();
    return text.length() <= 150 ? text : text.substring(0, 147) + "...";
  }
}
