package dev.tarn.server.lakehouse;

import dev.tarn.catalog.ResolvedReference;
import dev.tarn.executor.lakehouse.LakehouseViews;
import dev.tarn.server.lakehouse.TableResolver.ResolvedTable;
import dev.tarn.sql.ParsedStatement;
import dev.tarn.sql.TableReference;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Binds the lakehouse tables a statement reads to DuckDB views over their data files at the right
 * commit, by rewriting exactly the spans of the table references in the user's text (time-travel
 * clauses included); everything else reaches DuckDB as written. Views are per commit and never
 * change, so a statement sees one consistent state of every table it reads.
 */
final class ReadBinder {
  private final TableResolver resolver;
  private final LakehouseViews views;

  ReadBinder(TableResolver resolver, LakehouseViews views) {
    this.resolver = resolver;
    this.views = views;
  }

  /**
   * A statement ready for DuckDB, the catalog its unqualified names resolve in, and every commit
   * it reads (to keep their catalogs attached while it runs).
   */
  record Bound(String sql, String defaultCatalog, List<ResolvedReference> commits) {}

  /**
   * Rewrites the statement's table references to views; a write's target, when given, is replaced
   * by the caller's text instead (a scratch table) and never read through a view.
   */
  Bound bind(ParsedStatement statement, CurrentReference current, ResolvedReference head, String schema,
      Optional<TargetReplacement> target) {
    String defaultCatalog = views.ensureNamespaces(head);
    String sql = statement.sql();
    List<Replacement> replacements = new ArrayList<>();
    target.ifPresent(t -> replacements.add(new Replacement(t.start(), t.end(), t.text())));
    if (!statement.parsedByCalcite()) {
      // Tarn could not see which tables this statement names: make every table of the commit visible.
      views.ensureAllViews(head);
      return new Bound(apply(sql, replacements), defaultCatalog, List.of(head));
    }
    List<ResolvedReference> commits = new ArrayList<>(List.of(head));
    for (TableReference reference : statement.tables()) {
      if (target.isPresent() && target.get().reference().equals(reference)) {
        continue;
      }
      Optional<ResolvedTable> table = resolver.resolve(reference, current, head, schema);
      if (table.isPresent()) {
        String view = views.ensureView(table.get().at(), table.get().table());
        commits.add(table.get().at());
        replacements.add(new Replacement(reference.fullPosition().startIndex(sql),
            reference.fullPosition().endIndex(sql), view));
      }
    }
    return new Bound(apply(sql, replacements), defaultCatalog, commits);
  }

  record Replacement(int start, int end, String text) {}

  /** A write's target reference and the text (a scratch table) that stands in for it. */
  record TargetReplacement(TableReference reference, int start, int end, String text) {}

  /** Applies non-overlapping replacements, last first so earlier offsets stay valid. */
  static String apply(String sql, List<Replacement> replacements) {
    StringBuilder out = new StringBuilder(sql);
    replacements.stream()
        .sorted(Comparator.comparingInt(Replacement::start).reversed())
        .forEach(r -> out.replace(r.start(), r.end(), r.text()));
    return out.toString();
  }
}
