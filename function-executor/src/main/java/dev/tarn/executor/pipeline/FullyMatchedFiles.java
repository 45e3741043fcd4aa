package dev.tarn.executor.pipeline;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Schema;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.StrictMetricsEvaluator;

/**
 * Finds the data files of a scan every row of which its filter keeps: their cached fragments can be
 * handed over as they are, unfiltered.
 *
 * <p>Only for a filter the front end turned into an Iceberg expression that holds for exactly the
 * rows SQL's WHERE keeps ({@link SqlInspector#exactFilter}), and only by Iceberg's metadata. Files
 * of any other filter are read with it. DuckDB used to confirm such files once each and the answer
 * was remembered, which gave wrong rows: a filter naming {@code now()} or {@code random()} changes its
 * answer between runs, a schema id names different columns on two branches, and {@code COLUMNS(*)}
 * expanded over the filter's columns alone judges fewer columns than the scan's own WHERE.
 */
final class FullyMatchedFiles {
  private FullyMatchedFiles() {}

  /**
   * The locations of the files every row of which matches {@code exact} by Iceberg's metadata: the
   * task's partition leaves nothing of it to check, or the file's column bounds and counts show it.
   * Planned with {@code exact}, so that each task's residual is of it.
   */
  static Set<String> byMetadata(List<FileScanTask> tasks, Schema schema, Expression exact) {
    StrictMetricsEvaluator bounds = new StrictMetricsEvaluator(schema, exact);
    Set<String> whole = new HashSet<>();
    for (FileScanTask task : tasks) {
      if (task.residual().op() == Expression.Operation.TRUE || bounds.eval(task.file())) {
        whole.add(task.file().location());
      }
    }
    return whole;
  }
}
