package io.meshwork.internal.telemetry;

import io.meshwork.telemetry.MetricFamily;
import io.meshwork.telemetry.MetricSeries;
import java.util.List;

/** One labelled series of a {@link Family}; the subclasses record. */
public abstract class Series implements MetricSeries {

  private static final long[] NO_BUCKETS = new long[0];

  private final Family family;
  private final List<String> labelValues;

  Series(Family family, List<String> labelValues) {
    this.family = family;
    this.labelValues = labelValues;
  }

  @Override
  public MetricFamily family() {
    return family;
  }

  @Override
  public List<String> labelValues() {
    return labelValues;
  }

  @Override
  public long count() {
    return 0;
  }

  @Override
  public double sum() {
    return value();
  }

  @Override
  public long[] bucketCounts() {
    return NO_BUCKETS;
  }

  @Override
  public String toString() {
    return family.name() + labelValues;
  }
}
