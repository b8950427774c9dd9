package io.meshwork.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.MeshResponse;
import org.junit.jupiter.api.Test;

/** Every error answer of the inbound side has one JSON shape, with every value escaped. */
class ErrorResponsesTest {

  @Test
  void anErrorIsASmallJsonBody() {
    MeshResponse response = ErrorResponses.of(413, "upload", "request body of 5000 bytes exceeds the limit of 1000");
    assertThat(response.status()).isEqualTo(413);
    assertThat(response.header("content-type")).isEqualTo("application/json");
    assertThat(response.bodyAsString())
        .isEqualTo("{\"error\":\"request body of 5000 bytes exceeds the limit of 1000\",\"service\":\"upload\"}");
  }

  @Test
  void aReasonComesBetweenTheErrorAndTheService() {
    assertThat(ErrorResponses.of(403, "users", "forbidden", "denied by rule 'no-admin'").bodyAsString())
        .isEqualTo("{\"error\":\"forbidden\",\"reason\":\"denied by rule 'no-admin'\",\"service\":\"users\"}");
  }

  @Test
  void whatAClientSentCannotBreakTheBody() {
    String hostile = "path: \"/a\\\"}\" holds '\u0000'\r\n\u2028";
    assertThat(ErrorResponses.of(400, "svc", hostile).bodyAsString())
        .isEqualTo("{\"error\":\"path: \\\"/a\\\\\\\"}\\\" holds '\\u0000'\\u000d\\u000a\\u2028\",\"service\":\"svc\"}");
  }

  @Test
  void aBuilderTakesFurtherHeaders() {
    MeshResponse busy = ErrorResponses.builder(503, "svc", "body memory spent", null).header("retry-after", "1").build();
    assertThat(busy.header("retry-after")).isEqualTo("1");
    assertThat(busy.bodyAsString()).isEqualTo("{\"error\":\"body memory spent\",\"service\":\"svc\"}");
  }
}
