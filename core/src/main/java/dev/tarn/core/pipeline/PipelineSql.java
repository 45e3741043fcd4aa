package dev.tarn.core.pipeline;

import dev.tarn.executor.pipeline.PipelinePlanException;
import dev.tarn.executor.pipeline.SqlInspector;
import dev.tarn.executor.pipeline.SqlModelText;
import dev.tarn.sql.ModelText;
import dev.tarn.core.lakehouse.ScanPruning;
import dev.tarn.sql.ParsedStatement;
import dev.tarn.sql.ScanConditions;
import dev.tarn.sql.SqlFrontend;
import dev.tarn.sql.StatementKind;
import dev.tarn.sql.TableReference;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.iceberg.Schema;
import org.apache.iceberg.expressions.Expression;

/**
 * Answers the executor's questions about pipeline SQL with the SQL front end: the tables a SQL
 * model reads are its statement's table references, and a declared input filter prunes data files
 * the way a query's WHERE does.
 */
public final class PipelineSql implements SqlInspector {
  private final SqlFrontend frontend;

  public PipelineSql(SqlFrontend frontend) {
    this.frontend = frontend;
  }

  @Override
  public List<String> tablesRead(String sql) {
    ParsedStatement parsed = frontend.parse(sql);
    if (parsed.kind() != StatementKind.QUERY) {
      throw new PipelinePlanException("a SQL model must be a query (SELECT ...), not " + parsed.kind().name()
          .toLowerCase(java.util.Locale.ROOT) + " statement '" + parsed.leadingKeyword() + "'");
    }
    if (!parsed.parsedByCalcite()) {
      throw new PipelinePlanException("Tarn could not find the tables this query reads: its SQL uses syntax "
          + "outside Tarn's grammar, or text Tarn's grammar reads otherwise than DuckDB (a dollar-quoted string, "
          + "a number such as 0x10 or 1_000, a carriage return without a line feed). Write the model in standard "
          + "SQL (DuckDB functions are fine)");
    }
    Set<String> names = new LinkedHashSet<>();
    for (TableReference reference : parsed.tables()) {
      if (reference.hasTimeTravel()) {
        throw new PipelinePlanException("a SQL model reads its inputs at the run's commit; remove the time-travel "
            + "clause from " + reference.qualifiedName() + " (at " + reference.position() + ")");
      }
      names.add(reference.qualifiedName());
    }
    return new ArrayList<>(names);
  }

  @Override
  public SqlModelText readModel(String fileText) {
    ModelText model = ModelText.read(fileText);
    return new SqlModelText(model.options(), model.query(), model.parameters());
  }

  @Override
  public Optional<Set<String>> namesIn(String predicate) {
    try {
      return frontend.namesIn(predicate);
    } catch (RuntimeException e) {
      return Optional.empty(); // too large or too deep: the scan reads every column, DuckDB judges the filter
    }
  }

  @Override
  public Optional<Expression> pruningFilter(String predicate, Schema tableSchema) {
    return conditions(predicate).flatMap(conditions -> ScanPruning.expression(conditions.usable(), tableSchema));
  }

  @Override
  public Optional<Expression> exactFilter(String predicate, Schema tableSchema) {
    return conditions(predicate).filter(ScanConditions::whole)
        .flatMap(conditions -> ScanPruning.exact(conditions.usable(), tableSchema));
  }

  /** The predicate's conditions as DuckDB will read them, or none: pruning and keeping files whole are optimizations. */
  private Optional<ScanConditions> conditions(String predicate) {
    try {
      return frontend.conditionsOf(predicate);
    } catch (RuntimeException e) {
      return Optional.empty(); // too large or too deep: DuckDB reports a bad filter when the scan runs
    }
  }
}
