package dev.tarn.core.lakehouse;

import dev.tarn.core.session.CurrentReference;
import dev.tarn.catalog.At;
import dev.tarn.catalog.BranchCatalog;
import dev.tarn.catalog.ResolvedReference;
import dev.tarn.catalog.TableId;
import dev.tarn.catalog.TableNotFoundException;
import dev.tarn.executor.lakehouse.LakehouseViews;
import dev.tarn.sql.TableReference;
import dev.tarn.sql.command.ReferenceSpec;
import java.util.List;
import java.util.Optional;

/**
 * Resolves a table name as SQL users write it to a lakehouse table at a commit:
 * {@code branch.schema.table} reads another reference, {@code schema.table} the session's
 * reference, {@code table} the session's schema; a time-travel clause ({@code AT TAG v1},
 * {@code AT COMMIT '...'}, {@code AT TIMESTAMP '...'}) picks the point in history.
 */
final class TableResolver {
  private final BranchCatalog catalog;
  private final LakehouseViews views;

  TableResolver(BranchCatalog catalog, LakehouseViews views) {
    this.catalog = catalog;
    this.views = views;
  }

  /** A lakehouse table at a resolved commit. */
  record ResolvedTable(ResolvedReference at, TableId table) {}

  /**
   * The lakehouse table a reference names, or empty when it names none and should be left to
   * DuckDB (temporary tables, system views). A name that explicitly points into the lakehouse (a
   * branch prefix or a time-travel clause) and finds nothing is an error naming table and reference.
   */
  Optional<ResolvedTable> resolve(TableReference reference, CurrentReference current, ResolvedReference head,
      String currentSchema) {
    if (reference.atParameter().isPresent()) {
      // the binder puts the parameter's value in place first (ReadBinder); elsewhere it has none
      PointsInTime.refused().at(reference.atParameter().get());
    }
    List<String> parts = reference.nameParts();
    boolean explicit = parts.size() == 3 || reference.at().isPresent();
    if (parts.size() > 3) {
      return Optional.empty();
    }
    TableId id = switch (parts.size()) {
      case 1 -> TableId.of(currentSchema, parts.get(0));
      case 2 -> TableId.of(parts.get(0), parts.get(1));
      default -> TableId.of(parts.get(1), parts.get(2));
    };
    ResolvedReference at = head;
    if (parts.size() == 3) {
      at = catalog.resolve(At.reference(ReferenceCommands.visible(parts.get(0), current)));
    }
    if (reference.at().isPresent()) {
      CurrentReference base = parts.size() == 3 ? CurrentReference.named(parts.get(0)) : current;
      at = catalog.resolve(pointInTime(reference.at().get(), base, current, at));
    }
    if (views.tableExists(at, id)) {
      return Optional.of(new ResolvedTable(at, id));
    }
    if (explicit) {
      throw new TableNotFoundException(id, at.describe());
    }
    return Optional.empty();
  }

  /** The exact commit a resolved reference stands for, so later reads cannot drift. */
  static At pinned(ResolvedReference at) {
    return At.commit(at.name(), at.hash());
  }

  private At pointInTime(ReferenceSpec spec, CurrentReference base, CurrentReference session,
      ResolvedReference resolvedBase) {
    if (!spec.hasName() && spec.commitHash().isEmpty() && spec.timestamp().isEmpty()) {
      return pinned(resolvedBase);
    }
    return ReferenceCommands.at(catalog, spec, base, session);
  }
}
