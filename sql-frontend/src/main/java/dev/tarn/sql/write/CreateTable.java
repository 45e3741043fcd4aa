package dev.tarn.sql.write;

import dev.tarn.sql.TableReference;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code CREATE [OR REPLACE] [TEMP | TEMPORARY] TABLE [IF NOT EXISTS] name [(columns)] [PARTITIONED BY (...)]
 * [AS query]}. A temporary table is the session's own, outside the lakehouse.
 *
 * @param temporary {@code TEMP} or {@code TEMPORARY} was written
 * @param columnsText the text between the column list's parentheses, exactly as written
 * @param partitionBy the partition fields, in order; empty without PARTITIONED BY
 * @param asQuery the span of the query after AS, to the end of the statement
 * @param partitionClause the span of {@code PARTITIONED BY (...)}, which is Tarn's, not DuckDB's:
 *     see {@link #withoutPartitionClause(String)}
 */
public record CreateTable(
    TableReference target,
    boolean orReplace,
    boolean ifNotExists,
    Optional<String> columnsText,
    List<PartitionField> partitionBy,
    Optional<SqlSpan> asQuery,
    Optional<SqlSpan> partitionClause,
    boolean temporary) implements TargetedWrite {

  public CreateTable {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(columnsText, "columnsText");
    partitionBy = List.copyOf(partitionBy);
    Objects.requireNonNull(asQuery, "asQuery");
    Objects.requireNonNull(partitionClause, "partitionClause");
    if (partitionBy.isEmpty() != partitionClause.isEmpty()) {
      throw new IllegalArgumentException("partition fields come with the span of their clause, and only then");
    }
  }

  /** A table without partitioning. */
  public CreateTable(TableReference target, boolean orReplace, boolean ifNotExists, Optional<String> columnsText,
      Optional<SqlSpan> asQuery) {
    this(target, orReplace, ifNotExists, columnsText, List.of(), asQuery, Optional.empty(), false);
  }

  /** {@code sql} without the PARTITIONED BY clause: the statement in DuckDB's dialect. */
  public String withoutPartitionClause(String sql) {
    return partitionClause.map(span -> span.removeFrom(sql)).orElse(sql);
  }
}
