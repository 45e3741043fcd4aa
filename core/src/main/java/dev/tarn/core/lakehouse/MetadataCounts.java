package dev.tarn.core.lakehouse;

import dev.tarn.catalog.ResolvedReference;
import dev.tarn.core.lakehouse.ReadBinder.Bound;
import dev.tarn.core.lakehouse.TableResolver.ResolvedTable;
import dev.tarn.core.session.CurrentReference;
import dev.tarn.executor.EngineReading;
import dev.tarn.executor.lakehouse.LakehouseViews;
import dev.tarn.sql.ParsedStatement;
import dev.tarn.sql.TableReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Answers {@code SELECT count(*) FROM t} from the table's manifests, which record every data
 * file's row count, instead of having DuckDB open every file: a table written one row at a time
 * holds hundreds of small files, and its count took DuckDB 20 to 40 ms (benchmarks/README.md,
 * "count(*) from the manifests"). The answer is what a scan would count: Tarn reads only tables
 * without row-level deletes, and the table is bound and its files looked up as for a scan, so a
 * table its scan cannot read fails here too ({@link LakehouseViews#rowCount}).
 *
 * <p>Only that exact shape, as DuckDB's own parser reads the text ({@link
 * EngineReading#rowCountColumn}): one table, no clause, no other expression. Anything else, or a
 * table whose manifests do not tell, is bound and run as usual.
 */
final class MetadataCounts {
  private final TableResolver resolver;
  private final LakehouseViews views;

  MetadataCounts(TableResolver resolver, LakehouseViews views) {
    this.resolver = resolver;
    this.views = views;
  }

  /**
   * The statement bound to its answer ({@code SELECT CAST(n AS BIGINT) AS "count_star()"}, named as
   * DuckDB names the column), when it is a whole-table count of one lakehouse table; the commits it
   * reads are kept, so that reading them needs the same privileges as the scan.
   */
  Optional<Bound> answer(ParsedStatement statement, Function<String, EngineReading> read, CurrentReference current,
      ResolvedReference head, String schema, SessionTemporaries temporaries, Predicate<String> readable,
      Consumer<List<ResolvedReference>> requireRead) {
    if (!statement.parsedByCalcite() || statement.tables().size() != 1 || statement.parameterMarkers() != 0
        || !statement.sql().toLowerCase(Locale.ROOT).contains("count")) {
      return Optional.empty(); // not the shape: no need to ask DuckDB
    }
    TableReference written = statement.tables().get(0);
    if (temporaries.namesTemporary(written) || written.hasTimeTravel() || written.atParameter().isPresent()
        || !written.filters().isEmpty()) {
      return Optional.empty();
    }
    EngineReading reading = read.apply(statement.sql());
    if (!reading.isOneQuery() || reading.rowCountColumn().isEmpty() || reading.tables().size() != 1
        || !sameName(reading.tables().get(0), written.nameParts())) {
      return Optional.empty();
    }
    // READ on the session's commit and the table's is required there, before anything of the table is
    // planned or opened: its errors would tell a user without READ about it
    Optional<ResolvedTable> table = resolver.resolve(written, current, head,
        resolver.transactionScope(current, head), schema, readable,
        at -> requireRead.accept(List.of(head, at)));
    if (table.isEmpty()) {
      return Optional.empty(); // a view, or a name left to DuckDB: bound as usual, which reports it
    }
    List<ResolvedReference> reads = List.of(head, table.get().at());
    OptionalLong rows = views.rowCount(table.get().at(), table.get().table());
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    String sql = "SELECT CAST(" + rows.getAsLong() + " AS BIGINT) AS " + ReadBinder.quote(reading.rowCountColumn().get());
    return Optional.of(new Bound(sql, views.ensureNamespaces(head), reads, true, Set.of(),
        TimeTravelParameters.NONE, TextEdits.NONE));
  }

  /** Whether DuckDB read the one table under exactly the name Tarn's parser saw: a guard, both read one reference. */
  private static boolean sameName(EngineReading.TableName read, List<String> parts) {
    List<String> readParts = new ArrayList<>();
    for (String part : List.of(read.catalog(), read.schema(), read.table())) {
      if (!part.isEmpty()) {
        readParts.add(part);
      }
    }
    return readParts.equals(parts);
  }
}
