package io.meshwork.controlplane.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.TypeRegistry;
import com.google.protobuf.util.Durations;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import io.meshwork.config.MeshConfig;
import io.meshwork.fleet.FleetPolicy;
import io.meshwork.fleet.api.FleetView;
import io.meshwork.fleet.api.WireFormat;
import io.meshwork.policy.ServicePolicy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Envoy export parsed into Envoy's own protobuf types (unknown fields refused), and its fields
 * compared with the policy a joined mesh of the same workload derives from the same state.
 */
class EnvoyExportTest {

  private static final TypeRegistry TYPES = TypeRegistry.newBuilder()
      .add(HttpConnectionManager.getDescriptor()).add(Router.getDescriptor())
      .add(UpstreamTlsContext.getDescriptor()).add(DownstreamTlsContext.getDescriptor())
      .add(TlsInspector.getDescriptor()).add(HttpProtocolOptions.getDescriptor()).build();

  @TempDir
  static Path directory;

  private static TestControlPlane controlPlane;
  private static ApiClient admin;

  @BeforeAll
  static void state() {
    controlPlane = new TestControlPlane(directory);
    admin = controlPlane.admin();
    admin.post("/api/v1/services/register", "{\"id\":\"u1\",\"service_name\":\"user-service\",\"ip\":\"127.0.4.1\","
        + "\"port\":8081,\"weight\":3,\"labels\":{\"version\":\"v1\"}}");
    admin.post("/api/v1/services/register", "{\"id\":\"u2\",\"service_name\":\"user-service\",\"ip\":\"127.0.4.2\","
        + "\"port\":8082,\"weight\":1,\"labels\":{\"version\":\"v2\"}}");
    admin.post("/api/v1/services/register", "{\"id\":\"g1\",\"service_name\":\"grpc-service\",\"ip\":\"127.0.4.3\","
        + "\"port\":9090,\"protocol\":\"grpc\"}");
    admin.post("/api/v1/config", "{\"global_timeout\":\"9s\",\"default_retry_attempts\":3,\"load_balancer\":\"round_robin\"}");
    ApiClient.Answer rule = admin.post("/api/v1/traffic-rules/default/user-service", "{\"match_headers\":{\"version\":\"beta\"},"
        + "\"match_path\":\"/users\",\"destination_subset\":\"v2\",\"timeout\":\"1500ms\",\"retry_attempts\":1,"
        + "\"circuit_breaker\":{\"max_requests\":64,\"max_pending_requests\":8,\"consecutive_errors\":4,"
        + "\"open_duration\":\"20s\"}}");
    assertThat(rule.status()).as(rule.body()).isEqualTo(200);
  }

  @AfterAll
  static void stop() {
    controlPlane.close();
  }

  private static Bootstrap parse(String json) throws InvalidProtocolBufferException {
    Bootstrap.Builder bootstrap = Bootstrap.newBuilder();
    JsonFormat.parser().usingTypeRegistry(TYPES).merge(json, bootstrap); // unknown fields fail
    return bootstrap.build();
  }

  private static Bootstrap yamlBootstrap() throws Exception {
    ApiClient.Answer yaml = admin.get("/api/v1/envoy/configs/frontend?cert_dir=/etc/meshwork/certs&app_port=8080");
    assertThat(yaml.status()).isEqualTo(200);
    JsonNode tree = new YAMLMapper().readTree(yaml.body());
    return parse(new ObjectMapper().writeValueAsString(tree));
  }

  /** The policy of calls to {@code service} from frontend, as frontend's joined mesh derives it. */
  private static ServicePolicy meshPolicy(String service) throws Exception {
    FleetView view = WireFormat.mapper().readValue(admin.get("/api/v1/watch").body(), FleetView.class);
    MeshConfig config = FleetPolicy.overlay(MeshConfig.defaults(), view.config(), view.trafficRules(),
        view.securityRules(), "default", "frontend");
    return config.policyFor(service);
  }

  @Test
  void theYamlAndTheJsonParseIntoEnvoysBootstrapAndAgree() throws Exception {
    Bootstrap fromYaml = yamlBootstrap();
    Bootstrap fromJson = parse(admin.get("/api/v1/envoy/configs/frontend", "application/json").body());
    assertThat(fromJson).isEqualTo(fromYaml);
    assertThat(fromYaml.getNode().getCluster()).isEqualTo("frontend");
    assertThat(fromYaml.getStaticResources().getListenersList()).extracting(Listener::getName)
        .containsExactly("outbound", "inbound");
  }

  @Test
  void unknownFieldsAreRefusedByTheParser() throws Exception {
    ObjectNode tree = (ObjectNode) new ObjectMapper().readTree(
        admin.get("/api/v1/envoy/configs/frontend", "application/json").body());
    tree.put("not_an_envoy_field", 1);
    assertThatThrownBy(() -> parse(tree.toString())).isInstanceOf(InvalidProtocolBufferException.class);
  }

  @Test
  void clustersCarryTheEndpointsBalancerThresholdsOutlierDetectionAndMtls() throws Exception {
    Map<String, Cluster> clusters = yamlBootstrap().getStaticResources().getClustersList().stream()
        .collect(Collectors.toMap(Cluster::getName, c -> c));
    assertThat(clusters).containsKeys("user-service", "user-service|v2", "grpc-service", "inbound|frontend");
    ServicePolicy policy = meshPolicy("user-service");
    Cluster users = clusters.get("user-service");
    assertThat(users.getLbPolicy()).isEqualTo(Cluster.LbPolicy.ROUND_ROBIN);
    assertThat(Durations.toMillis(users.getConnectTimeout())).isEqualTo(policy.connectTimeout().toMillis());
    var endpoints = users.getLoadAssignment().getEndpoints(0).getLbEndpointsList();
    assertThat(endpoints).extracting(e -> e.getEndpoint().getAddress().getSocketAddress().getAddress() + ":"
        + e.getEndpoint().getAddress().getSocketAddress().getPortValue() + "/" + e.getLoadBalancingWeight().getValue())
        .containsExactlyInAnyOrder("127.0.4.1:8081/3", "127.0.4.2:8082/1");
    var v2 = clusters.get("user-service|v2").getLoadAssignment().getEndpoints(0).getLbEndpointsList();
    assertThat(v2).extracting(e -> e.getEndpoint().getAddress().getSocketAddress().getAddress())
        .containsExactly("127.0.4.2");
    var thresholds = users.getCircuitBreakers().getThresholds(0);
    assertThat(thresholds.getMaxRequests().getValue()).isEqualTo(policy.limits().maxInFlight()).isEqualTo(64);
    assertThat(thresholds.getMaxPendingRequests().getValue()).isEqualTo(policy.limits().maxPending()).isEqualTo(8);
    var outlier = users.getOutlierDetection();
    assertThat(outlier.getConsecutive5Xx().getValue()).isEqualTo(policy.outlierDetection().consecutiveFailures())
        .isEqualTo(4);
    assertThat(Durations.toMillis(outlier.getBaseEjectionTime())).isEqualTo(20_000);
    assertThat(outlier.getMaxEjectionPercent().getValue()).isEqualTo(policy.outlierDetection().maxEjectionPercent());
    UpstreamTlsContext tls = users.getTransportSocket().getTypedConfig().unpack(UpstreamTlsContext.class);
    var validation = tls.getCommonTlsContext().getValidationContext();
    assertThat(validation.getTrustedCa().getFilename()).isEqualTo("/etc/meshwork/certs/ca.pem");
    assertThat(validation.getMatchTypedSubjectAltNames(0).getSanType().name()).isEqualTo("URI");
    assertThat(validation.getMatchTypedSubjectAltNames(0).getMatcher().getExact())
        .isEqualTo("spiffe://cluster.local/ns/default/sa/user-service");
    assertThat(tls.getCommonTlsContext().getTlsCertificates(0).getCertificateChain().getFilename())
        .isEqualTo("/etc/meshwork/certs/cert.pem");
    HttpProtocolOptions http2 = clusters.get("grpc-service").getTypedExtensionProtocolOptionsOrThrow(
        "envoy.extensions.upstreams.http.v3.HttpProtocolOptions").unpack(HttpProtocolOptions.class);
    assertThat(http2.getExplicitHttpConfig().hasHttp2ProtocolOptions()).isTrue();
  }

  @Test
  void routesFollowTheRulesThenTheDefaultWithTheTimeoutsAndRetries() throws Exception {
    Listener outbound = yamlBootstrap().getStaticResources().getListeners(0);
    HttpConnectionManager manager = outbound.getFilterChains(0).getFilters(0).getTypedConfig()
        .unpack(HttpConnectionManager.class);
    VirtualHost users = manager.getRouteConfig().getVirtualHostsList().stream()
        .filter(host -> host.getName().equals("user-service")).findFirst().orElseThrow();
    assertThat(users.getDomainsList()).contains("user-service", "user-service.default.svc.cluster.local");
    List<Route> routes = users.getRoutesList();
    assertThat(routes).hasSize(2);
    ServicePolicy policy = meshPolicy("user-service");
    Route beta = routes.get(0);
    var rule = policy.routes().get(0);
    assertThat(beta.getName()).isEqualTo(rule.name());
    assertThat(beta.getMatch().getPrefix()).isEqualTo("/users");
    assertThat(beta.getMatch().getHeaders(0).getName()).isEqualTo("version");
    assertThat(beta.getMatch().getHeaders(0).getStringMatch().getExact()).isEqualTo("beta");
    assertThat(beta.getRoute().getCluster()).isEqualTo("user-service|v2");
    assertThat(Durations.toMillis(beta.getRoute().getTimeout())).isEqualTo(rule.timeout().toMillis()).isEqualTo(1500);
    assertThat(beta.getRoute().getRetryPolicy().getNumRetries().getValue()).isEqualTo(rule.retry().maxAttempts() - 1)
        .isEqualTo(1);
    Route fallback = routes.get(1);
    assertThat(fallback.getMatch().getPrefix()).isEqualTo("/");
    assertThat(fallback.getRoute().getCluster()).isEqualTo("user-service");
    assertThat(Durations.toMillis(fallback.getRoute().getTimeout())).isEqualTo(policy.timeout().toMillis())
        .isEqualTo(9000);
    assertThat(fallback.getRoute().getRetryPolicy().getNumRetries().getValue()).isEqualTo(3);
    assertThat(fallback.getRoute().getRetryPolicy().getRetryOn()).contains("5xx", "connect-failure");
  }

  @Test
  void theInboundListenerRequiresMtlsFromTheTrustDomainAndForwardsToTheApplication() throws Exception {
    Bootstrap bootstrap = yamlBootstrap();
    Listener inbound = bootstrap.getStaticResources().getListeners(1);
    assertThat(inbound.getAddress().getSocketAddress().getPortValue()).isEqualTo(15006);
    DownstreamTlsContext tls = inbound.getFilterChains(0).getTransportSocket().getTypedConfig()
        .unpack(DownstreamTlsContext.class);
    assertThat(tls.getRequireClientCertificate().getValue()).isTrue();
    assertThat(tls.getCommonTlsContext().getValidationContext().getMatchTypedSubjectAltNames(0).getMatcher().getPrefix())
        .isEqualTo("spiffe://cluster.local/");
    Cluster local = bootstrap.getStaticResources().getClustersList().stream()
        .filter(c -> c.getName().equals("inbound|frontend")).findFirst().orElseThrow();
    assertThat(local.getLoadAssignment().getEndpoints(0).getLbEndpoints(0).getEndpoint().getAddress()
        .getSocketAddress().getPortValue()).isEqualTo(8080);
  }

  @Test
  void aPermissiveWorkloadAcceptsPlaintextBesideMtls(@TempDir Path other) throws Exception {
    try (ControlPlaneServer permissive = TestControlPlane.builder(other).port(0).start()) {
      ApiClient client = new ApiClient(permissive.uri(), java.nio.file.Files.readString(permissive.adminTokenFile()).strip());
      client.post("/api/v1/config", "{\"mtls_mode\":\"PERMISSIVE\"}");
      Bootstrap bootstrap = parse(client.get("/api/v1/envoy/configs/web", "application/json").body());
      Listener inbound = bootstrap.getStaticResources().getListeners(1);
      assertThat(inbound.getFilterChainsCount()).isEqualTo(2);
      assertThat(inbound.getFilterChains(0).getFilterChainMatch().getTransportProtocol()).isEqualTo("tls");
      assertThat(inbound.getListenerFilters(0).getName()).isEqualTo("envoy.filters.listener.tls_inspector");
      client.post("/api/v1/config", "{\"mtls_mode\":\"DISABLED\"}");
      Bootstrap plain = parse(client.get("/api/v1/envoy/configs/web", "application/json").body());
      assertThat(plain.getStaticResources().getListeners(1).getFilterChains(0).hasTransportSocket()).isFalse();
    }
  }
}
