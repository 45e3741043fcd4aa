package dev.tarn.bench.load;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One B7 client: its own Flight SQL JDBC connection and its own branch {@code load_<i>}. Until the
 * deadline it draws a statement kind (70% point query, 20% scan, 10% one-row commit), runs it,
 * times it from sending to having read the whole result, and checks its answer. Errors are counted,
 * never thrown: the benchmark reports them.
 */
final class LoadClient {
  private final int index;
  private final Connection connection;
  private final LoadTable table;
  private final LoadErrors errors;
  private final SplittableRandom random;
  private final String branch;
  private final Map<Kind, List<Double>> millis = new EnumMap<>(Kind.class);
  private final Map<Kind, Integer> failed = new EnumMap<>(Kind.class);
  private PreparedStatement point;
  /** One-row commits known to have landed on this client's branch, and the sum of their {@code v}. */
  private long inserted;
  private long insertedSum;
  /** After a failed INSERT nobody knows whether it committed: the branch's totals are no longer checked. */
  private boolean branchKnown = true;
  private int scans;

  LoadClient(int index, Connection connection, LoadTable table, LoadErrors errors) {
    this.index = index;
    this.connection = connection;
    this.table = table;
    this.errors = errors;
    this.random = new SplittableRandom(0x7a2eL * 31 + index);
    this.branch = "load_" + index;
    for (Kind k : Kind.values()) {
      millis.put(k, new ArrayList<>());
      failed.put(k, 0);
    }
  }

  String branch() {
    return branch;
  }

  /** Creates this client's branch from main; not timed. */
  void createBranch() throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute("CREATE BRANCH " + branch + " FROM main");
    }
  }

  /** Runs statements until {@code deadlineNanos}; the last one may finish after it. */
  void run(long deadlineNanos) {
    while (System.nanoTime() < deadlineNanos) {
      Kind kind = Kind.forDraw(random.nextInt(100));
      long start = System.nanoTime();
      try {
        switch (kind) {
          case POINT -> pointQuery();
          case SCAN -> scan();
          case INSERT -> insert();
        }
        millis.get(kind).add((System.nanoTime() - start) / 1e6);
      } catch (SQLException | RuntimeException e) {
        failed.merge(kind, 1, Integer::sum);
        errors.add(branch + " " + kind.key, e);
        if (kind == Kind.INSERT) {
          branchKnown = false;
        }
        if (kind == Kind.POINT) {
          closePoint();
        }
      }
    }
  }

  private void pointQuery() throws SQLException {
    if (point == null) {
      point = connection.prepareStatement("SELECT * FROM s.t WHERE id = ?");
    }
    long id = random.nextLong(table.rows());
    point.setLong(1, id);
    int rows = 0;
    try (ResultSet rs = point.executeQuery()) {
      while (rs.next()) {
        rows++;
        String problem = table.checkRow(id, rs.getLong("id"), rs.getLong("g"), rs.getLong("v"), rs.getString("name"));
        if (problem != null) {
          errors.wrong(branch + ": " + problem);
        }
      }
    }
    if (rows != 1) {
      errors.wrong(branch + ": point query for id " + id + " returned " + rows + " rows, expected 1");
    }
  }

  /** Alternates a group-by over main's table and a count and sum over the client's own branch. */
  private void scan() throws SQLException {
    scans++;
    try (Statement s = connection.createStatement()) {
      if (scans % 2 == 1) {
        try (ResultSet rs = s.executeQuery(LoadTable.GROUP_BY)) {
          table.checkGroups(branch, rs, errors);
        }
      } else {
        try (ResultSet rs = s.executeQuery("SELECT count(*), sum(v) FROM " + branch + ".s.t")) {
          rs.next();
          long count = rs.getLong(1);
          long sum = rs.getLong(2);
          if (branchKnown && (count != table.rows() + inserted || sum != table.sumV() + insertedSum)) {
            errors.wrong(branch + ": count and sum " + count + ", " + sum + " after " + inserted
                + " inserts, expected " + (table.rows() + inserted) + ", " + (table.sumV() + insertedSum));
          }
        }
      }
    }
  }

  private void insert() throws SQLException {
    // ids above the table's, distinct per client, so the branch's sum says which rows landed
    long id = table.rows() + (long) index * 10_000_000L + inserted + 1;
    try (Statement s = connection.createStatement()) {
      int count = s.executeUpdate("INSERT INTO " + branch + ".s.t VALUES (" + id + ", " + (id % 100) + ", "
          + LoadTable.v(id) + ", 'row " + id + "')");
      if (count != 1) {
        errors.wrong(branch + ": INSERT reported " + count + " rows, expected 1");
      }
    }
    inserted++;
    insertedSum += LoadTable.v(id);
  }

  /** After the run, untimed: the branch holds main's rows plus exactly this client's inserts. */
  void checkBranch() {
    if (!branchKnown) {
      return;
    }
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*), sum(v) FROM " + branch + ".s.t")) {
      rs.next();
      if (rs.getLong(1) != table.rows() + inserted || rs.getLong(2) != table.sumV() + insertedSum) {
        errors.wrong(branch + " at the end: count and sum " + rs.getLong(1) + ", " + rs.getLong(2)
            + ", expected " + (table.rows() + inserted) + ", " + (table.sumV() + insertedSum));
      }
    } catch (SQLException e) {
      errors.add(branch + " final check", e);
    }
  }

  List<Double> millis(Kind kind) {
    return millis.get(kind);
  }

  int failed(Kind kind) {
    return failed.get(kind);
  }

  long inserted() {
    return inserted;
  }

  private void closePoint() {
    if (point != null) {
      try {
        point.close();
      } catch (SQLException ignored) {
        // a broken prepared statement is replaced on the next point query
      }
      point = null;
    }
  }

  void close() {
    closePoint();
    try {
      connection.close();
    } catch (SQLException ignored) {
      // the server is closed next
    }
  }
}
