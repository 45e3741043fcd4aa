package dev.tarn.mcp;

import dev.tarn.catalog.Reference;
import dev.tarn.catalog.ReferenceType;
import dev.tarn.catalog.ResolvedReference;
import dev.tarn.core.TarnException;
import dev.tarn.core.TarnException.Kind;
import dev.tarn.core.lakehouse.Lakehouse;
import dev.tarn.core.statement.PreparedQuery;
import dev.tarn.executor.ExecutionResult;
import dev.tarn.executor.RowStream;
import dev.tarn.executor.UpdateCount;
import dev.tarn.sql.StatementKind;
import dev.tarn.sql.command.access.Privilege;
import dev.tarn.sql.command.CreateReference;
import dev.tarn.sql.write.CreateSchema;
import dev.tarn.sql.write.DropSchema;
import dev.tarn.sql.write.TableWrite;
import dev.tarn.sql.write.TargetedWrite;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The tools that work on branches: create one, change one with a DDL/DML statement, read its log and
 * its diff. Each runs one statement through core's statement path in a session of its own, as the
 * caller, so privileges, protected branches, the allow-list and the statement's audit record are
 * exactly those of a Flight SQL client's SQL, and nothing a call sets outlives it. Names an agent sends
 * are quoted as identifiers before they are written into Tarn's own statements: they stay data.
 */
final class BranchTools {
  static final int DEFAULT_LOG_ENTRIES = 20;
  static final int MAX_LOG_ENTRIES = 1000;

  private final OneStatement statements;
  private final CatalogTools catalog;
  private final Lakehouse lakehouse;

  BranchTools(OneStatement statements, CatalogTools catalog, Lakehouse lakehouse) {
    this.statements = statements;
    this.catalog = catalog;
    this.lakehouse = lakehouse;
  }

  QueryTool.Answer createBranch(String user, String name, String from) {
    String wanted = requireName("create_branch", "name", name);
    ResolvedReference source = catalog.readable(user, from);
    if (!lakehouse.access().may(user, Privilege.BRANCH, wanted)) {
      // agents' branches live under the names their user was granted: say which, so the next try lands there
      List<String> allowed = lakehouse.access().patternsFor(user, Privilege.BRANCH);
      throw new TarnException(Kind.PERMISSION_DENIED, "user " + user + " lacks BRANCH on branch "
          + TextTable.cell(wanted) + (allowed.isEmpty() ? ", and may create no branches"
              : "; you may create branches named " + String.join(", ", allowed)));
    }
    String sql = "CREATE BRANCH " + quote(wanted) + " FROM " + quote(source.name());
    run(user, source.name(), sql, prepared -> {
      if (!(prepared.parsed().command().orElse(null) instanceof CreateReference create)
          || !create.name().equals(wanted)) {
        throw new TarnException(Kind.INVALID_ARGUMENT, "branch name " + TextTable.cell(wanted)
            + " cannot be written as one SQL identifier");
      }
    }, BranchTools::rowsChanged);
    String head = lakehouse.catalog().findReference(wanted).map(Reference::hash).orElse(null);
    return new QueryTool.Answer("created branch " + wanted + " from " + source.type().word() + " " + source.name()
        + " at commit " + CatalogTools.shortHash(head) + "\n", 0);
  }

  QueryTool.Answer execute(String user, String sql, String branch) {
    if (sql == null || sql.isBlank()) {
      throw new TarnException(Kind.INVALID_ARGUMENT, "execute needs sql: one DDL or DML statement");
    }
    ResolvedReference at = catalog.readable(user, requireName("execute", "branch", branch));
    if (at.type() != ReferenceType.BRANCH) {
      throw new TarnException(Kind.INVALID_ARGUMENT, at.type().word() + " " + at.name() + " is read-only:"
          + " execute writes to a branch (create_branch makes one)");
    }
    record Changed(long rows, Optional<String> commit) {}
    Changed changed = statements.run(user, at.name(), sql, prepared -> refuseUnlessWriteOn(at.name(), prepared),
        execution -> { }, (result, commit) -> new Changed(rowsChanged(result), commit));
    long rows = changed.rows();
    // the commit this statement made, not the branch's head: another client may have committed since
    String change = changed.commit()
        .map(hash -> "new commit " + CatalogTools.shortHash(hash) + " on branch " + at.name())
        .orElse("no new commit on branch " + at.name());
    String count = rows < 0 ? "" : rows + (rows == 1 ? " row" : " rows") + " changed; ";
    return new QueryTool.Answer("done: " + count + change + "\n", Math.max(rows, 0));
  }

  QueryTool.Answer log(String user, String reference, Object limit) {
    ResolvedReference at = catalog.readable(user, reference);
    int entries = logEntries(limit);
    return rows(user, at.name(), "SHOW LOG " + quote(at.name()) + " LIMIT " + entries, entries);
  }

  QueryTool.Answer diff(String user, String branch, String against) {
    ResolvedReference source = catalog.readable(user, requireName("diff", "branch", branch));
    ResolvedReference target = catalog.readable(user, against);
    return rows(user, target.name(), "SHOW DIFF " + quote(source.name()) + " AGAINST " + quote(target.name()),
        QueryLimits.MAX_ROWS);
  }

  private QueryTool.Answer rows(String user, String reference, String sql, int maxRows) {
    return run(user, reference, sql, prepared -> { }, result -> {
      if (!(result instanceof RowStream stream)) {
        throw new IllegalStateException(sql + " answered without rows");
      }
      try (stream) {
        QueryLimits limits = QueryLimits.forRequest(maxRows);
        return QueryTool.read(stream, limits, new AtomicBoolean(), BranchTools::compact);
      }
    });
  }

  /** A write's row count (0 when it reports none); a stream some command answers with is closed unread. */
  private static long rowsChanged(ExecutionResult result) {
    if (result instanceof UpdateCount count) {
      return count.rows();
    }
    if (result instanceof RowStream stream) {
      stream.close();
    }
    return 0;
  }

  /** Commit hashes shortened as list_references shows them: an agent reads every character it is sent. */
  private static Object compact(String column, Object value) {
    return column.endsWith("_hash") && value != null ? CatalogTools.shortHash(value.toString()) : value;
  }

  private <T> T run(String user, String reference, String sql, Consumer<PreparedQuery> checks,
      Function<ExecutionResult, T> answer) {
    return statements.run(user, reference, sql, checks, execution -> { }, answer);
  }

  /**
   * Only DDL and DML, and only into {@code branch}: a statement may name another branch as a table's
   * catalog ({@code other.schema.t}), which privileges would judge, but the agent asked for this branch.
   */
  private static void refuseUnlessWriteOn(String branch, PreparedQuery prepared) {
    StatementKind kind = prepared.parsed().kind();
    String why = switch (kind) {
      case DML, DDL -> null;
      case QUERY -> "it is a query: the query tool runs those";
      case SESSION, TRANSACTION -> "each execute call is a statement of its own, so session and transaction"
          + " statements (SET, USE, BEGIN, COMMIT) would change nothing that lasts";
      case TARN_COMMAND -> "Tarn's own commands run from SQL or have their own tools (create_branch, log, diff,"
          + " run_pipeline, propose_merge)";
      case OTHER -> "it is neither DDL nor DML";
    };
    if (why != null) {
      throw new TarnException(Kind.INVALID_ARGUMENT, "execute runs one DDL or DML statement, and this one is "
          + kind.name().replace('_', ' ').toLowerCase(Locale.ROOT) + ": " + why);
    }
    prepared.parsed().write().flatMap(BranchTools::namedBranch)
        .filter(named -> !named.equals(branch))
        .ifPresent(named -> {
          throw new TarnException(Kind.INVALID_ARGUMENT, "execute writes to branch " + branch + " only, and this"
              + " statement names " + TextTable.cell(named) + " as the branch to write: name tables as schema.table");
        });
  }

  /** The branch a write names itself, as core reads it: a schema's catalog, or a table name's first of three parts. */
  private static Optional<String> namedBranch(TableWrite write) {
    if (write instanceof CreateSchema create) {
      return create.catalog();
    }
    if (write instanceof DropSchema drop) {
      return drop.catalog();
    }
    List<String> parts = ((TargetedWrite) write).target().nameParts();
    return parts.size() == 3 ? Optional.of(parts.get(0)) : Optional.empty();
  }

  private static int logEntries(Object limit) {
    if (limit == null) {
      return DEFAULT_LOG_ENTRIES;
    }
    if (!(limit instanceof Number number) || number.doubleValue() != Math.rint(number.doubleValue())
        || number.longValue() < 1 || number.longValue() > MAX_LOG_ENTRIES) {
      throw new TarnException(Kind.INVALID_ARGUMENT, "limit must be a whole number of commits from 1 to "
          + MAX_LOG_ENTRIES + ", not " + limit);
    }
    return number.intValue();
  }

  private static String requireName(String tool, String argument, String name) {
    if (name == null || name.isBlank()) {
      throw new TarnException(Kind.INVALID_ARGUMENT, tool + " needs " + argument + ": a branch name");
    }
    return name.strip();
  }

  /** A name as a SQL identifier, the way Tarn's clients write one: in double quotes, inner quotes doubled. */
  static String quote(String name) {
    if (name.indexOf('\0') >= 0) {
      throw new TarnException(Kind.INVALID_ARGUMENT, "a name cannot contain a NUL character");
    }
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }
}
