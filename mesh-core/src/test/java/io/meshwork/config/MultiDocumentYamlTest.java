package io.meshwork.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.meshwork.security.MtlsMode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Several documents read as one config (the keys under an etcd prefix): services put together, other
 * fields set once, every error named with its document.
 */
class MultiDocumentYamlTest {

  @Test
  void servicesOfEveryDocumentArePutTogetherAndRoutesSeeSubsetsDeclaredElsewhere() {
    Map<String, String> documents = new LinkedHashMap<>();
    documents.put("/meshwork/config/frontend", """
        services:
          frontend:
            routes:
              - name: to-beta
                route: [{destination: {service: user-service, subset: v2}}]
        """);
    documents.put("/meshwork/config/mesh", "mtls: STRICT\n");
    documents.put("/meshwork/config/user-service", """
        services:
          user-service:
            subsets: {v2: {version: v2}}
        """);
    MeshConfig config = MeshConfig.parseYaml(documents, "/meshwork/config/");
    assertThat(config.services()).containsOnlyKeys("frontend", "user-service");
    assertThat(config.mtls()).isEqualTo(MtlsMode.STRICT);
    assertThat(config).isEqualTo(MeshConfig.parseYaml(config.toYaml()));
  }

  @Test
  void everyErrorNamesItsDocumentAndWhatIsSetTwiceNamesBoth() {
    Map<String, String> documents = new LinkedHashMap<>();
    documents.put("/c/a", "services:\n  a: {timeout: 1s}\nmtls: STRICT\n");
    documents.put("/c/b", "services:\n  b: {timeout: 2s}\n  a: {timeout: 3s}\nmtls: DISABLED\n");
    documents.put("/c/c", "services: {c: {timeout: x}}\n");
    documents.put("/c/d", "x: [\n");
    documents.put("/c/e", "- a list\n");
    documents.put("/c/f", "services:\n  f:\n    routes: [{name: r, route: [{destination: {service: a, subset: v9}}]}]\n");
    InvalidConfigException rejected = catchThrowableOfType(InvalidConfigException.class,
        () -> MeshConfig.parseYaml(documents, "/c/"));
    assertThat(rejected.getMessage()).startsWith("/c/ rejected, 6 errors:");
    assertThat(rejected.errors()).extracting(ConfigError::toString).containsExactly(
        "/c/b:3:3: services.a: 'a' is set twice (expected: once; first at line 2 of /c/a)",
        "/c/b:4:1: mtls: 'mtls' is set twice (expected: once; first at line 3 of /c/a)",
        "/c/c:1:25: services.c.timeout: 'x' (expected: a duration > 0, such as 250ms, 2s or 1m)",
        "/c/d:2:1: not YAML: expected the node content, but found '<stream end>' (while parsing a flow node"
            + " at line 2, column 1)",
        "/c/e:1:1: a list (expected: a mapping of MeshConfig fields)",
        "/c/f:3:67: services.f.routes[0].route[0].destination.subset: route 'r': 'v9' (expected: a subset"
            + " services.a declares; it declares none)");
  }
}
