package io.meshwork.reliability;

import java.time.Duration;

/**
 * One row of the fault catalogue.
 *
 * @param order where it stands in the table
 * @param fault what is done, as the table says it
 * @param floor the least share of calls that must succeed (1.0: none may fail; 0: the row promises
 *     a recovery time instead, for faults that no call can survive)
 * @param maxRecovery the longest the calls may keep failing (from the fault's end, or from its start
 *     when it does not end), or null for no bound beyond the floor
 */
public record Row(String order, String fault, double floor, Duration maxRecovery) {

  /** Checks the floor. */
  public Row {
    if (floor < 0 || floor > 1 || (floor == 0 && maxRecovery == null)) {
      throw new IllegalArgumentException("floor: " + floor + " (expected: 0 < floor <= 1, or 0 with a maxRecovery)");
    }
  }

  /** A row that promises a success rate only. */
  public Row(String order, String fault, double floor) {
    this(order, fault, floor, null);
  }
}
