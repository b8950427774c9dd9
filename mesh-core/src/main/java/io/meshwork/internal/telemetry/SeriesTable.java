package io.meshwork.internal.telemetry;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntFunction;

/**
 * The series of one set of fixed labels, found by two small indexes (say a method and a status)
 * with two array reads and no allocation. Rows are made on first use, so a destination called only
 * with GET holds one row; entries are made by {@code loader} once (a race makes the same series,
 * which the family dedupes).
 */
public final class SeriesTable<T> {

  private final int columns;
  private final AtomicReferenceArray<AtomicReferenceArray<T>> rows;
  private final IntFunction<T> loader;

  /** A table of {@code rows} x {@code columns}; {@code loader} gets {@code row * columns + column}. */
  public SeriesTable(int rows, int columns, IntFunction<T> loader) {
    this.columns = columns;
    this.rows = new AtomicReferenceArray<>(rows);
    this.loader = loader;
  }

  /** The entry at {@code row}, {@code column}, made on first use. */
  public T get(int row, int column) {
    AtomicReferenceArray<T> cells = rows.get(row);
    if (cells == null) {
      rows.compareAndSet(row, null, new AtomicReferenceArray<>(columns));
      cells = rows.get(row);
    }
    T value = cells.get(column);
    if (value == null) {
      value = loader.apply(row * columns + column);
      if (!cells.compareAndSet(column, null, value)) {
        value = cells.get(column);
      }
    }
    return value;
  }
}
