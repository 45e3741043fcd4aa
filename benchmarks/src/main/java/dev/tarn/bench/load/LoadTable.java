package dev.tarn.bench.load;

import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The B7 table {@code s.t} on main: N rows {@code (id, g, v, name)} with {@code g = id % 100},
 * {@code v = 3 * id} and {@code name = 'row ' || id}, so every answer can be checked in closed form.
 */
final class LoadTable {
  static final int GROUPS = 100;
  static final String GROUP_BY = "SELECT g, count(*) AS c, sum(v) AS sv FROM s.t GROUP BY g ORDER BY g";

  private final long rows;
  private final long[] groupCount = new long[GROUPS];
  private final long[] groupSum = new long[GROUPS];

  LoadTable(long rows) {
    if (rows < GROUPS) {
      throw new IllegalArgumentException("the load table needs at least " + GROUPS + " rows");
    }
    this.rows = rows;
    for (long id = 0; id < rows; id++) {
      groupCount[(int) (id % GROUPS)]++;
      groupSum[(int) (id % GROUPS)] += v(id);
    }
  }

  /** The statement that makes the table: one CTAS, one commit. */
  String createSql() {
    return "CREATE TABLE s.t AS SELECT CAST(range AS BIGINT) AS id, CAST(range % " + GROUPS + " AS BIGINT) AS g,"
        + " CAST(range * 3 AS BIGINT) AS v, 'row ' || range AS name FROM range(" + rows + ")";
  }

  static long v(long id) {
    return 3 * id;
  }

  long rows() {
    return rows;
  }

  /** The sum of {@code v} over the table as made. */
  long sumV() {
    return 3 * (rows * (rows - 1) / 2);
  }

  /** What is wrong with a point query's row, or null when it is right. */
  String checkRow(long askedId, long id, long g, long v, String name) {
    if (id != askedId || g != id % GROUPS || v != v(id) || !("row " + id).equals(name)) {
      return "point query for id " + askedId + " returned (" + id + ", " + g + ", " + v + ", " + name + ")";
    }
    return null;
  }

  /** Checks the {@link #GROUP_BY} answer on main: 100 groups with their counts and sums. */
  void checkGroups(String who, ResultSet rs, LoadErrors errors) throws SQLException {
    int seen = 0;
    while (rs.next()) {
      long g = rs.getLong(1);
      if (g != seen || rs.getLong(2) != groupCount[seen] || rs.getLong(3) != groupSum[seen]) {
        errors.wrong(who + ": group-by row " + seen + " is (" + g + ", " + rs.getLong(2) + ", " + rs.getLong(3)
            + "), expected (" + seen + ", " + groupCount[seen] + ", " + groupSum[seen] + ")");
        return;
      }
      seen++;
    }
    if (seen != GROUPS) {
      errors.wrong(who + ": group-by returned " + seen + " groups, expected " + GROUPS);
    }
  }
}
