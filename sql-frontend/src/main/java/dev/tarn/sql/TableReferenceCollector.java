package dev.tarn.sql;

import dev.tarn.sql.command.ReferenceSpec;
import dev.tarn.sql.parser.ddl.SqlTableAt;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlDelete;
import org.apache.calcite.sql.SqlDescribeTable;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlExplain;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlInsert;
import org.apache.calcite.sql.SqlJoin;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlMerge;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlPivot;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlSnapshot;
import org.apache.calcite.sql.SqlUnpivot;
import org.apache.calcite.sql.SqlUpdate;
import org.apache.calcite.sql.SqlWith;
import org.apache.calcite.sql.SqlWithItem;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Finds every table a parsed statement names: in FROM and JOIN, INSERT/UPDATE/DELETE/MERGE targets
 * and sources, subqueries anywhere, CTE bodies, DESCRIBE, CREATE TABLE/VIEW ... AS, DROP TABLE/VIEW.
 * Names of CTEs in scope are not tables. Results are in text order.
 */
final class TableReferenceCollector {
  private final List<TableReference> references = new ArrayList<>();
  /** CTE names in scope, lower-cased (DuckDB compares identifiers case-insensitively). */
  private final Deque<Set<String>> cteScopes = new ArrayDeque<>();

  private TableReferenceCollector() {}

  static List<TableReference> collect(SqlNode statement) {
    TableReferenceCollector collector = new TableReferenceCollector();
    collector.statement(statement);
    collector.references.sort(Comparator.comparingInt((TableReference r) -> r.position().line())
        .thenComparingInt(r -> r.position().column()));
    return collector.references;
  }

  private void statement(SqlNode node) {
    if (node instanceof SqlInsert insert) {
      table(insert.getTargetTable());
      expression(insert.getSource());
    } else if (node instanceof SqlUpdate update) {
      table(update.getTargetTable());
      expression(update.getSourceExpressionList());
      expression(update.getCondition());
    } else if (node instanceof SqlDelete delete) {
      table(delete.getTargetTable());
      expression(delete.getCondition());
    } else if (node instanceof SqlMerge merge) {
      table(merge.getTargetTable());
      table(merge.getSourceTableRef());
      expression(merge.getCondition());
      SqlUpdate update = merge.getUpdateCall();
      if (update != null) {
        expression(update.getSourceExpressionList());
        expression(update.getCondition());
      }
      SqlInsert insert = merge.getInsertCall();
      if (insert != null) {
        expression(insert.getSource());
      }
    } else if (node instanceof SqlExplain explain) {
      statement(explain.getExplicandum());
    } else if (node instanceof SqlDescribeTable describe) {
      table(describe.getTable());
    } else if (node instanceof SqlCall call && namesTableFirst(call.getKind())) {
      List<SqlNode> operands = call.getOperandList();
      if (!operands.isEmpty()) {
        table(operands.get(0));
        for (SqlNode operand : operands.subList(1, operands.size())) {
          expression(operand);
        }
      }
    } else {
      expression(node);
    }
  }

  /** A plain table in table position: a name, possibly with a time-travel clause. */
  private static boolean isTable(SqlNode node) {
    return node instanceof SqlIdentifier || node instanceof SqlTableAt || node instanceof SqlSnapshot;
  }

  /** FROM names exactly one table (possibly aliased), no join or subquery. */
  private static boolean isSingleTable(SqlNode from) {
    if (from instanceof SqlCall call && call.getKind() == SqlKind.AS) {
      return isTable(call.getOperandList().get(0));
    }
    return from != null && isTable(from);
  }

  /** DDL whose first operand is the table (or view) it creates or drops. */
  private static boolean namesTableFirst(SqlKind kind) {
    return switch (kind) {
      case CREATE_TABLE, CREATE_VIEW, CREATE_MATERIALIZED_VIEW, DROP_TABLE, DROP_VIEW,
          DROP_MATERIALIZED_VIEW, TRUNCATE_TABLE -> true;
      default -> false;
    };
  }

  /** A node in table position: FROM, JOIN, DML targets. */
  private void table(@Nullable SqlNode node) {
    if (node == null) {
      return;
    }
    if (node instanceof SqlIdentifier id) {
      if (!isCte(id)) {
        references.add(new TableReference(id.names, position(id.getParserPosition())));
      }
    } else if (node instanceof SqlTableAt at && at.table() instanceof SqlIdentifier id) {
      if (at.parameter().isPresent()) {
        addAtParameter(id, at.parameter().get(), at.getParserPosition());
      } else {
        add(id, at.version(), at.getParserPosition());
      }
    } else if (node instanceof SqlSnapshot snapshot && snapshot.getTableRef() instanceof SqlIdentifier id) {
      if (snapshot.getPeriod() instanceof SqlDynamicParam parameter) {
        addAtParameter(id, new PointInTimeParameter(parameter.getIndex(), PointInTimeParameter.Pin.TIMESTAMP),
            snapshot.getParserPosition());
      } else {
        add(id, Optional.of(snapshotVersion(snapshot.getPeriod())), snapshot.getParserPosition());
      }
    } else if (node instanceof SqlJoin join) {
      table(join.getLeft());
      table(join.getRight());
      expression(join.getCondition());
    } else if (node instanceof SqlPivot pivot) {
      table(pivot.query);
      expression(pivot.aggList);
      expression(pivot.inList);
    } else if (node instanceof SqlUnpivot unpivot) {
      table(unpivot.query);
    } else if (node instanceof SqlCall call) {
      switch (call.getKind()) {
        case AS, LATERAL, TABLESAMPLE, TABLE_REF, EXTEND, OVER -> {
          List<SqlNode> operands = call.getOperandList();
          int before = references.size();
          table(operands.get(0));
          if (call.getKind() == SqlKind.AS && references.size() == before + 1 && isTable(operands.get(0))
              && operands.size() > 1 && operands.get(1) instanceof SqlIdentifier alias && alias.isSimple()) {
            TableReference aliased = references.get(before);
            references.set(before, aliased.with(Optional.of(alias.getSimple()), aliased.filters()));
          }
          if (call.getKind() == SqlKind.TABLE_REF || call.getKind() == SqlKind.EXTEND) {
            break;
          }
          for (SqlNode operand : operands.subList(1, operands.size())) {
            if (!(operand instanceof SqlIdentifier)) {
              expression(operand);
            }
          }
        }
        default -> expression(call);
      }
    } else {
      expression(node);
    }
  }

  private void add(SqlIdentifier id, Optional<ReferenceSpec> at, SqlParserPos clause) {
    if (isCte(id) && at.isEmpty()) {
      return;
    }
    references.add(new TableReference(id.names, position(id.getParserPosition()), at, fullPosition(id, clause)));
  }

  private void addAtParameter(SqlIdentifier id, PointInTimeParameter parameter, SqlParserPos clause) {
    references.add(new TableReference(id.names, position(id.getParserPosition()), parameter, fullPosition(id, clause)));
  }

  /** The span of a table's name and its time-travel clause. */
  private static SqlPosition fullPosition(SqlIdentifier id, SqlParserPos clause) {
    SqlParserPos name = id.getParserPosition();
    return new SqlPosition(name.getLineNum(), name.getColumnNum(), clause.getEndLineNum(), clause.getEndColumnNum());
  }

  /**
   * FOR SYSTEM_TIME AS OF TIMESTAMP '...' (or AS OF '...'): the literal's text. Any other expression
   * is refused: Tarn picks the commit before the engine runs, so it cannot evaluate one, and reading
   * the table's current state instead would silently answer a different question.
   */
  private static ReferenceSpec snapshotVersion(SqlNode period) {
    if (period instanceof SqlLiteral literal) {
      String text = literal instanceof SqlCharStringLiteral
          ? literal.getValueAs(String.class)
          : literal.toValue();
      if (text != null) {
        return ReferenceSpec.atTimestamp(ReferenceSpec.CURRENT, dev.tarn.sql.command.ReferenceType.ANY, text);
      }
    }
    throw new SqlSyntaxException("FOR SYSTEM_TIME AS OF takes a timestamp literal (TIMESTAMP '2026-11-20 10:00:00')"
        + " or a parameter (?), not an expression", position(period.getParserPosition()));
  }

  /** A node in expression position: only its subqueries name tables. */
  private void expression(@Nullable SqlNode node) {
    if (node == null) {
      return;
    }
    if (node instanceof SqlNodeList list) {
      for (SqlNode item : list) {
        expression(item);
      }
    } else if (node instanceof SqlSelect select) {
      select(select);
    } else if (node instanceof SqlWith with) {
      with(with);
    } else if (node instanceof SqlBasicCall call && call.getKind() == SqlKind.EXPLICIT_TABLE) {
      table(call.operand(0)); // TABLE t
    } else if (node instanceof SqlInsert || node instanceof SqlUpdate || node instanceof SqlDelete
        || node instanceof SqlMerge) {
      statement(node);
    } else if (node instanceof SqlCall call) {
      for (SqlNode operand : call.getOperandList()) {
        expression(operand);
      }
    }
  }

  private void select(SqlSelect select) {
    int before = references.size();
    table(select.getFrom());
    if (references.size() == before + 1 && isSingleTable(select.getFrom())) {
      // One table in FROM: its unqualified columns in WHERE are its own, usable to skip files.
      TableReference only = references.get(before);
      String name = only.nameParts().get(only.nameParts().size() - 1);
      references.set(before, only.with(only.alias(), ScanFilters.of(select.getWhere(), name, only.alias())));
    }
    expression(select.getSelectList());
    expression(select.getWhere());
    expression(select.getGroup());
    expression(select.getHaving());
    expression(select.getWindowList());
    expression(select.getQualify());
    expression(select.getOrderList());
    expression(select.getOffset());
    expression(select.getFetch());
  }

  private void with(SqlWith with) {
    Set<String> scope = new HashSet<>();
    cteScopes.push(scope);
    try {
      for (SqlNode item : with.withList) {
        SqlWithItem withItem = (SqlWithItem) item;
        scope.add(withItem.name.getSimple().toLowerCase(Locale.ROOT));
        expression(withItem.query);
      }
      statement(with.body);
    } finally {
      cteScopes.pop();
    }
  }

  private boolean isCte(SqlIdentifier id) {
    if (!id.isSimple()) {
      return false;
    }
    String name = id.getSimple().toLowerCase(Locale.ROOT);
    for (Set<String> scope : cteScopes) {
      if (scope.contains(name)) {
        return true;
      }
    }
    return false;
  }

  static SqlPosition position(SqlParserPos pos) {
    return new SqlPosition(pos.getLineNum(), pos.getColumnNum(), pos.getEndLineNum(), pos.getEndColumnNum());
  }
}
