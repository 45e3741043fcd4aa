package dev.tarn.core.lakehouse;

import dev.tarn.core.session.CurrentReference;
import dev.tarn.catalog.At;
import dev.tarn.catalog.BranchCatalog;
import dev.tarn.catalog.Identifiers;
import dev.tarn.catalog.InvalidIdentifierException;
import dev.tarn.catalog.ResolvedReference;
import dev.tarn.catalog.TableId;
import dev.tarn.catalog.TableNotFoundException;
import dev.tarn.catalog.ViewEntry;
import dev.tarn.executor.lakehouse.LakehouseViews;
import dev.tarn.sql.TableReference;
import dev.tarn.sql.command.ReferenceSpec;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Resolves a table name as SQL users write it to a lakehouse table at a commit:
 * {@code branch.schema.table} reads another reference, {@code schema.table} the session's
 * reference, {@code table} the session's schema; a time-travel clause ({@code AT TAG v1},
 * {@code AT COMMIT '...'}, {@code AT TIMESTAMP '...'}) picks the point in history.
 */
final class TableResolver {
  private final BranchCatalog catalog;
  private final LakehouseViews views;
  private final Function<String, Optional<String>> transactionTarget;

  /** @param transactionTarget the branch an open transaction commits into, by its private branch */
  TableResolver(BranchCatalog catalog, LakehouseViews views, Function<String, Optional<String>> transactionTarget) {
    this.catalog = catalog;
    this.views = views;
    this.transactionTarget = transactionTarget;
  }

  /**
   * An open transaction as the names of one statement see it, views' bodies included: its target
   * branch, named in three parts, reads at the transaction's head, as writes there go into it.
   */
  record TransactionScope(String target, ResolvedReference head) {}

  /** The transaction a statement runs in, when the session's reference is a transaction's private branch. */
  Optional<TransactionScope> transactionScope(CurrentReference current, ResolvedReference head) {
    if (current.name() == null || !Transactions.isTransactionBranch(current.name())) {
      return Optional.empty();
    }
    return transactionTarget.apply(current.name()).map(target -> new TransactionScope(target, head));
  }

  /** A lakehouse table at a resolved commit. */
  record ResolvedTable(ResolvedReference at, TableId table) {}

  /**
   * The lakehouse table a reference names, or empty when it names none and should be left to
   * DuckDB (temporary tables, system views). A name that explicitly points into the lakehouse (a
   * branch prefix or a time-travel clause) and finds nothing is an error naming table and reference.
   * READ on the table's commit is required ({@code requireRead}) before anything of it is planned,
   * and for such a name before its existence is looked up, so a reader without it does not learn
   * whether the table exists there.
   */
  Optional<ResolvedTable> resolve(TableReference reference, CurrentReference current, ResolvedReference head,
      Optional<TransactionScope> transaction, String currentSchema, Predicate<String> readable,
      Consumer<ResolvedReference> requireRead) {
    Optional<Named> named = locate(reference, current, head, transaction, currentSchema, readable, requireRead);
    if (named.isEmpty()) {
      return Optional.empty();
    }
    Named n = named.get();
    if (n.explicit()) {
      requireRead.accept(n.at());
    }
    if (views.tableExists(n.at(), n.id())) {
      if (!n.explicit()) {
        requireRead.accept(n.at());
      }
      return Optional.of(new ResolvedTable(n.at(), n.id()));
    }
    if (n.explicit() && catalog.findView(pinned(n.at()), n.id()).isEmpty()) {
      throw new TableNotFoundException(n.id(), n.at().describe());
    }
    return Optional.empty();
  }

  /** A lakehouse view at a resolved commit. */
  record ResolvedView(ResolvedReference at, ViewEntry view) {}

  /** The lakehouse view a reference names, resolved as a table name would be; empty when there is none. */
  Optional<ResolvedView> resolveView(TableReference reference, CurrentReference current, ResolvedReference head,
      Optional<TransactionScope> transaction, String currentSchema, Predicate<String> readable,
      Consumer<ResolvedReference> requireRead) {
    return locate(reference, current, head, transaction, currentSchema, readable, requireRead)
        .flatMap(n -> catalog.findView(pinned(n.at()), n.id()).map(v -> new ResolvedView(n.at(), v)));
  }

  /** Where a name points: a table or view id at a commit, and whether the name pointed into the lakehouse. */
  private record Named(ResolvedReference at, TableId id, boolean explicit) {}

  private Optional<Named> locate(TableReference reference, CurrentReference current, ResolvedReference head,
      Optional<TransactionScope> transaction, String currentSchema, Predicate<String> readable,
      Consumer<ResolvedReference> requireRead) {
    if (reference.atParameter().isPresent()) {
      // the binder puts the parameter's value in place first (ReadBinder); elsewhere it has none
      PointsInTime.refused().at(reference.atParameter().get());
    }
    List<String> parts = reference.nameParts();
    boolean explicit = parts.size() == 3 || reference.at().isPresent();
    if (parts.size() > 3) {
      return Optional.empty();
    }
    if (!explicit && !validName(reference)) {
      return Optional.empty(); // no lakehouse table has this name; DuckDB's checks and errors name it
    }
    TableId id = tableId(reference, currentSchema);
    ResolvedReference at = head;
    if (parts.size() == 3) {
      String named = ReferenceCommands.visible(parts.get(0), current);
      // inside a transaction, the branch it commits into reads as the transaction sees it, as its
      // writes there go into the transaction (TableWrites), also from a view read at another commit
      Optional<ResolvedReference> inTransaction = transaction.filter(t -> t.target().equals(named))
          .map(TransactionScope::head);
      at = inTransaction.isPresent() ? inTransaction.get() : catalog.resolve(At.reference(named));
    }
    if (reference.at().isPresent()) {
      ReferenceSpec spec = reference.at().get();
      CurrentReference base = parts.size() == 3 ? CurrentReference.named(parts.get(0)) : current;
      if (spec.timestamp().isPresent()) {
        // finding the point walks the reference's history: READ on it first, so that what the walk
        // finds or misses tells a reader without it nothing
        requireRead.accept(spec.hasName()
            ? catalog.resolve(At.reference(ReferenceCommands.visible(spec.name(), current))) : at);
      }
      at = catalog.resolve(pointInTime(spec, base, current, at, readable));
    }
    return Optional.of(new Named(at, id, explicit));
  }

  /**
   * The lakehouse table a name of one to three parts ({@code table}, {@code schema.table}, {@code
   * branch.schema.table}) stands for, its schema and table names validated as for storing them: a
   * name that could never be a lakehouse table ({@code ".."}, {@code "a/b"}, an empty part) gets an
   * {@link InvalidIdentifierException} naming it and the rule it breaks.
   */
  static TableId tableId(TableReference reference, String currentSchema) {
    List<String> parts = reference.nameParts();
    String schema = switch (parts.size()) {
      case 1 -> currentSchema;
      case 2 -> parts.get(0);
      case 3 -> parts.get(1);
      default -> throw new InvalidIdentifierException("table name " + reference.qualifiedName() + " has "
          + parts.size() + " parts; name a lakehouse table as table, schema.table or branch.schema.table");
    };
    Identifiers.require(Identifiers.Kind.SCHEMA, schema);
    Identifiers.require(Identifiers.Kind.TABLE, parts.get(parts.size() - 1));
    return TableId.of(schema, parts.get(parts.size() - 1));
  }

  private static boolean validName(TableReference reference) {
    try {
      tableId(reference, BranchCatalog.DEFAULT_NAMESPACE);
      return true;
    } catch (InvalidIdentifierException e) {
      return false;
    }
  }

  /** The exact commit a resolved reference stands for, so later reads cannot drift. */
  static At pinned(ResolvedReference at) {
    return At.commit(at.name(), at.hash());
  }

  private At pointInTime(ReferenceSpec spec, CurrentReference base, CurrentReference session,
      ResolvedReference resolvedBase, Predicate<String> readable) {
    if (!spec.hasName() && spec.commitHash().isEmpty() && spec.timestamp().isEmpty()) {
      return pinned(resolvedBase);
    }
    return ReferenceCommands.at(catalog, spec, base, session, readable);
  }
}
