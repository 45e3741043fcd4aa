package dev.tarn.bench.stream;

import dev.tarn.bench.WrongAnswerException;

/**
 * B1's query and its answer, known in closed form so every side is checked against arithmetic
 * rather than against each other.
 */
public final class StreamQuery {
  /** Columns id, a, b (BIGINT) and c (DOUBLE): 32 bytes of values per row. */
  public static final int COLUMNS = 4;

  private StreamQuery() {}

  public static String sql(long rows) {
    return "SELECT range AS id, range * 2 AS a, range % 97 AS b, (range * 0.5)::DOUBLE AS c FROM range(" + rows + ")";
  }

  /**
   * What a side saw. Arrow sides count rows and sum column {@code a}; JDBC sides read every column of
   * every row and sum all four.
   */
  public record Tally(long rows, long sumA, boolean allColumns, long sumId, long sumB, double sumC, long arrowBytes) {

    public static Tally ofArrow(long rows, long sumA, long arrowBytes) {
      return new Tally(rows, sumA, false, 0, 0, 0, arrowBytes);
    }

    public static Tally ofRows(long rows, long sumId, long sumA, long sumB, double sumC) {
      return new Tally(rows, sumA, true, sumId, sumB, sumC, 0);
    }
  }

  /** Sum of id over {@code 0..n-1}. */
  public static long expectedSumId(long n) {
    return n * (n - 1) / 2;
  }

  /** Sum of a = 2 * id: the checksum every side computes. */
  public static long expectedSumA(long n) {
    return n * (n - 1);
  }

  /** Sum of b = id % 97: whole cycles of 0..96, then 0..r-1. */
  public static long expectedSumB(long n) {
    long cycles = n / 97;
    long rest = n % 97;
    return cycles * (96 * 97 / 2) + rest * (rest - 1) / 2;
  }

  /**
   * Sum of c = id * 0.5. Every partial sum is a multiple of 0.5 below 2^52 for any n this benchmark
   * can run, so the double sum is exact whatever order it is added in.
   */
  public static double expectedSumC(long n) {
    return expectedSumId(n) / 2.0;
  }

  /**
   * Throws unless {@code tally} is the answer for {@code n} rows.
   *
   * @throws WrongAnswerException naming the side and what differed
   */
  public static void check(String side, Tally tally, long n) {
    expect(side, "rows", n, tally.rows());
    expect(side, "sum(a)", expectedSumA(n), tally.sumA());
    if (tally.allColumns()) {
      expect(side, "sum(id)", expectedSumId(n), tally.sumId());
      expect(side, "sum(b)", expectedSumB(n), tally.sumB());
      if (tally.sumC() != expectedSumC(n)) {
        throw new WrongAnswerException(side + ": sum(c) was " + tally.sumC() + ", expected " + expectedSumC(n));
      }
    }
  }

  private static void expect(String side, String what, long expected, long actual) {
    if (expected != actual) {
      throw new WrongAnswerException(side + ": " + what + " was " + actual + ", expected " + expected);
    }
  }
}
