package io.meshwork;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MessagesTest {

  @Test
  void headersAreCaseInsensitiveOrderedAndRefuseInjection() {
    MeshHeaders headers = MeshHeaders.of("Accept", "a", "X-Trace", "t1", "accept", "b");
    assertThat(headers.get("ACCEPT")).isEqualTo("a");
    assertThat(headers.getAll("accept")).containsExactly("a", "b");
    assertThat(headers.names()).containsExactly("accept", "x-trace");
    assertThat(headers.toBuilder().set("accept", "c").build().getAll("Accept")).containsExactly("c");
    assertThatThrownBy(() -> MeshHeaders.of("x-evil", "a\r\nset-cookie: x"))
        .hasMessage("header x-evil: value holds CR, LF or NUL at index 1 (expected: none)");
    assertThatThrownBy(() -> MeshHeaders.of("bad name", "v"))
        .hasMessageStartingWith("header name: 'bad name'");
  }

  @Test
  void withAndWithoutCopyAsTheBuilderWould() {
    MeshHeaders headers = MeshHeaders.of("Accept", "a", "X-Trace", "t1", "accept", "b");
    MeshHeaders set = headers.with("ACCEPT", "c");
    assertThat(set).isEqualTo(headers.toBuilder().set("accept", "c").build());
    assertThat(set.names()).containsExactly("x-trace", "accept");
    assertThat(headers.getAll("accept")).as("the original is unchanged").containsExactly("a", "b");
    assertThat(headers.with("new", "v")).isEqualTo(headers.toBuilder().add("new", "v").build());
    assertThat(headers.without("Accept")).isEqualTo(MeshHeaders.of("x-trace", "t1"));
    assertThat(headers.without("absent")).isSameAs(headers);
    assertThat(MeshHeaders.of("a", "1").without("A")).isSameAs(MeshHeaders.empty());
    assertThatThrownBy(() -> headers.with("x-evil", "a\nb"))
        .hasMessage("header x-evil: value holds CR, LF or NUL at index 1 (expected: none)");
    assertThatThrownBy(() -> headers.with("bad name", "v")).hasMessageStartingWith("header name: 'bad name'");
    MeshRequest request = MeshRequest.builder().header("X-A", "1").header("x-a", "2").removeHeader("nothing").build();
    assertThat(request.headers().getAll("x-a")).containsExactly("2");
    assertThat(request.toBuilder().removeHeader("X-A").build().headers().isEmpty()).isTrue();
  }

  @Test
  void requestsValidateMethodAndPathAndKnowIdempotency() {
    assertThat(MeshRequest.get("/a?b=c").isIdempotent()).isTrue();
    assertThat(MeshRequest.post("/a", "x").isIdempotent()).isFalse();
    assertThat(MeshRequest.post("/a", "x").toBuilder().header("Idempotency-Key", "k1").build().isIdempotent())
        .isTrue();
    assertThat(MeshRequest.builder().method("put").build().method()).as("case-sensitive").isEqualTo("put");
    assertThatThrownBy(() -> MeshRequest.get("users")).hasMessage("path: 'users' (expected: starts with '/')");
    assertThatThrownBy(() -> MeshRequest.get("/a b")).hasMessageStartingWith("path: '/a b' holds a space");
    assertThatThrownBy(() -> MeshRequest.builder().method("GE T")).hasMessageStartingWith("method: 'GE T'");
  }

  @Test
  void responsesValidateTheirStatusAndCopyTheirBodyOnRead() {
    MeshResponse response = MeshResponse.ok("hello");
    assertThat(response.bodyAsString()).isEqualTo("hello");
    response.body()[0] = 'j';
    assertThat(response.bodyAsString()).isEqualTo("hello");
    assertThat(response.bodyBuffer().isReadOnly()).isTrue();
    assertThatThrownBy(() -> MeshResponse.of(99)).hasMessage("status: 99 (expected: 100..599)");
    assertThatThrownBy(() -> MeshResponse.of(600)).hasMessage("status: 600 (expected: 100..599)");
  }
}
