package dev.tarn.server.flight;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * Bound decimal values as DuckDB can take them exactly. DuckDB's JDBC binding turns a
 * {@link BigDecimal} into DECIMAL(precision, scale), and one of more than 38 digits into NULL,
 * silently; so a value is handed on only in a form of at most 38 digits with the same numeric value.
 */
final class DecimalParameters {
  /** The most digits a DuckDB (and Iceberg) decimal holds. */
  static final int MAX_PRECISION = 38;

  private DecimalParameters() {}

  /**
   * The value in a form DuckDB binds exactly: as sent when it fits, else without the trailing zeros a
   * wide Arrow type gave it (a decimal256(50, 20) 1.5 is 1.50000000000000000000); empty when no
   * DECIMAL(38, s) holds it.
   */
  static Optional<BigDecimal> exact(BigDecimal value) {
    if (fits(value)) {
      return Optional.of(value);
    }
    BigDecimal shortest = shortest(value);
    return fits(shortest) ? Optional.of(shortest) : Optional.empty();
  }

  /** Digits of the DECIMAL(p, s) that would hold the value, trailing zeros after the point dropped. */
  static int digitsNeeded(BigDecimal value) {
    BigDecimal shortest = shortest(value);
    // DuckDB's binding makes it DECIMAL(max(precision, scale), scale): 1E-38 is DECIMAL(38, 38)
    return Math.max(shortest.precision(), shortest.scale());
  }

  private static BigDecimal shortest(BigDecimal value) {
    BigDecimal stripped = value.stripTrailingZeros();
    // a negative scale (1E+2) is no DuckDB decimal: write its zeros out
    return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
  }

  private static boolean fits(BigDecimal value) {
    return value.scale() >= 0 && Math.max(value.precision(), value.scale()) <= MAX_PRECISION;
  }
}
