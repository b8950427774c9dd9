package io.meshwork.controlplane.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.InvalidConfigurationException;
import io.meshwork.Mesh;
import io.meshwork.MeshListener;
import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.netty.testing.Ports;
import io.meshwork.security.MtlsMode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/**
 * The dashboard in a real browser (Debian's chromium, headless) against a running control plane and
 * four joined meshes calling each other over mTLS (frontend to order-service to user-service, whose
 * v2 instance starts failing): each page of the fleet view and of order-service's own admin endpoint
 * shows what the fleet is doing, and the screenshots become docs/dashboard-*.png.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {

  private static final String MARKUP = "<img src=x onerror=alert(1)>";

  private Path directory;

  private TestControlPlane controlPlane;
  private final List<Mesh> meshes = new java.util.ArrayList<>();
  private Mesh usersV1;
  private Mesh orders;
  private Mesh frontend;
  private final AtomicBoolean v2Fails = new AtomicBoolean();
  private final Semaphore ordersApplied = new Semaphore(0);
  private final ScheduledExecutorService load = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "dashboard-load");
    thread.setDaemon(true);
    return thread;
  });
  private String revokedSerial;
  private String v2Address;
  private Browser browser;
  private Path screenshots;

  @BeforeAll
  void start(@TempDir Path temporary) throws Exception {
    directory = temporary;
    controlPlane = new TestControlPlane(directory.resolve("controlplane"), Ports.free());
    ApiClient admin = controlPlane.admin();
    expect(admin.post("/api/v1/config", "{\"load_balancer\":\"round_robin\"}"), 200);
    // A canary split of the calls that ask for it, then the breaker of user-service for every call.
    expect(admin.post("/api/v1/traffic-rules/default/user-service",
        "{\"match_headers\":{\"x-canary\":\"yes\"},\"destination_subset\":\"v2\",\"weight\":20}"), 200);
    expect(admin.post("/api/v1/traffic-rules/default/user-service",
        "{\"match_headers\":{\"x-canary\":\"yes\"},\"destination_subset\":\"v1\",\"weight\":80}"), 200);
    expect(admin.post("/api/v1/traffic-rules/default/user-service",
        "{\"circuit_breaker\":{\"consecutive_errors\":3,\"open_duration\":\"2m\"}}"), 200);
    expect(admin.post("/api/v1/security-rules", "{\"source_service\":\"frontend\",\"destination_service\":"
        + "\"order-service\",\"allowed_methods\":[\"GET\"]}"), 200);
    expect(admin.post("/api/v1/security-rules", "{\"source_service\":\"order-service\",\"destination_service\":"
        + "\"user-service\"}"), 200);
    // An instance registered by hand whose label carries markup: the pages must show it as text.
    expect(admin.post("/api/v1/services/register", "{\"id\":\"billing-1\",\"service_name\":\"legacy-billing\","
        + "\"ip\":\"127.0.0.1\",\"port\":" + Ports.free() + ",\"labels\":{\"note\":\"" + MARKUP + "\"}}"), 200);
    revokedSerial = admin.post("/api/v1/certificates/issue", "{\"service_name\":\"batch-job\",\"namespace\":"
        + "\"default\"}").json().get("serial").asText();
    expect(admin.delete("/api/v1/certificates/" + revokedSerial), 200);

    usersV1 = join("user-service", Map.of("version", "v1"));
    Mesh usersV2 = join("user-service", Map.of("version", "v2"));
    orders = join("order-service", Map.of(), new MeshListener() {
      @Override
      public void onConfigApplied(io.meshwork.config.ConfigChange change) {
        ordersApplied.release();
      }
    });
    frontend = join("frontend", Map.of());
    usersV1.serve(0, request -> done(MeshResponse.ok("user from v1")));
    v2Address = usersV2.serve(0, request -> done(v2Fails.get() ? MeshResponse.builder().status(500).body("v2 broke").build()
        : MeshResponse.ok("user from v2"))).instance().address();
    orders.serve(0, request -> orders.call("user-service", MeshRequest.builder().method("GET").path("/users/1")
            .header("x-canary", request.header("x-canary") == null ? "no" : request.header("x-canary")).build())
        .handle((answer, failure) -> failure != null ? MeshResponse.builder().status(503).body("no user").build()
            : MeshResponse.builder().status(answer.status()).body("order for " + answer.bodyAsString()).build()));
    frontend.serve(0, request -> done(MeshResponse.ok("frontend")));
    awaitOrdersConfig("order-service to follow the fleet's breaker of user-service", config ->
        config.policyFor("user-service").circuitBreaker().consecutiveFailures() == 3);
    int[] sent = new int[1];
    load.scheduleAtFixedRate(() -> {
      MeshRequest request = MeshRequest.builder().method("GET").path("/orders/" + sent[0])
          .header("x-canary", sent[0]++ % 5 == 0 ? "yes" : "no").build();
      frontend.call("order-service", request);
    }, 0, 40, TimeUnit.MILLISECONDS);
    Path docs = Path.of("").toAbsolutePath().getParent().resolve("docs");
    screenshots = Files.isRegularFile(docs.resolve("operating.md")) ? docs : directory.resolve("screenshots");
    browser = Browser.start(directory.resolve("chromium"));
  }

  @AfterAll
  void stop() {
    load.shutdownNow();
    if (browser != null) {
      browser.close();
    }
    for (int i = meshes.size() - 1; i >= 0; i--) {
      meshes.get(i).close();
    }
    if (controlPlane != null) {
      controlPlane.close();
    }
  }

  private Mesh join(String service, Map<String, String> labels) {
    return join(service, labels, new MeshListener() {});
  }

  private Mesh join(String service, Map<String, String> labels, MeshListener listener) {
    URI uri = controlPlane.server().uri();
    Mesh mesh = Mesh.builder().service(service).labels(labels).admin(0).listener(listener)
        .controlPlane(uri, controlPlane.bootstrapToken("default", service)).build();
    meshes.add(mesh);
    return mesh;
  }

  private String fleet(String page) {
    return controlPlane.server().uri() + "/dashboard/#/" + page;
  }

  private static String process(Mesh mesh, String page) {
    return "http://127.0.0.1:" + mesh.adminPort().getAsInt() + "/dashboard/#/" + page;
  }

  private void screenshot(String name) {
    browser.screenshot(screenshots.resolve("dashboard-" + name + ".png"));
  }

  private void assertNoConsoleErrors() {
    assertThat(browser.consoleErrors()).as("errors in the browser's console").isEmpty();
  }

  @Test
  @Order(1)
  void theFleetsServicesPageListsEveryInstanceAndShowsMarkupAsText() {
    browser.open(controlPlane.server().uri() + "/"); // the root leads to the dashboard
    browser.await("two user-service instances", d -> browser.all("#content section[aria-label='default/user-service']"
        + " tbody tr").size() == 2);
    browser.awaitText("default/order-service");
    browser.awaitText("default/frontend");
    assertThat(browser.text("#freshness-state")).isEqualTo("Live");
    assertThat(browser.text("#content")).contains("version=v1").contains("version=v2").contains("Healthy instances");
    List<String> billing = browser.row("billing-1");
    assertThat(billing).as("the hand-registered instance").isNotEmpty();
    assertThat(billing.get(4)).isEqualTo("note=" + MARKUP);
    assertThat(browser.all("#content img")).as("markup in a label never becomes an element").isEmpty();
    assertThat(browser.all("nav a[aria-current='page']")).hasSize(1);
    screenshot("fleet-services");
    assertNoConsoleErrors();
  }

  @Test
  @Order(2)
  void theFleetsRoutesAndAuthorizationPagesShowTheRules() {
    browser.open(fleet("routes"));
    browser.awaitText("header x-canary: yes");
    String routes = browser.text("#content");
    assertThat(routes).contains("user-service / v2").contains("20 %").contains("80 %").contains("100 %")
        .contains("opens after 3 errors, for 2m");
    screenshot("fleet-routes");
    browser.open(fleet("authorization"));
    browser.awaitText("default/order-service");
    assertThat(browser.all("#content svg[role='img'] .edge")).as("an arrow per security rule").hasSize(2);
    assertThat(browser.text("#content tbody")).contains("default/frontend default/order-service GET");
    screenshot("fleet-authorization");
    assertNoConsoleErrors();
  }

  @Test
  @Order(3)
  void theFleetsCertificatesPageShowsTheRevokedCertificate() {
    browser.open(fleet("certificates"));
    browser.await("the revoked certificate's row", d -> !browser.row(revokedSerial).isEmpty());
    List<String> revoked = browser.row(revokedSerial);
    assertThat(revoked.get(1)).isEqualTo("spiffe://cluster.local/ns/default/sa/batch-job");
    assertThat(revoked.get(5)).startsWith("revoked");
    assertThat(browser.text("#content")).contains("spiffe://cluster.local/ns/default/sa/order-service")
        .contains("workload\u2019s own (CSR)").contains("valid");
    screenshot("fleet-certificates");
    assertNoConsoleErrors();
  }

  @Test
  @Order(4)
  void aProcessShowsTheBreakerOfAFailingInstanceOpen() {
    v2Fails.set(true);
    browser.open(process(orders, "services"));
    browser.await("user-service's v2 instance with its breaker open", d -> {
      List<String> v2 = browser.row(v2Address); // instance, registry, state, breaker, ...
      return v2.size() > 3 && v2.get(3).equals("open");
    });
    assertThat(browser.row(v2Address)).contains("version=v2");
    String page = browser.text("#content");
    assertThat(page).contains("version=v1").contains("1 of 2 available");
    assertThat(page).containsPattern("(circuit open|ejected) for \\d+\\.\\d s");
    assertThat(browser.text("#view-name")).isEqualTo("order-service (this process)");
    screenshot("services");
    assertNoConsoleErrors();
  }

  @Test
  @Order(8) // late: the history has a few points by then
  void aProcessDrawsItsTrafficAndTheCallsBetweenServices() {
    ApiClient ordersAdmin = new ApiClient(URI.create("http://127.0.0.1:" + orders.adminPort().getAsInt()), null);
    browser.open(process(orders, "traffic"));
    browser.await("three intervals of history", d -> ordersAdmin.get("/traffic").json().get("inbound").get("t")
        .size() >= 3);
    browser.await("a rate for the calls to user-service", d -> {
      List<String> row = browser.row("user-service");
      return !row.isEmpty() && !row.get(2).equals("–") && Double.parseDouble(row.get(2)) > 0;
    });
    browser.await("charts drawn", d -> browser.all("#content .chart canvas").size() == 6);
    assertThat(browser.all("#content .u-legend")).hasSize(6);
    String graph = browser.text("#content .graph");
    assertThat(graph).contains("default/frontend").contains("order-service").contains("user-service");
    assertThat(browser.all("#content .graph .edge")).as("frontend to order-service to user-service: " + graph)
        .hasSize(2);
    screenshot("traffic");
    browser.scrollTo("#content .series");
    screenshot("traffic-charts");
    browser.open(process(orders, "traffic/user-service"));
    browser.await("only user-service's charts", d -> browser.all("#content .chart[data-series]").size() == 3);
    assertNoConsoleErrors();
  }

  @Test
  @Order(6)
  void aProcessShowsItsRoutesAndAuthorizationInForce() {
    browser.open(process(orders, "routes"));
    browser.awaitText("x-canary");
    String routes = browser.text("#content");
    assertThat(routes).contains("user-service / v1").contains("80 %").contains("circuitBreaker")
        .contains("version=v2").contains("loadBalancer\nroundRobin");
    screenshot("routes");
    browser.open(process(usersV1, "authorization"));
    browser.awaitText("default/order-service");
    assertThat(browser.text("#content tbody")).contains("ALLOW");
    assertNoConsoleErrors();
  }

  @Test
  @Order(7)
  void aProcessListsTheConfigChangesItAppliedAndRefused() {
    assertThatThrownBy(() -> orders.apply(orders.config().toBuilder().mtls(MtlsMode.PERMISSIVE).build()))
        .isInstanceOf(InvalidConfigurationException.class);
    browser.open(process(orders, "config"));
    browser.awaitText("rejected");
    expect(controlPlane.admin().post("/api/v1/config", "{\"global_timeout\":\"20s\"}"), 200);
    browser.await("the fleet's next change applied after the refused one", d -> {
      List<String> newest = browser.row(browser.text("#content tbody tr th"));
      return newest.size() == 4 && newest.get(1).equals("control plane") && newest.get(2).equals("applied");
    });
    String page = browser.text("#content");
    assertThat(page).contains("Mesh.apply rejected order-service: mtls: PERMISSIVE (expected: STRICT").contains("MeshBuilder built")
        .contains("timeout: 20s").contains("loadBalancer: roundRobin");
    screenshot("config");
    assertNoConsoleErrors();
  }

  @Test
  @Order(5)
  void aProcessShowsItsCertificateAndWhenItExpires() {
    browser.open(process(orders, "certificates"));
    browser.awaitText("spiffe://cluster.local/ns/default/sa/order-service");
    assertThat(browser.text("#content")).contains("STRICT").containsPattern("\\d+ h( \\d+ min)? left")
        .contains("Revoked\nno");
    screenshot("certificate");
    assertNoConsoleErrors();
  }

  @Test
  @Order(9)
  void aPageShowsWhenItsDataIsStaleAndRecoversWhenTheServerIsBack() {
    browser.open(fleet("services"));
    browser.await("live data", d -> browser.text("#freshness-state").equals("Live"));
    controlPlane.stop();
    browser.await("the page to say its data is stale", d -> browser.text("#freshness-state").startsWith("Stale"));
    assertThat(browser.text("#content")).as("what it showed stays").contains("default/user-service");
    assertThat(browser.text("#freshness-age")).contains("server unreachable");
    screenshot("stale");
    controlPlane.restart();
    browser.await("live data again", d -> browser.text("#freshness-state").equals("Live"));
    browser.awaitText("default/user-service");
  }

  @Test
  @Order(10)
  void aControlPlaneThatNeedsATokenForReadsGetsItFromTheForm() throws Exception {
    try (ControlPlaneServer guarded = TestControlPlane.builder(directory.resolve("guarded")).port(0).openReads(false)
        .start()) {
      browser.open(guarded.uri() + "/dashboard/#/certificates");
      browser.await("the token form", d -> !browser.all("#token-input").isEmpty());
      assertThat(browser.text("#freshness-state")).isEqualTo("Waiting for a token");
      browser.driver().findElement(By.id("token-input")).sendKeys(Files.readString(guarded.adminTokenFile()).strip());
      browser.driver().findElement(By.cssSelector("#notice button[type='submit']")).click();
      browser.awaitText("Certificate authority");
      assertThat(browser.text("#freshness-state")).isEqualTo("Live");
      assertThat(browser.all("#token-input")).isEmpty();
    }
  }

  private static CompletableFuture<MeshResponse> done(MeshResponse response) {
    return CompletableFuture.completedFuture(response);
  }

  private static void expect(ApiClient.Answer answer, int status) {
    assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
  }

  /** Waits for order-service to apply a config in which {@code condition} holds. */
  private void awaitOrdersConfig(String what, java.util.function.Predicate<io.meshwork.config.MeshConfig> condition)
      throws InterruptedException {
    while (!condition.test(orders.config())) {
      if (!ordersApplied.tryAcquire(30, TimeUnit.SECONDS)) {
        throw new AssertionError("waited 30 s for " + what);
      }
    }
  }
}
