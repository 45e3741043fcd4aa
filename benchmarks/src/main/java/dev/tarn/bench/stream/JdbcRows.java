package dev.tarn.bench.stream;

import dev.tarn.bench.stream.StreamQuery.Tally;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * (b) and (d): a JDBC ResultSet walked row by row reading all four columns, as an application or
 * a BI tool reads it.
 */
final class JdbcRows implements StreamSide {
  private final String key;
  private final String label;
  private final Connection connection;
  private final boolean ownsConnection;
  private final String sql;

  JdbcRows(String key, String label, Connection connection, boolean ownsConnection, String sql) {
    this.key = key;
    this.label = label;
    this.connection = connection;
    this.ownsConnection = ownsConnection;
    this.sql = sql;
  }

  @Override
  public String key() {
    return key;
  }

  @Override
  public String label() {
    return label;
  }

  @Override
  public Tally fetch() throws Exception {
    long rows = 0;
    long sumId = 0;
    long sumA = 0;
    long sumB = 0;
    double sumC = 0;
    try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
      while (rs.next()) {
        sumId += rs.getLong(1);
        sumA += rs.getLong(2);
        sumB += rs.getLong(3);
        sumC += rs.getDouble(4);
        rows++;
      }
    }
    return Tally.ofRows(rows, sumId, sumA, sumB, sumC);
  }

  @Override
  public void close() {
    if (ownsConnection) {
      try {
        connection.close();
      } catch (SQLException e) {
        throw new IllegalStateException(label + ": closing the connection failed: " + e.getMessage(), e);
      }
    }
  }
}
