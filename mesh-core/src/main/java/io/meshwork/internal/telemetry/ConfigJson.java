package io.meshwork.internal.telemetry;

import io.meshwork.config.MeshConfig;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The admin endpoint's {@code /config}: the config in force as {@code mesh.yaml} text and as a JSON
 * tree of the same fields (what the dashboard's routes, authorization and config pages read), and the
 * history of applied and refused changes. A config that YAML cannot hold (a balancer given as a
 * lambda) is answered with the reason instead of the text.
 */
final class ConfigJson {

  private ConfigJson() {}

  static String of(String service, MeshConfig config, ConfigHistory history) {
    String yaml;
    Object tree;
    String problem = null;
    try {
      yaml = config.toYaml();
      tree = new Load(LoadSettings.builder().build()).loadFromString(yaml);
    } catch (IllegalStateException e) {
      yaml = null;
      tree = null;
      problem = e.getMessage();
    }
    StringBuilder out = new StringBuilder(1024);
    new Json(out).field("service", service).field("mtls", config.mtls() == null ? null : config.mtls().name())
        .field("yaml", yaml).raw("config", JsonTree.write(new StringBuilder(), tree).toString())
        .field("problem", problem).raw("history", history.json()).field("history_limit", history.limit())
        .field("history_dropped", history.dropped()).end();
    return out.toString();
  }
}
