package io.meshwork.reliability;

/**
 * One row of the fault catalogue.
 *
 * @param order where it stands in the table
 * @param fault what is done, as the table says it
 * @param floor the least share of calls that must succeed (1.0: none may fail)
 */
record Row(String order, String fault, double floor) {

  Row {
    if (floor <= 0 || floor > 1) {
      throw new IllegalArgumentException("floor: " + floor + " (expected: 0 < floor <= 1)");
    }
  }
}
