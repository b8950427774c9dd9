package io.meshwork.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.Mesh;
import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.netty.NettyTransport;
import io.meshwork.policy.Protocol;
import io.meshwork.policy.ServicePolicy;
import io.meshwork.registry.InMemoryServiceRegistry;
import io.meshwork.security.CertificateAuthority;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Three meshes in a chain over the Netty transport with mutual TLS, a to b to c, each making its
 * spans with the OpenTelemetry SDK: the finished spans in the SDK's in-memory exporter form one
 * tree, a retried attempt of b is a span of its own, and the ids on the wire are the spans' ids.
 */
class TraceTreeTest {

  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final SdkTracerProvider provider = SdkTracerProvider.builder()
      .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
  private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(provider).build();
  private final InMemoryServiceRegistry registry = new InMemoryServiceRegistry();
  private final CertificateAuthority authority = CertificateAuthority.create("cluster.local", Clock.systemUTC());
  private final NettyTransport transport = NettyTransport.builder().eventLoopThreads(2).build();
  private final List<Mesh> meshes = new ArrayList<>();

  @AfterEach
  void close() {
    meshes.forEach(Mesh::close);
    transport.close();
    sdk.close();
  }

  private Mesh mesh(String service, Protocol protocol) {
    Mesh mesh = Mesh.builder().service(service).registry(registry).transport(transport)
        .certificateAuthority(authority).tracer(OpenTelemetryTracer.create(sdk))
        .defaultPolicy(ServicePolicy.builder().protocol(protocol).build()).build();
    meshes.add(mesh);
    return mesh;
  }

  /** Over HTTP/2 each attempt's traceparent goes never-indexed in HPACK: it must still arrive whole. */
  @ParameterizedTest
  @EnumSource(value = Protocol.class, names = {"HTTP_1_1", "HTTP_2"})
  void theFinishedSpansOfThreeMeshesFormOneTreeWithARetriedAttemptAsItsOwnSpan(Protocol protocol) {
    Map<String, String> headers = new ConcurrentHashMap<>();
    AtomicInteger cRequests = new AtomicInteger();
    mesh("c", protocol).serve(0, request -> {
      headers.put("c" + cRequests.incrementAndGet(), request.header("traceparent"));
      return CompletableFuture.completedFuture(cRequests.get() == 1 ? MeshResponse.of(503) : MeshResponse.ok("c"));
    });
    Mesh b = mesh("b", protocol);
    b.serve(0, request -> {
      headers.put("b", request.header("traceparent"));
      return b.call("c", MeshRequest.get("/c")).thenApply(answer -> MeshResponse.ok("b+" + answer.bodyAsString()));
    });
    Mesh a = mesh("a", protocol);
    assertThat(a.call("b", MeshRequest.get("/b")).orTimeout(30, TimeUnit.SECONDS).join().bodyAsString())
        .isEqualTo("b+c");

    List<SpanData> spans = awaitSpans(8);
    String trace = spans.get(0).getTraceId();
    assertThat(spans).allSatisfy(span -> assertThat(span.getTraceId()).isEqualTo(trace));
    SpanData aCall = only(spans, "a", SpanKind.INTERNAL);
    SpanData aAttempt = only(spans, "a", SpanKind.CLIENT);
    SpanData bServer = only(spans, "b", SpanKind.SERVER);
    SpanData bCall = only(spans, "b", SpanKind.INTERNAL);
    List<SpanData> bAttempts = of(spans, "b", SpanKind.CLIENT);
    List<SpanData> cServers = of(spans, "c", SpanKind.SERVER);

    assertThat(aCall.getParentSpanContext().isValid()).isFalse();
    assertThat(aAttempt.getParentSpanId()).isEqualTo(aCall.getSpanId());
    assertThat(bServer.getParentSpanId()).isEqualTo(aAttempt.getSpanId());
    assertThat(bServer.getParentSpanContext().isRemote()).isTrue();
    assertThat(bCall.getParentSpanId()).isEqualTo(bServer.getSpanId());
    assertThat(bAttempts).hasSize(2).allSatisfy(attempt -> assertThat(attempt.getParentSpanId())
        .isEqualTo(bCall.getSpanId()));
    assertThat(bAttempts.get(0).getSpanId()).isNotEqualTo(bAttempts.get(1).getSpanId());
    assertThat(cServers).hasSize(2);
    for (SpanData server : cServers) {
      assertThat(bAttempts).extracting(SpanData::getSpanId).contains(server.getParentSpanId());
    }
    SpanData failed = bAttempts.stream().filter(attempt -> attempt.getStatus().getStatusCode()
        == io.opentelemetry.api.trace.StatusCode.ERROR).findFirst().orElseThrow();
    assertThat(failed.getAttributes().get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(503);
    assertThat(bAttempts).anySatisfy(attempt -> assertThat(attempt.getAttributes()
        .get(AttributeKey.longKey("http.request.resend_count"))).isEqualTo(1));
    assertThat(bCall.getEvents()).extracting(event -> event.getName()).contains("retry", "instance");
    assertThat(aAttempt.getAttributes().get(AttributeKey.stringKey("server.address"))).isEqualTo("b");
    assertThat(headers.get("b")).isEqualTo("00-" + trace + "-" + aAttempt.getSpanId() + "-01");
    assertThat(List.of(headers.get("c1"), headers.get("c2"))).containsExactlyInAnyOrder(
        "00-" + trace + "-" + bAttempts.get(0).getSpanId() + "-01",
        "00-" + trace + "-" + bAttempts.get(1).getSpanId() + "-01");
  }

  /** The finished spans, once {@code count} have ended (the last ones end as the answers are written). */
  private List<SpanData> awaitSpans(int count) {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (exporter.getFinishedSpanItems().size() < count && System.nanoTime() - end < 0) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
    List<SpanData> spans = exporter.getFinishedSpanItems();
    assertThat(spans).as("finished spans").hasSize(count);
    return spans;
  }

  private static SpanData only(List<SpanData> spans, String mesh, SpanKind kind) {
    List<SpanData> found = of(spans, mesh, kind);
    assertThat(found).as("%s spans of %s in %s", kind, mesh, spans).hasSize(1);
    return found.get(0);
  }

  /** The spans of one mesh: its server spans name it, its calls' and attempts' spans name their callee. */
  private static List<SpanData> of(List<SpanData> spans, String mesh, SpanKind kind) {
    return spans.stream().filter(span -> span.getKind() == kind && mesh.equals(owner(span)))
        .sorted(java.util.Comparator.comparingLong(SpanData::getStartEpochNanos)).toList();
  }

  private static String owner(SpanData span) {
    if (span.getKind() == SpanKind.SERVER) {
      return span.getAttributes().get(AttributeKey.stringKey("meshwork.service"));
    }
    String callee = span.getAttributes().get(AttributeKey.stringKey("server.address"));
    return "b".equals(callee) ? "a" : "c".equals(callee) ? "b" : null;
  }
}
