package io.meshwork.netty.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.MeshHeaders;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import org.junit.jupiter.api.Test;

class ResponseHeaderCacheTest {

  private final ResponseHeaderCache cache = new ResponseHeaderCache();

  @Test
  void sameFieldsReuseTheConvertedHeaders() {
    MeshHeaders first = cache.http1(http1("Content-Type", "text/plain", "Content-Length", "5"));
    MeshHeaders second = cache.http1(http1("Content-Type", "text/plain", "Content-Length", "5"));

    assertThat(second).isSameAs(first);
    assertThat(first).isEqualTo(MeshHeaders.of("content-type", "text/plain", "content-length", "5"));
  }

  @Test
  void theContentLengthTheServerSentIsKeptAndAnotherLengthIsConvertedAfresh() {
    MeshHeaders first = cache.http1(http1("Content-Type", "text/plain", "Content-Length", "5"));
    MeshHeaders longer = cache.http1(http1("Content-Type", "text/plain", "Content-Length", "912"));

    assertThat(longer).isNotSameAs(first)
        .isEqualTo(MeshHeaders.of("content-type", "text/plain", "content-length", "912"));
  }

  @Test
  void changedFieldsAreConvertedAfresh() {
    MeshHeaders first = cache.http1(http1("content-type", "text/plain", "x-a", "1"));
    MeshHeaders changedValue = cache.http1(http1("content-type", "text/plain", "x-a", "2"));
    MeshHeaders fewer = cache.http1(http1("content-type", "text/plain"));
    MeshHeaders more = cache.http1(http1("content-type", "text/plain", "x-a", "2", "x-b", "3"));

    assertThat(changedValue).isNotSameAs(first).isEqualTo(MeshHeaders.of("content-type", "text/plain", "x-a", "2"));
    assertThat(fewer).isEqualTo(MeshHeaders.of("content-type", "text/plain"));
    assertThat(more.size()).isEqualTo(3);
  }

  @Test
  void hopByHopFieldsNeverPass() {
    MeshHeaders head = cache.http1(http1("Content-Length", "42", "Connection", "keep-alive",
        "Transfer-Encoding", "chunked"));
    assertThat(head).isEqualTo(MeshHeaders.of("content-length", "42"));
  }

  @Test
  void http2PseudoHeadersAreLeftOut() {
    MeshHeaders first = cache.http2(new DefaultHttp2Headers().status("200").add("content-type", "a")
        .add("content-length", "3"));
    MeshHeaders second = cache.http2(new DefaultHttp2Headers().status("503").add("content-type", "a")
        .add("content-length", "3"));

    assertThat(first).isEqualTo(MeshHeaders.of("content-type", "a", "content-length", "3"));
    assertThat(second).isSameAs(first);
  }

  private static HttpHeaders http1(String... namesAndValues) {
    HttpHeaders headers = new DefaultHttpHeaders();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      headers.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return headers;
  }
}
