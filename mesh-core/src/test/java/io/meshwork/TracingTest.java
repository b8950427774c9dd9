package io.meshwork;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.telemetry.TelemetryConfig;
import io.meshwork.tracing.SpanKind;
import io.meshwork.tracing.TraceContext;
import io.meshwork.transport.ClientOptions;
import io.meshwork.transport.TransportClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.MDC;

/** W3C trace context through a chain of meshes: one trace, a span per call and per attempt. */
class TracingTest {

  private final TestMeshes meshes = new TestMeshes();
  private final List<RecordingTracer.Recorded> spans = RecordingTracer.newLog();

  @AfterEach
  void close() {
    meshes.close();
  }

  private Mesh mesh(String service) {
    return meshes.add(meshes.builder(service).tracer(new RecordingTracer(service, spans)).build());
  }

  @Test
  void oneTraceCrossesThreeMeshesAndEachRetriedAttemptIsASpanOfItsOwn() {
    Map<String, String> seen = new ConcurrentHashMap<>();
    AtomicInteger cRequests = new AtomicInteger();
    mesh("c").serve(0, request -> {
      seen.put("c.traceparent", request.header("traceparent"));
      seen.put("c.mdc", String.valueOf(MDC.get("trace_id")));
      return CompletableFuture.completedFuture(cRequests.incrementAndGet() == 1 ? MeshResponse.of(503)
          : MeshResponse.ok("c"));
    });
    Mesh b = mesh("b");
    b.serve(0, request -> {
      seen.put("b.traceparent", request.header("traceparent"));
      seen.put("b.mdc", String.valueOf(MDC.get("trace_id")));
      return b.call("c", MeshRequest.get("/c")).thenApply(answer -> {
        seen.put("b.callback.mdc", String.valueOf(MDC.get("trace_id")));
        return MeshResponse.ok("b+" + answer.bodyAsString());
      });
    });
    Mesh a = mesh("a");
    assertThat(meshes.join(a.call("b", MeshRequest.get("/b"))).bodyAsString()).isEqualTo("b+c");
    assertThat(MDC.get("trace_id")).isNull();

    RecordingTracer.Recorded aCall = only("a", SpanKind.INTERNAL);
    RecordingTracer.Recorded aAttempt = only("a", SpanKind.CLIENT);
    RecordingTracer.Recorded bServer = only("b", SpanKind.SERVER);
    RecordingTracer.Recorded bCall = only("b", SpanKind.INTERNAL);
    List<RecordingTracer.Recorded> bAttempts = of("b", SpanKind.CLIENT);
    List<RecordingTracer.Recorded> cServers = of("c", SpanKind.SERVER);
    String trace = aCall.context.traceId();
    assertThat(spans).allSatisfy(span -> {
      assertThat(span.context.traceId()).isEqualTo(trace);
      assertThat(span.ended).isTrue();
    });
    assertThat(aCall.parent).isNull();
    assertThat(aAttempt.parentSpanId()).isEqualTo(aCall.context.spanId());
    assertThat(bServer.parentSpanId()).isEqualTo(aAttempt.context.spanId());
    assertThat(bServer.remoteParent).isTrue();
    assertThat(bCall.parentSpanId()).isEqualTo(bServer.context.spanId());
    assertThat(bAttempts).hasSize(2).allSatisfy(attempt ->
        assertThat(attempt.parentSpanId()).isEqualTo(bCall.context.spanId()));
    assertThat(bAttempts.get(0).context.spanId()).isNotEqualTo(bAttempts.get(1).context.spanId());
    assertThat(bAttempts.get(1).attributes).containsEntry("http.request.resend_count", 1L);
    assertThat(bAttempts.get(0).errorType).isEqualTo("503");
    assertThat(cServers).hasSize(2);
    for (int i = 0; i < 2; i++) {
      assertThat(cServers.get(i).parentSpanId()).isEqualTo(bAttempts.get(i).context.spanId());
    }
    assertThat(bCall.events).anySatisfy(event -> assertThat(event).startsWith("retry"));
    assertThat(bCall.events).anySatisfy(event -> assertThat(event).startsWith("instance"));
    assertThat(seen.get("b.traceparent")).isEqualTo(aAttempt.context.traceparent());
    assertThat(seen.get("c.traceparent")).isEqualTo(bAttempts.get(1).context.traceparent());
    assertThat(seen).containsEntry("b.mdc", trace).containsEntry("c.mdc", trace)
        .containsEntry("b.callback.mdc", trace);
  }

  @Test
  void aCallContinuesTheTraceItsOptionsGive() {
    meshes.serveText("user-service", "u");
    Mesh a = mesh("a");
    TraceContext upstream = TraceContext.parse("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", List.of("x=1"));
    meshes.join(a.call("user-service", MeshRequest.get("/"), CallOptions.builder().traceContext(upstream).build()));
    RecordingTracer.Recorded call = only("a", SpanKind.INTERNAL);
    assertThat(call.context.traceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    assertThat(call.parentSpanId()).isEqualTo("b7ad6b7169203331");
    assertThat(only("a", SpanKind.CLIENT).context.traceState()).isEqualTo("x=1");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "00-0af7651916cd43dd8448eb211c80319c-b7ad6b716920333-01",   // wrong length
      "00-0af7651916cd43dd8448eb211c80319x-b7ad6b7169203331-01",  // bad hex
      "ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",  // version ff
      "00-00000000000000000000000000000000-b7ad6b7169203331-01",  // all-zero trace id
      "00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01"}) // all-zero span id
  void aMalformedInboundTraceparentStartsANewTraceAndTheRequestIsServed(String traceparent) throws Exception {
    Mesh server = mesh("user-service");
    MeshServer served = server.serve(0, request -> CompletableFuture.completedFuture(MeshResponse.ok("u")));
    TransportClient client = meshes.network.client(new ClientOptions("user-service",
        io.meshwork.policy.Protocol.HTTP_1_1, Duration.ofSeconds(1), 1024));
    MeshResponse response = client.send(served.instance(), MeshRequest.builder().path("/")
        .header("traceparent", traceparent).header("tracestate", "x=1").build(), TimeUnit.SECONDS.toNanos(5))
        .get(5, TimeUnit.SECONDS);
    assertThat(response.status()).isEqualTo(200);
    RecordingTracer.Recorded span = only("user-service", SpanKind.SERVER);
    assertThat(span.parent).isNull();
    assertThat(span.context.traceId()).isNotEqualTo("0af7651916cd43dd8448eb211c80319c")
        .isNotEqualTo("00000000000000000000000000000000");
    assertThat(span.context.traceState()).isNull();
  }

  @Test
  void withTracingOffNoHeaderIsAddedAndNoSpanMade() {
    Map<String, String> seen = new ConcurrentHashMap<>();
    meshes.serve("user-service", request -> {
      seen.put("traceparent", String.valueOf(request.header("traceparent")));
      return CompletableFuture.completedFuture(MeshResponse.ok("u"));
    });
    Mesh a = meshes.add(meshes.builder("a").tracer(new RecordingTracer("a", spans))
        .telemetry(TelemetryConfig.builder().tracing(false).build()).build());
    meshes.join(a.call("user-service", MeshRequest.get("/")));
    assertThat(seen).containsEntry("traceparent", "null");
    assertThat(spans).noneMatch(span -> span.mesh.equals("a"));
  }

  private RecordingTracer.Recorded only(String mesh, SpanKind kind) {
    List<RecordingTracer.Recorded> found = of(mesh, kind);
    assertThat(found).as("%s spans of %s in %s", kind, mesh, spans).hasSize(1);
    return found.get(0);
  }

  private List<RecordingTracer.Recorded> of(String mesh, SpanKind kind) {
    return spans.stream().filter(span -> span.mesh.equals(mesh) && span.kind == kind).toList();
  }

}
