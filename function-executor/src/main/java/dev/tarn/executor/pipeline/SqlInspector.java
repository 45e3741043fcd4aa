package dev.tarn.executor.pipeline;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.iceberg.Schema;
import org.apache.iceberg.expressions.Expression;

/**
 * What pipelines need to know about SQL text, answered by the SQL front end (which the executor
 * does not depend on): the tables a SQL model reads, and the Iceberg filter of a declared input's
 * filter for skipping data files and, when it is exact, for keeping whole ones.
 */
public interface SqlInspector {

  /**
   * The tables a query reads, as written ({@code name} or {@code schema.name}), in first-use order;
   * common table expressions and table functions are not inputs.
   *
   * @throws PipelinePlanException when the text is not a query
   */
  List<String> tablesRead(String sql);

  /**
   * The part of {@code predicate} (a SQL boolean expression over the table's columns) that Iceberg
   * metadata can check, or empty when none: used only to skip files, rows are still filtered.
   */
  Optional<Expression> pruningFilter(String predicate, Schema tableSchema);

  /**
   * {@code predicate} as an Iceberg expression that holds for exactly the rows it keeps, SQL's
   * treatment of nulls included, or empty when the front end cannot show that. A data file every
   * row of which this expression matches by its metadata is wholly kept without reading it.
   */
  Optional<Expression> exactFilter(String predicate, Schema tableSchema);

  /**
   * The names {@code predicate} mentions (the last part of each identifier, unquoted), or empty
   * when the front end cannot read it: the scan then reads every column.
   */
  Optional<Set<String>> namesIn(String predicate);

  /**
   * A SQL model file's first-line {@code -- tarn: key=value, ...} options and its query.
   *
   * @throws IllegalArgumentException naming an option that is not {@code key=value}
   */
  SqlModelText readModel(String fileText);
}
