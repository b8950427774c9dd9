package io.meshwork.fleet.api;

/**
 * The fleet's telemetry switches, the {@code observability} object of {@code POST /api/v1/config}.
 *
 * @param tracingEnabled whether meshes start and continue traces
 * @param metricsEnabled whether meshes record metrics
 * @param accessLogEnabled whether meshes write access log lines
 * @param samplingRate the share of new traces sampled, 0.0..1.0
 */
public record ObservabilitySettings(Boolean tracingEnabled, Boolean metricsEnabled, Boolean accessLogEnabled,
    Double samplingRate) {

  /**
   * These settings checked.
   *
   * @throws FieldError naming the bad field
   */
  public ObservabilitySettings checked() {
    if (samplingRate != null && !(samplingRate >= 0 && samplingRate <= 1)) {
      throw new FieldError("sampling_rate", samplingRate, "a number in 0.0..1.0");
    }
    return this;
  }
}
