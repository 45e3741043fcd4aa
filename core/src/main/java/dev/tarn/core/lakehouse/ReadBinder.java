package dev.tarn.core.lakehouse;

import dev.tarn.core.session.CurrentReference;
import dev.tarn.catalog.ResolvedReference;
import dev.tarn.executor.lakehouse.LakehouseViews;
import dev.tarn.core.lakehouse.TableResolver.ResolvedTable;
import dev.tarn.sql.ParsedStatement;
import dev.tarn.sql.PointInTimeParameter;
import dev.tarn.sql.StatementKind;
import dev.tarn.sql.TableReference;
import dev.tarn.executor.EngineException;
import dev.tarn.executor.EngineException.Reason;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.Set;
import org.apache.iceberg.expressions.Expression;

/**
 * Binds the lakehouse tables a statement reads to DuckDB views over their data files at the right
 * commit, and the session's temporary tables and views to their place in the session's temporary
 * catalog ({@link SessionTemporaries}), by rewriting exactly the spans of the table references in the
 * user's text (time-travel clauses included); everything else reaches DuckDB as written. Views are per
 * commit and never change, so a statement sees one consistent state of every table it reads.
 */
final class ReadBinder {
  /** How deep views may name views. */
  static final int MAX_VIEW_DEPTH = 10;

  private final TableResolver resolver;
  private final LakehouseViews views;
  private final java.util.function.Function<String, ParsedStatement> parser;

  private final ScanListener scans;

  /** Told how many data files each pruned scan reads and skips. */
  public interface ScanListener {
    void accept(int filesRead, int filesSkipped);
  }

  /** The same binding, reporting nothing: for describing statements that do not run yet. */
  ReadBinder silent() {
    return new ReadBinder(resolver, views, parser, (read, skipped) -> {});
  }

  /** @param parser reads a view's query (the SQL front end's parse) */
  ReadBinder(TableResolver resolver, LakehouseViews views, java.util.function.Function<String, ParsedStatement> parser,
      ScanListener scans) {
    this.resolver = resolver;
    this.views = views;
    this.parser = parser;
    this.scans = scans;
  }

  /**
   * A statement ready for DuckDB, the catalog its unqualified names resolve in, and every commit
   * it reads (to keep their catalogs attached while it runs).
   *
   * @param onlyLakehouse whether every table it names is a lakehouse table at a fixed commit (none
   *     left to DuckDB, and none of the session's temporary tables): then the same text always means
   *     the same thing
   * @param scanFiles the data files of the pruned scans Tarn wrote into the text ({@code read_parquet})
   * @param timeTravel the statement's parameters that picked points in time, absent from {@code sql}
   * @param edits how {@code sql} differs from the statement's text, to place the engine's errors in it
   */
  record Bound(String sql, String defaultCatalog, List<ResolvedReference> commits, boolean onlyLakehouse,
      Set<String> scanFiles, TimeTravelParameters timeTravel, TextEdits edits) {
    Bound {
      commits = List.copyOf(commits);
      scanFiles = Set.copyOf(scanFiles);
      java.util.Objects.requireNonNull(timeTravel, "timeTravel");
      java.util.Objects.requireNonNull(edits, "edits");
    }

    /**
     * The same binding run after {@code prefix}, Tarn's, where the client wrote {@code clientPrefix}
     * characters before the text bound ({@code EXPLAIN } before a query).
     */
    Bound afterPrefix(String prefix, int clientPrefix) {
      return new Bound(prefix + sql, defaultCatalog, commits, onlyLakehouse, scanFiles, timeTravel,
          edits.afterPrefix(clientPrefix, prefix.length()));
    }

    /** The same binding without the first {@code length} characters of its text, Tarn's prefix. */
    Bound withoutPrefix(int length) {
      return new Bound(sql.substring(length), defaultCatalog, commits, onlyLakehouse, scanFiles, timeTravel,
          TextEdits.NONE);
    }

    /** {@code error}, raised by the engine running this text, placed in the statement's text {@code client}. */
    EngineException placed(EngineException error, String client) {
      return edits.relocate(error, sql, client);
    }
  }

  /** The catalog unqualified names resolve in when a statement reads {@code head}. */
  String defaultCatalog(ResolvedReference head) {
    return views.ensureNamespaces(head);
  }

  /**
   * Rewrites the statement's table references to views; time-travel parameters are refused.
   *
   * @param readable whether the reader may read a reference, by name (to resolve names against it)
   * @param requireRead throws unless the reader may read a commit: called for each commit a table or
   *     view is read at, before anything of it is planned or opened, so that its errors (a missing
   *     file, a table Tarn cannot read) never reach a reader without READ there
   */
  Bound bind(ParsedStatement statement, CurrentReference current, ResolvedReference head, String schema,
      SessionTemporaries temporaries, Predicate<String> readable, Consumer<ResolvedReference> requireRead) {
    return bind(statement, current, head, schema, temporaries, PointsInTime.refused(), readable, requireRead);
  }

  /**
   * Rewrites the statement's table references to views, reading a table whose time-travel clause is
   * a parameter ({@code t AT TIMESTAMP ?}) at the point {@code points} gives it. The clause leaves the
   * text with its {@code ?}; {@link Bound#timeTravel()} tells which parameters went.
   */
  Bound bind(ParsedStatement statement, CurrentReference current, ResolvedReference head, String schema,
      SessionTemporaries temporaries, PointsInTime points, Predicate<String> readable,
      Consumer<ResolvedReference> requireRead) {
    return bind(statement, current, head, resolver.transactionScope(current, head), schema, temporaries, points,
        readable, requireRead, List.of());
  }

  /**
   * @param transaction the session's open transaction, which names in views' bodies see too
   * @param viewsOpen the views being bound around this statement, outermost first (to refuse cycles)
   */
  private Bound bind(ParsedStatement statement, CurrentReference current, ResolvedReference head,
      Optional<TableResolver.TransactionScope> transaction, String schema, SessionTemporaries temporaries,
      PointsInTime points, Predicate<String> readable, Consumer<ResolvedReference> requireRead,
      List<String> viewsOpen) {
    String sql = statement.sql();
    // The engine runs the text from its first token: DuckDB drops what comes before and shifts its
    // errors' columns by it, on every line.
    List<Replacement> replacements = new ArrayList<>();
    if (statement.textStart() > 0) {
      replacements.add(new Replacement(0, statement.textStart(), ""));
    }
    if (statement.tables().isEmpty() && statement.isShowTables()) {
      // Views are made as statements name them; a listing names none and needs only the names,
      // which its own catalog holds with every namespace (the commit's catalog is not needed).
      requireRead.accept(head);
      return new Bound(apply(sql, replacements), views.ensureNameListing(head), List.of(head), false, Set.of(),
          TimeTravelParameters.NONE, TextEdits.of(replacements));
    }
    String defaultCatalog = views.ensureNamespaces(head);
    if (!statement.parsedByCalcite() || statement.tables().isEmpty() && SHOWS.contains(statement.leadingKeyword())) {
      // Tarn could not see which tables this statement names (Calcite reads SHOW t as a setting's
      // name): make every table of the commit visible, which plans them all: READ on it first.
      requireRead.accept(head);
      views.ensureAllViews(head);
      return new Bound(apply(sql, replacements), defaultCatalog, List.of(head), false, Set.of(),
          TimeTravelParameters.NONE, TextEdits.of(replacements));
    }
    List<ResolvedReference> commits = new ArrayList<>(List.of(head));
    boolean onlyLakehouse = true;
    Set<String> scanFiles = new HashSet<>();
    List<PointInTimeParameter> taken = new ArrayList<>();
    for (TableReference written : statement.tables()) {
      if (temporaries.namesTemporary(written)) {
        // A name of the session's temporary catalog; one it does not have is left for DuckDB to report.
        onlyLakehouse = false;
        temporaries.existing(written).ifPresent(name -> replacements.add(new Replacement(
            written.fullPosition().startIndex(sql), written.fullPosition().endIndex(sql), name)));
        continue;
      }
      TableReference reference = written;
      if (written.atParameter().isPresent()) {
        reference = written.pinnedAt(points.at(written.atParameter().get()));
        taken.add(written.atParameter().get());
      }
      // READ on the table's commit is required there, before anything of it is planned
      Optional<ResolvedTable> table = resolver.resolve(reference, current, head, transaction, schema, readable,
          requireRead);
      if (table.isPresent()) {
        commits.add(table.get().at());
        String text = pruned(reference, table.get(), scanFiles)
            .orElseGet(() -> views.ensureView(table.get().at(), table.get().table()));
        replacements.add(new Replacement(reference.fullPosition().startIndex(sql),
            reference.fullPosition().endIndex(sql), text));
      } else {
        Optional<TableResolver.ResolvedView> view = resolver.resolveView(reference, current, head, transaction, schema,
            readable, requireRead);
        if (view.isEmpty()) {
          onlyLakehouse = false;
          continue;
        }
        requireRead.accept(view.get().at());
        Bound body = bindView(view.get(), transaction, readable, requireRead, viewsOpen);
        commits.addAll(body.commits());
        scanFiles.addAll(body.scanFiles());
        onlyLakehouse &= body.onlyLakehouse();
        String name = reference.nameParts().get(reference.nameParts().size() - 1);
        int start = reference.fullPosition().startIndex(sql);
        // DESCRIBE and SUMMARIZE take the query itself; everywhere else it is a subquery named like the view
        boolean named = reference.alias().isEmpty() && !afterWord(sql, start, "DESCRIBE", "SUMMARIZE");
        replacements.add(new Replacement(start, reference.fullPosition().endIndex(sql),
            "(" + body.sql() + "\n)" + (named ? " AS " + quote(name) : "")));
      }
    }
    return new Bound(apply(sql, replacements), defaultCatalog, commits, onlyLakehouse, scanFiles,
        new TimeTravelParameters(taken, statement.parameterMarkers()), TextEdits.of(replacements));
  }

  /** DuckDB's SHOW and DESCRIBE, which may name a table Tarn's parser does not see as one. */
  private static final Set<String> SHOWS = Set.of("SHOW", "DESCRIBE", "DESC");

  /**
   * A view's query, bound at the commit the view was read at, as its creator's schema resolves it.
   * It is bound like any query (the whole statement is judged after), never sees the session's
   * temporary objects, and may not name itself, directly or through other views.
   */
  private Bound bindView(TableResolver.ResolvedView view, Optional<TableResolver.TransactionScope> transaction,
      Predicate<String> readable, Consumer<ResolvedReference> requireRead, List<String> viewsOpen) {
    String name = view.view().id() + "@" + view.at().hash();
    String shown = view.view().id().toString();
    if (viewsOpen.stream().anyMatch(open -> open.equals(name))) {
      throw new EngineException(Reason.INVALID, "view " + shown + " refers to itself through "
          + String.join(" -> ", viewsOpen.stream().map(v -> v.substring(0, v.indexOf('@'))).toList()) + " -> " + shown);
    }
    if (viewsOpen.size() >= MAX_VIEW_DEPTH) {
      throw new EngineException(Reason.INVALID, "view " + shown + " is nested more than " + MAX_VIEW_DEPTH
          + " views deep");
    }
    ParsedStatement body = parser.apply(view.view().sql());
    if (body.kind() != StatementKind.QUERY) {
      throw new EngineException(Reason.INVALID, "view " + shown + " does not hold a query");
    }
    if (!body.parsedByCalcite()) {
      throw new EngineException(Reason.INVALID, "view " + shown + ": Tarn cannot tell which tables its query reads,"
          + " so it cannot read them at the view's commit");
    }
    List<String> open = new ArrayList<>(viewsOpen);
    open.add(name);
    ResolvedReference at = view.at();
    return bind(body, new CurrentReference(at.name(), Optional.of(at.hash())), at, transaction,
        view.view().defaultNamespace(), SessionTemporaries.NONE, PointsInTime.refused(), readable, requireRead, open);
  }

  /**
   * A scan of only the files the query's filters cannot rule out, as a subquery named like the
   * table (or followed by the user's alias); empty when the filters rule out no file.
   */
  private Optional<String> pruned(TableReference reference, ResolvedTable table, Set<String> scanFiles) {
    if (reference.filters().isEmpty()) {
      return Optional.empty();
    }
    LakehouseViews.BoundScan all = views.bindScan(table.at(), table.table(), null, null);
    Optional<Expression> filter = ScanPruning.expression(reference.filters(), all.schema());
    if (filter.isEmpty()) {
      return Optional.empty();
    }
    LakehouseViews.BoundScan kept = views.bindScan(table.at(), table.table(), filter.get(), null);
    scans.accept(kept.files().size(), all.files().size() - kept.files().size());
    if (kept.files().size() == all.files().size()) {
      return Optional.empty();
    }
    scanFiles.addAll(kept.files());
    String name = reference.nameParts().get(reference.nameParts().size() - 1);
    return Optional.of(kept.sql() + (reference.alias().isPresent() ? "" : " AS " + quote(name)));
  }

  /** Whether the word before {@code index} in {@code sql} is one of {@code words} (any case). */
  private static boolean afterWord(String sql, int index, String... words) {
    int end = index;
    while (end > 0 && Character.isWhitespace(sql.charAt(end - 1))) {
      end--;
    }
    int start = end;
    while (start > 0 && Character.isLetter(sql.charAt(start - 1))) {
      start--;
    }
    String word = sql.substring(start, end);
    return java.util.Arrays.stream(words).anyMatch(word::equalsIgnoreCase);
  }

  static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  record Replacement(int start, int end, String text) {}

  /** Applies non-overlapping replacements, last first so earlier offsets stay valid. */
  static String apply(String sql, List<Replacement> replacements) {
    StringBuilder out = new StringBuilder(sql);
    replacements.stream()
        .sorted(Comparator.comparingInt(Replacement::start).reversed())
        .forEach(r -> out.replace(r.start(), r.end(), r.text()));
    return out.toString();
  }
}
