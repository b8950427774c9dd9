package io.meshwork.telemetry;

import java.util.List;

/**
 * One labelled series of a {@link MetricFamily}: a counter's total, a gauge's value or a histogram's
 * buckets, count and sum. Reading is cheap and never blocks the calls that record into it.
 */
public interface MetricSeries {

  /** The family this series belongs to. */
  MetricFamily family();

  /** The values of the family's {@link MetricFamily#labelNames()}, in the same order. */
  List<String> labelValues();

  /** A counter's total or a gauge's current value; a histogram's sum. */
  double value();

  /** A histogram's number of observations; a counter's total; 0 for a gauge. */
  long count();

  /** A histogram's sum of observations in the family's unit; the value for other types. */
  double sum();

  /**
   * A histogram's observations per bucket (not cumulative), one per {@link MetricFamily#bucketBounds()}
   * plus the last, above every bound; empty for other types. Their total is {@link #count()}.
   */
  long[] bucketCounts();
}
