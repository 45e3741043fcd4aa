package dev.tarn.executor.pipeline;

import dev.tarn.executor.lakehouse.LakehouseViews;
import dev.tarn.executor.lakehouse.Sql;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Schema;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.StrictMetricsEvaluator;

/**
 * Finds the data files of a scan every row of which its filter keeps: their cached fragments can be
 * handed over as they are, unfiltered.
 *
 * <p>Iceberg's metadata answers first: a file qualifies only when its partition (the task's
 * residual is always true) or its column bounds (strict metrics evaluation) show that every row
 * matches the filter's Iceberg form. That form is not enough on its own: the SQL front end turns
 * only the conditions it can into Iceberg predicates and leaves the others out, so it can be wider
 * than the filter. DuckDB therefore confirms each such file once (the rows the filter keeps are all
 * the rows Iceberg's metadata counts in it), reading only the filter's columns,
 * and the answer is remembered per file, schema and filter ({@link FullMatches}), so a scan repeating
 * a filter reads no Parquet for it. When the front end shows that the Iceberg form is exactly the
 * filter ({@link SqlInspector#exactFilter}), the metadata's answer is final ({@link #byMetadata}).
 */
final class FullyMatchedFiles {
  private FullyMatchedFiles() {}

  /**
   * @param tasks the scan's planned files
   * @param filter the scan's SQL filter, null for none (then every file qualifies)
   * @param pruning the filter's Iceberg form, null when there is none (then no file qualifies)
   * @param filterColumns the table's columns the filter reads (table's schema at the scan's snapshot)
   * @param localPaths where DuckDB reads each file, by location
   * @return the locations of the files every row of which the filter keeps
   */
  static Set<String> find(List<FileScanTask> tasks, Schema schema, int schemaId, String filter, Expression pruning,
      Schema filterColumns, Map<String, String> localPaths, FullMatches known, Connection c) throws SQLException {
    Set<String> whole = new HashSet<>();
    if (filter == null) {
      tasks.forEach(t -> whole.add(t.file().location()));
      return whole;
    }
    if (pruning == null || filterColumns.columns().isEmpty()) {
      // nothing Iceberg can check, or a filter over no column (such as random()): filter every row
      return whole;
    }
    List<FileScanTask> unknown = new ArrayList<>();
    Set<String> byMetadata = byMetadata(tasks, schema, pruning);
    for (FileScanTask task : tasks) {
      String location = task.file().location();
      if (!byMetadata.contains(location)) {
        continue;
      }
      Optional<Boolean> answer = known.get(new FullMatches.Key(location, schemaId, filter));
      if (answer.isEmpty()) {
        unknown.add(task);
      } else if (answer.get()) {
        whole.add(location);
      }
    }
    if (unknown.isEmpty()) {
      return whole;
    }
    // One query for all of them: DuckDB reads the files side by side. Counting the rows the filter
    // keeps (rather than those it drops) lets DuckDB use its own row-group statistics for the filter.
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < unknown.size(); i++) {
      String local = localPaths.get(unknown.get(i).file().location());
      parts.add("SELECT " + i + " AS file, count(*) AS kept FROM ("
          + LakehouseViews.selectSql(filterColumns, List.of(local)) + ") AS " + Sql.ident("scan")
          + SqlText.where(filter));
    }
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(String.join("\nUNION ALL ", parts))) {
      while (rs.next()) {
        FileScanTask task = unknown.get(rs.getInt(1));
        boolean all = rs.getLong(2) == task.file().recordCount();
        known.put(new FullMatches.Key(task.file().location(), schemaId, filter), all);
        if (all) {
          whole.add(task.file().location());
        }
      }
    }
    return whole;
  }

  /**
   * The locations of the files every row of which matches {@code expression} by Iceberg's metadata:
   * the task's partition leaves nothing of it to check, or the file's column bounds and counts show
   * it. Planned with {@code expression}, so that each task's residual is of it.
   */
  static Set<String> byMetadata(List<FileScanTask> tasks, Schema schema, Expression expression) {
    StrictMetricsEvaluator bounds = new StrictMetricsEvaluator(schema, expression);
    Set<String> whole = new HashSet<>();
    for (FileScanTask task : tasks) {
      if (task.residual().op() == Expression.Operation.TRUE || bounds.eval(task.file())) {
        whole.add(task.file().location());
      }
    }
    return whole;
  }
}
