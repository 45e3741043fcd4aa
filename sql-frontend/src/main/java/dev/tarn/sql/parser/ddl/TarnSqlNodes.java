package dev.tarn.sql.parser.ddl;

import dev.tarn.sql.ColumnFilter;
import dev.tarn.sql.PointInTimeParameter;
import dev.tarn.sql.ScanFilters;
import dev.tarn.sql.command.ApproveMergeRequest;
import dev.tarn.sql.command.CreateMergeRequest;
import dev.tarn.sql.command.ReferenceType;
import dev.tarn.sql.command.RejectMergeRequest;
import dev.tarn.sql.command.ShowMergeRequests;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.sql.SqlCreate;
import org.apache.calcite.sql.SqlDrop;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.util.Util;
import org.checkerframework.checker.nullness.qual.Nullable;

/** Factories the grammar's rules call, one line per statement (src/main/codegen/includes). */
public final class TarnSqlNodes {
  private TarnSqlNodes() {}

  public static SqlReferenceSpec reference(SqlIdentifier name, ReferenceType type) {
    return new SqlReferenceSpec(name, type, null, null);
  }

  /** A commit of {@code name}, or of the current reference when {@code name} is null. */
  public static SqlReferenceSpec referenceAtCommit(@Nullable SqlIdentifier name, ReferenceType type, String hash) {
    return new SqlReferenceSpec(name, type, hash, null);
  }

  /** {@code name} as of a moment, or the current reference when {@code name} is null. */
  public static SqlReferenceSpec referenceAtTimestamp(@Nullable SqlIdentifier name, ReferenceType type,
      String timestamp) {
    return new SqlReferenceSpec(name, type, null, timestamp);
  }

  public static SqlCreate createReference(SqlParserPos pos, ReferenceType type, boolean ifNotExists,
      SqlIdentifier name, @Nullable SqlReferenceSpec from, @Nullable SqlIdentifier catalog) {
    return new SqlCreateReference(pos, type, ifNotExists, name, from, catalog);
  }

  public static SqlDrop dropReference(SqlParserPos pos, ReferenceType type, boolean ifExists, SqlIdentifier name,
      @Nullable SqlIdentifier catalog) {
    return new SqlDropReference(pos, type, ifExists, name, catalog);
  }

  public static SqlNode useReference(SqlParserPos pos, SqlReferenceSpec reference, @Nullable SqlIdentifier catalog) {
    return new SqlUseReference(pos, reference, catalog);
  }

  public static SqlNode showViews(SqlParserPos pos, @Nullable SqlIdentifier reference, @Nullable SqlIdentifier catalog) {
    return new SqlShowViews(pos, reference, catalog);
  }

  public static SqlNode vacuum(SqlParserPos pos, boolean dryRun) {
    return new SqlVacuum(pos, dryRun);
  }

  /** {@code EXPIRE SNAPSHOTS ...}; RETAIN LAST takes a whole number of commits from 1. */
  public static SqlNode expireSnapshots(SqlParserPos pos, @Nullable String olderThan,
      @Nullable SqlNumericLiteral retainLast, boolean dryRun) {
    if (retainLast != null && (!retainLast.isInteger() || retainLast.bigDecimalValue().signum() <= 0
        || retainLast.bigDecimalValue().compareTo(java.math.BigDecimal.valueOf(Integer.MAX_VALUE)) > 0)) {
      throw error(retainLast.getParserPosition(), "EXPIRE SNAPSHOTS RETAIN LAST must be a whole number of commits"
          + " from 1 (each branch and tag keeps at least its head)");
    }
    return new SqlExpireSnapshots(pos, java.util.Optional.ofNullable(olderThan),
        retainLast == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(retainLast.intValue(true)),
        dryRun);
  }

  /**
   * {@code OPTIMIZE TABLE t [WHERE condition]}; a condition that is not simple comparisons of columns
   * with constants joined by AND is refused where it stands.
   */
  public static SqlNode optimizeTable(SqlParserPos pos, SqlIdentifier table, @Nullable SqlNode where) {
    if (where == null) {
      return new SqlOptimizeTable(pos, table, null, List.of());
    }
    List<ColumnFilter> filters = ScanFilters.allOf(where, Util.last(table.names)).orElseThrow(() -> error(
        where.getParserPosition(), "OPTIMIZE TABLE " + table + " WHERE ...: the condition must be"
            + " comparisons of the table's columns with constants (=, <>, <, <=, >, >=, IN, BETWEEN, IS [NOT] NULL)"
            + " joined by AND, so that file statistics can pick the files"));
    return new SqlOptimizeTable(pos, table, where, filters);
  }

  public static SqlNode mergeBranch(SqlParserPos pos, SqlIdentifier source, @Nullable SqlIdentifier target,
      boolean dryRun, @Nullable SqlIdentifier catalog) {
    return new SqlMergeBranch(pos, source, target, dryRun, catalog);
  }

  public static SqlNode assignBranch(SqlParserPos pos, SqlIdentifier branch, SqlReferenceSpec to,
      @Nullable SqlIdentifier catalog) {
    return new SqlAssignBranch(pos, branch, to, catalog);
  }

  public static SqlNode showReferences(SqlParserPos pos, ReferenceType type, boolean all,
      @Nullable SqlIdentifier catalog) {
    return new SqlShowReferences(pos, type, all, catalog);
  }

  public static SqlNode showLog(SqlParserPos pos, @Nullable SqlIdentifier reference,
      @Nullable SqlNumericLiteral limit, @Nullable SqlIdentifier catalog) {
    if (limit != null && (!limit.isInteger() || limit.bigDecimalValue().signum() <= 0
        || limit.bigDecimalValue().compareTo(java.math.BigDecimal.valueOf(Integer.MAX_VALUE)) > 0)) {
      throw error(limit.getParserPosition(), "SHOW LOG LIMIT must be a positive integer");
    }
    return new SqlShowLog(pos, reference, limit, catalog);
  }

  public static SqlNode showDiff(SqlParserPos pos, SqlIdentifier source, @Nullable SqlIdentifier against,
      @Nullable SqlIdentifier catalog) {
    return new SqlShowDiff(pos, source, against, catalog);
  }

  /** {@code options} alternates keys ({@link SqlIdentifier}) and values ({@link SqlLiteral}). */
  public static SqlNode runPipeline(SqlParserPos pos, String path, @Nullable SqlIdentifier branch,
      List<SqlNode> options) {
    Map<SqlIdentifier, SqlLiteral> map = new LinkedHashMap<>();
    for (int i = 0; i + 1 < options.size(); i += 2) {
      map.put((SqlIdentifier) options.get(i), (SqlLiteral) options.get(i + 1));
    }
    return new SqlRunPipeline(pos, path, branch, map);
  }

  public static SqlNode showRuns(SqlParserPos pos) {
    return new SqlShowRuns(pos);
  }

  public static SqlNode showRun(SqlParserPos pos, String id) {
    return new SqlShowRun(pos, id);
  }

  public static SqlCreate createMergeRequest(SqlParserPos pos, SqlIdentifier source, SqlIdentifier target,
      @Nullable String title, @Nullable String project) {
    return new SqlCreateMergeRequest(pos, new CreateMergeRequest(source.getSimple(), target.getSimple(),
        java.util.Optional.ofNullable(title), java.util.Optional.ofNullable(project)));
  }

  public static SqlNode showMergeRequests(SqlParserPos pos) {
    return new SqlMergeRequestStatement(pos, new ShowMergeRequests());
  }

  public static SqlNode approveMergeRequest(SqlParserPos pos, SqlLiteral id) {
    return new SqlMergeRequestStatement(pos, new ApproveMergeRequest(requestId(id)));
  }

  public static SqlNode rejectMergeRequest(SqlParserPos pos, SqlLiteral id, @Nullable String reason) {
    return new SqlMergeRequestStatement(pos, new RejectMergeRequest(requestId(id),
        java.util.Optional.ofNullable(reason)));
  }

  /** A merge request's number: a whole number from 1, as SHOW MERGE REQUESTS lists them. */
  private static long requestId(SqlLiteral id) {
    if (!(id instanceof SqlNumericLiteral number) || !number.isInteger() || number.bigDecimalValue().signum() <= 0
        || number.bigDecimalValue().compareTo(java.math.BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
      throw error(id.getParserPosition(), "a merge request's number is a whole number from 1, as SHOW MERGE"
          + " REQUESTS lists them");
    }
    return number.bigDecimalValue().longValueExact();
  }

  public static SqlNode tableAt(SqlParserPos pos, SqlNode table, SqlReferenceSpec version) {
    return new SqlTableAt(pos, table, version);
  }

  /** {@code t AT COMMIT ?} or {@code t AT TIMESTAMP ?}: the point in time is a statement parameter. */
  public static SqlNode tableAtParameter(SqlParserPos pos, SqlNode table, SqlDynamicParam parameter,
      PointInTimeParameter.Pin pin) {
    return new SqlTableAt(pos, table, parameter, pin);
  }

  /** Adds one {@code key = value} of RUN PIPELINE's WITH list, refusing a key given twice. */
  public static void addOption(List<SqlNode> options, SqlIdentifier key, SqlLiteral value) {
    String name = optionKey(key);
    for (int i = 0; i < options.size(); i += 2) {
      if (optionKey((SqlIdentifier) options.get(i)).equals(name)) {
        throw error(key.getParserPosition(), "option '" + name + "' is given twice");
      }
    }
    options.add(key);
    options.add(value);
  }

  /** A WITH key as the command carries it: its parts joined with dots ({@code param.x}). */
  static String optionKey(SqlIdentifier key) {
    return String.join(".", key.names);
  }

  /** A WITH value as the command carries it: a string's contents, a number as written, true or false. */
  static String optionValue(SqlLiteral value) {
    if (value instanceof SqlNumericLiteral number) {
      return number.bigDecimalValue().toPlainString();
    }
    if (value.getValue() instanceof Boolean bool) {
      return bool.toString();
    }
    return value.getValueAs(String.class);
  }

  /** An error at a position, which the parser reports as a syntax error there. */
  public static CalciteContextException error(SqlParserPos pos, String message) {
    return new CalciteContextException(message, new IllegalArgumentException(message), pos.getLineNum(),
        pos.getColumnNum(),
        pos.getEndLineNum(), pos.getEndColumnNum());
  }
}
