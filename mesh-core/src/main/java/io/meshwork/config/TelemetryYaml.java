package io.meshwork.config;

import io.meshwork.telemetry.AccessLogConfig;
import io.meshwork.telemetry.TelemetryConfig;
import java.util.Arrays;
import java.util.List;

/**
 * The part of {@code mesh.yaml}'s description that is what a mesh records: metrics, tracing and the
 * access log. Made by the model's own constructors; the defaults are the model's.
 */
final class TelemetryYaml {

  static final ObjectCodec<AccessLogConfig> ACCESS_LOG = ObjectCodec.<AccessLogConfig>builder("AccessLog",
          "What the access log (logger io.meshwork.access) writes: one line per call and per request.")
      .defaults(AccessLogConfig.errorsOnly())
      .field("mode", KeywordCodec.forEnum(AccessLogConfig.Mode.class), AccessLogConfig::mode,
          "OFF, ALL, ERRORS (failures, 5xx, refusals and denials) or SAMPLED (errors and a share of the rest).")
      .field("sampleRatio", new NumberCodec(0, false, 1), AccessLogConfig::sampleRatio,
          "For SAMPLED, the share of the other exchanges logged, 0..1.")
      .field("format", KeywordCodec.forEnum(AccessLogConfig.Format.class), AccessLogConfig::format,
          "TEXT (Envoy's layout) or JSON (one object per line).")
      .build(v -> new AccessLogConfig(v.get("mode"), v.get("sampleRatio"), v.get("format")));

  static final ObjectCodec<TelemetryConfig> TELEMETRY = ObjectCodec.<TelemetryConfig>builder("Telemetry",
          "What the mesh records. Tracing and the access log change at run time; metrics, maxCallers and"
              + " durationBuckets are fixed when the mesh is built, and a config that changes them is refused.")
      .defaults(TelemetryConfig.defaults())
      .field("metrics", Scalars.BOOLEAN, TelemetryConfig::metrics, "Whether calls and requests are recorded.")
      .field("tracing", Scalars.BOOLEAN, TelemetryConfig::tracing,
          "Whether W3C trace context is continued and propagated, and spans made.")
      .field("accessLog", ACCESS_LOG, TelemetryConfig::accessLog, "What the access log writes.")
      .field("maxCallers", Scalars.POSITIVE, TelemetryConfig::maxCallers,
          "How many caller identities get a label of their own; later ones count as 'other'.")
      .field("durationBuckets", ListCodec.of(new NumberCodec(0, true, 1e6))
              .map(TelemetryYaml::array, bounds -> Arrays.stream(bounds).boxed().toList()),
          TelemetryConfig::durationBuckets, "The upper bounds of the duration histograms' buckets, in seconds,"
              + " ascending.")
      .build(v -> new TelemetryConfig(v.get("metrics"), v.get("tracing"), v.get("accessLog"),
          v.get("maxCallers"), v.get("durationBuckets")));

  private TelemetryYaml() {}

  private static double[] array(List<Double> bounds) {
    return bounds.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
