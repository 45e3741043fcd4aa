package dev.tarn.jdbc;

/**
 * Reads one Arrow column's values as Java objects: {@link #object} returns the value in the type
 * {@link SqlType#className()} names (java.time types for temporal values, {@code BigDecimal},
 * {@code UUID}, {@link TarnArray}, {@link TarnStruct}), and {@link Conversions} turns it into what
 * the other JDBC getters ask for. A reader stays bound to its vector while batches load into it.
 */
abstract class ColumnReader {
  private final String name;
  private final SqlType type;

  ColumnReader(String name, SqlType type) {
    this.name = name;
    this.type = type;
  }

  final String name() {
    return name;
  }

  final SqlType type() {
    return type;
  }

  abstract boolean isNull(int row);

  /** The value at {@code row}, or null. */
  final Object object(int row) {
    return isNull(row) ? null : value(row);
  }

  /** The value at a row known not to be null. */
  abstract Object value(int row);

  /**
   * Whether the column holds whole numbers that fit a long, which {@link #longValue} reads without
   * boxing: the numeric getters of a result read a row's values this way, a value at a time.
   */
  boolean holdsLongs() {
    return false;
  }

  /** The value at a row known not to be null, when {@link #holdsLongs()}. */
  long longValue(int row) {
    throw new UnsupportedOperationException("column " + name + " does not hold whole numbers");
  }

  /** Whether the column holds floating-point numbers, which {@link #doubleValue} reads without boxing. */
  boolean holdsDoubles() {
    return false;
  }

  /** The value at a row known not to be null, when {@link #holdsDoubles()}. */
  double doubleValue(int row) {
    throw new UnsupportedOperationException("column " + name + " does not hold floating-point numbers");
  }

  /** The value as text, as Tarn's own clients print it. */
  String string(int row) {
    Object value = object(row);
    return value == null ? null : Conversions.text(value);
  }
}
