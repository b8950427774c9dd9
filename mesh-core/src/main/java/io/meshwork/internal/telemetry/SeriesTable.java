package io.meshwork.internal.telemetry;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntFunction;

/**
 * The series of one set of fixed labels, found by two small indexes (say a method and a status)
 * with three array reads and no allocation. Both levels are made on first use, a row as an index of
 * blocks of {@value #BLOCK} columns and a block when one of its columns is: a destination called
 * only with GET and answered only 200 holds one row of 32 block references and one block, not 500
 * references for the statuses it never sees (the client's heap holds a table per instance port).
 * Entries are made by {@code loader} once (a race makes the same series, which the family dedupes).
 */
public final class SeriesTable<T> {

  private static final int SHIFT = 4;
  /** Columns per block. */
  static final int BLOCK = 1 << SHIFT;

  private final int columns;
  private final int blocks;
  private final AtomicReferenceArray<AtomicReferenceArray<AtomicReferenceArray<T>>> rows;
  private final IntFunction<T> loader;

  /** A table of {@code rows} x {@code columns}; {@code loader} gets {@code row * columns + column}. */
  public SeriesTable(int rows, int columns, IntFunction<T> loader) {
    this.columns = columns;
    this.blocks = (columns + BLOCK - 1) >>> SHIFT;
    this.rows = new AtomicReferenceArray<>(rows);
    this.loader = loader;
  }

  /** The entry at {@code row}, {@code column}, made on first use. */
  public T get(int row, int column) {
    AtomicReferenceArray<AtomicReferenceArray<T>> index = rows.get(row);
    if (index == null) {
      rows.compareAndSet(row, null, new AtomicReferenceArray<>(blocks));
      index = rows.get(row);
    }
    int block = column >>> SHIFT;
    AtomicReferenceArray<T> cells = index.get(block);
    if (cells == null) {
      index.compareAndSet(block, null, new AtomicReferenceArray<>(BLOCK));
      cells = index.get(block);
    }
    int cell = column & (BLOCK - 1);
    T value = cells.get(cell);
    if (value == null) {
      value = loader.apply(row * columns + column);
      if (!cells.compareAndSet(cell, null, value)) {
        value = cells.get(cell);
      }
    }
    return value;
  }
}
