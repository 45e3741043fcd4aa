package dev.tarn.mcp;

import dev.tarn.catalog.At;
import dev.tarn.catalog.BranchCatalog;
import dev.tarn.catalog.CommitInfo;
import dev.tarn.catalog.Reference;
import dev.tarn.catalog.ResolvedReference;
import dev.tarn.catalog.TableId;
import dev.tarn.core.TarnException;
import dev.tarn.core.TarnException.Kind;
import dev.tarn.core.lakehouse.Lakehouse;
import dev.tarn.core.lakehouse.Transactions;
import dev.tarn.executor.pipeline.PipelineRunner;
import dev.tarn.sql.command.access.Privilege;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.types.Types;

/**
 * The read-only catalog tools: references, the tables of one, and one table's columns, row count and
 * last commit. Every answer needs READ on the reference, as Flight SQL asks; references the server
 * keeps for itself (pipeline runs, transactions) never show and answer as if they did not exist.
 */
final class CatalogTools {
  /** How far back the log is searched for the commit that last changed a table. */
  private static final int LOG_SEARCH_DEPTH = 500;

  private final Lakehouse lakehouse;

  CatalogTools(Lakehouse lakehouse) {
    this.lakehouse = lakehouse;
  }

  String listReferences(String user) {
    List<Reference> all = lakehouse.catalog().listReferences();
    Set<String> hidden = lakehouse.hiddenBranches().among(all);
    TextTable table = new TextTable(List.of("name", "type", "commit", "committed_at"));
    all.stream()
        .filter(r -> servedName(r.name()) && !hidden.contains(r.name()))
        .filter(r -> lakehouse.access().may(user, Privilege.READ, r.name()))
        .sorted((a, b) -> a.name().compareTo(b.name()))
        .forEach(r -> table.add(List.of(r.name(), r.type().word(), shortHash(r.hash()),
            r.committedAt() == null ? "" : r.committedAt().toString())));
    return table.rowCount() == 0 ? "no references you may read" : table.render();
  }

  String listTables(String user, String referenceName) {
    ResolvedReference at = readable(user, referenceName);
    BranchCatalog catalog = lakehouse.catalog();
    At here = At.commit(at.name(), at.hash());
    TextTable table = new TextTable(List.of("table"));
    for (String namespace : catalog.listNamespaces(here)) {
      catalog.listTables(here, namespace).forEach(entry -> table.add(List.of(entry.id().toString())));
    }
    return table.rowCount() == 0 ? "no tables on " + describe(at) : table.render();
  }

  String describeTable(String user, String referenceName, String tableName) {
    ResolvedReference at = readable(user, referenceName);
    if (tableName == null || tableName.isBlank()) {
      throw new TarnException(Kind.INVALID_ARGUMENT, "describe_table needs a table name, such as trips or"
          + " public.trips");
    }
    TableId id = TableId.parse(tableName.strip());
    At here = At.commit(at.name(), at.hash());
    BranchCatalog catalog = lakehouse.catalog();
    if (catalog.findTable(here, id).isEmpty()) {
      throw new TarnException(Kind.NOT_FOUND, "table " + id + " does not exist on " + describe(at)
          + " (list_tables shows what does)");
    }
    Table table = catalog.loadTable(here, id);
    StringBuilder out = new StringBuilder();
    out.append("table ").append(id).append(" on ").append(describe(at)).append('\n');
    Snapshot snapshot = table.currentSnapshot();
    String rows = snapshot == null ? "0" : snapshot.summary().getOrDefault("total-records", "unknown");
    out.append("rows: ").append(rows).append('\n');
    out.append("last commit: ").append(lastCommit(catalog, here, id)
        .map(c -> shortHash(c.hash()) + " at " + c.committedAt() + " by " + c.author() + ": "
            + TextTable.cell(c.message()))
        .orElse("not within the newest " + LOG_SEARCH_DEPTH + " commits")).append('\n');
    TextTable columns = new TextTable(List.of("column", "type", "nullable"));
    for (Types.NestedField field : table.schema().columns()) {
      columns.add(List.of(field.name(), field.type().toString(), field.isOptional() ? "yes" : "no"));
    }
    return out.append(columns.render()).toString();
  }

  /** The reference as it is now, once {@code user} is known to hold READ on it. */
  ResolvedReference readable(String user, String name) {
    String wanted = name == null || name.isBlank() ? BranchCatalog.DEFAULT_BRANCH : name.strip();
    Reference reference = lakehouse.catalog().findReference(wanted)
        .filter(r -> servedName(r.name()) && !lakehouse.hiddenBranches().among(List.of(r)).contains(r.name()))
        .orElseThrow(() -> new TarnException(Kind.NOT_FOUND, "reference " + wanted
            + " does not exist on this Tarn server (list_references shows the branches and tags you may read)"));
    ResolvedReference at = new ResolvedReference(reference.name(), reference.type(), reference.hash(), true);
    lakehouse.access().requireRead(user, at);
    return at;
  }

  private static Optional<CommitInfo> lastCommit(BranchCatalog catalog, At at, TableId id) {
    return catalog.log(at, LOG_SEARCH_DEPTH).stream().filter(c -> c.tablesChanged().contains(id)).findFirst();
  }

  private static boolean servedName(String name) {
    return !name.startsWith(PipelineRunner.RUN_BRANCH_PREFIX) && !Transactions.isTransactionBranch(name);
  }

  private static String describe(ResolvedReference at) {
    return at.type().word() + " " + at.name();
  }

  static String shortHash(String hash) {
    return hash == null ? "" : hash.substring(0, Math.min(12, hash.length()));
  }
}
