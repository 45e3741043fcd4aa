package dev.tarn.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.apache.calcite.sql.SqlUnknownLiteral;
import org.apache.calcite.sql.fun.SqlBetweenOperator;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Finds the conditions of a WHERE clause that a scan of one table can use to skip files: the
 * top-level AND-ed comparisons of one of the table's columns with literals. Anything else (OR,
 * functions, other tables' columns) is left to the engine, which filters every row anyway.
 */
public final class ScanFilters {
  private ScanFilters() {}

  /**
   * The filters on the table named {@code tableName} (or aliased {@code alias}) in {@code where},
   * when it is the only table of the SELECT (so unqualified columns are its own).
   */
  static List<ColumnFilter> of(SqlNode where, String tableName, Optional<String> alias) {
    List<ColumnFilter> filters = new ArrayList<>();
    if (where != null) {
      conjuncts(where, tableName, alias, filters);
    }
    return filters;
  }

  /**
   * Every conjunct of {@code where} as a filter on the table named {@code tableName}, or empty when
   * any conjunct is something else (an OR, a function, a comparison of two columns).
   */
  public static Optional<List<ColumnFilter>> allOf(SqlNode where, String tableName) {
    List<ColumnFilter> filters = new ArrayList<>();
    return allConjuncts(where, tableName, filters) ? Optional.of(filters) : Optional.empty();
  }

  private static boolean allConjuncts(SqlNode node, String table, List<ColumnFilter> out) {
    if (!(node instanceof SqlCall call)) {
      return false;
    }
    if (call.getKind() == SqlKind.AND) {
      for (SqlNode operand : call.getOperandList()) {
        if (!allConjuncts(operand, table, out)) {
          return false;
        }
      }
      return true;
    }
    if (call.getKind() == SqlKind.BETWEEN) {
      List<ColumnFilter> bounds = between(call, table, Optional.empty());
      out.addAll(bounds);
      return !bounds.isEmpty();
    }
    Optional<ColumnFilter> filter = filter(call, table, Optional.empty());
    filter.ifPresent(out::add);
    return filter.isPresent();
  }

  private static void conjuncts(SqlNode node, String table, Optional<String> alias, List<ColumnFilter> out) {
    if (!(node instanceof SqlCall call)) {
      return;
    }
    if (call.getKind() == SqlKind.AND) {
      for (SqlNode operand : call.getOperandList()) {
        conjuncts(operand, table, alias, out);
      }
      return;
    }
    if (call.getKind() == SqlKind.BETWEEN) {
      out.addAll(between(call, table, alias));
      return;
    }
    filter(call, table, alias).ifPresent(out::add);
  }

  private static Optional<ColumnFilter> filter(SqlCall call, String table, Optional<String> alias) {
    List<SqlNode> operands = call.getOperandList();
    SqlKind kind = call.getKind();
    switch (kind) {
      case IS_NULL, IS_NOT_NULL -> {
        return column(operands.get(0), table, alias).map(c -> new ColumnFilter(c,
            kind == SqlKind.IS_NULL ? ColumnFilter.Op.IS_NULL : ColumnFilter.Op.IS_NOT_NULL, List.of()));
      }
      case IN -> {
        Optional<String> column = column(operands.get(0), table, alias);
        if (column.isEmpty() || !(operands.get(1) instanceof SqlNodeList list)) {
          return Optional.empty();
        }
        List<ColumnFilter.Literal> values = new ArrayList<>();
        for (SqlNode item : list) {
          Optional<ColumnFilter.Literal> literal = literal(item);
          if (literal.isEmpty()) {
            return Optional.empty();
          }
          values.add(literal.get());
        }
        return Optional.of(new ColumnFilter(column.get(), ColumnFilter.Op.IN, values));
      }
      case EQUALS, NOT_EQUALS, LESS_THAN, LESS_THAN_OR_EQUAL, GREATER_THAN, GREATER_THAN_OR_EQUAL -> {
        Optional<String> left = column(operands.get(0), table, alias);
        Optional<ColumnFilter.Literal> right = literal(operands.get(1));
        if (left.isPresent() && right.isPresent()) {
          return Optional.of(new ColumnFilter(left.get(), op(kind, false), List.of(right.get())));
        }
        Optional<String> rightColumn = column(operands.get(1), table, alias);
        Optional<ColumnFilter.Literal> leftLiteral = literal(operands.get(0));
        if (rightColumn.isPresent() && leftLiteral.isPresent()) {
          return Optional.of(new ColumnFilter(rightColumn.get(), op(kind, true), List.of(leftLiteral.get())));
        }
        return Optional.empty();
      }
      default -> {
        return Optional.empty();
      }
    }
  }

  /** {@code c BETWEEN a AND b} as two bounds (not the NOT or SYMMETRIC forms). */
  private static List<ColumnFilter> between(SqlCall call, String table, Optional<String> alias) {
    List<SqlNode> operands = call.getOperandList();
    if (!(call.getOperator() instanceof SqlBetweenOperator between) || between.isNegated()
        || between.flag == SqlBetweenOperator.Flag.SYMMETRIC || operands.size() < 3) {
      return List.of(); // NOT BETWEEN is no conjunction; SYMMETRIC swaps its bounds when the first is larger
    }
    Optional<String> column = column(operands.get(0), table, alias);
    Optional<ColumnFilter.Literal> low = literal(operands.get(1));
    Optional<ColumnFilter.Literal> high = literal(operands.get(2));
    if (column.isEmpty() || low.isEmpty() || high.isEmpty()) {
      return List.of();
    }
    return List.of(new ColumnFilter(column.get(), ColumnFilter.Op.GT_EQ, List.of(low.get())),
        new ColumnFilter(column.get(), ColumnFilter.Op.LT_EQ, List.of(high.get())));
  }

  private static ColumnFilter.Op op(SqlKind kind, boolean flipped) {
    return switch (kind) {
      case EQUALS -> ColumnFilter.Op.EQ;
      case NOT_EQUALS -> ColumnFilter.Op.NOT_EQ;
      case LESS_THAN -> flipped ? ColumnFilter.Op.GT : ColumnFilter.Op.LT;
      case LESS_THAN_OR_EQUAL -> flipped ? ColumnFilter.Op.GT_EQ : ColumnFilter.Op.LT_EQ;
      case GREATER_THAN -> flipped ? ColumnFilter.Op.LT : ColumnFilter.Op.GT;
      case GREATER_THAN_OR_EQUAL -> flipped ? ColumnFilter.Op.LT_EQ : ColumnFilter.Op.GT_EQ;
      default -> throw new IllegalArgumentException(kind.toString());
    };
  }

  /** A column of this table: {@code c}, {@code alias.c} or {@code table.c}. */
  private static Optional<String> column(SqlNode node, String table, Optional<String> alias) {
    if (!(node instanceof SqlIdentifier id) || id.isStar()) {
      return Optional.empty();
    }
    if (id.names.size() == 1) {
      return Optional.of(id.names.get(0));
    }
    if (id.names.size() == 2) {
      String qualifier = id.names.get(0);
      boolean ours = alias.map(a -> a.equalsIgnoreCase(qualifier)).orElse(qualifier.equalsIgnoreCase(table));
      return ours ? Optional.of(id.names.get(1)) : Optional.empty();
    }
    return Optional.empty();
  }

  private static Optional<ColumnFilter.Literal> literal(SqlNode node) {
    if (node instanceof SqlNumericLiteral number) {
      return Optional.of(new ColumnFilter.Literal(ColumnFilter.Literal.Kind.NUMBER, number.toValue()));
    }
    if (node instanceof SqlCharStringLiteral string) {
      return Optional.of(new ColumnFilter.Literal(ColumnFilter.Literal.Kind.STRING, string.getValueAs(String.class)));
    }
    if (node instanceof SqlUnknownLiteral typed) {
      // TIMESTAMP '...' and DATE '...' stay untyped until validation, which Tarn does not run.
      String tag = typed.tag.toUpperCase(Locale.ROOT);
      if (tag.equals("DATE")) {
        return Optional.of(new ColumnFilter.Literal(ColumnFilter.Literal.Kind.DATE, typed.getValue()));
      }
      if (tag.equals("TIMESTAMP")) {
        return Optional.of(new ColumnFilter.Literal(ColumnFilter.Literal.Kind.TIMESTAMP, typed.getValue()));
      }
      return Optional.empty();
    }
    if (node instanceof SqlLiteral literal) {
      SqlTypeName type = literal.getTypeName();
      if (type == SqlTypeName.BOOLEAN && literal.getValue() != null) {
        return Optional.of(new ColumnFilter.Literal(ColumnFilter.Literal.Kind.BOOLEAN, literal.toValue()));
      }
      if (type == SqlTypeName.DATE) {
        return Optional.of(new ColumnFilter.Literal(ColumnFilter.Literal.Kind.DATE, literal.toValue()));
      }
      if (type == SqlTypeName.TIMESTAMP) {
        return Optional.of(new ColumnFilter.Literal(ColumnFilter.Literal.Kind.TIMESTAMP, literal.toValue()));
      }
      return Optional.empty();
    }
    if (node instanceof SqlBasicCall call && call.getKind() == SqlKind.MINUS_PREFIX
        && call.operand(0) instanceof SqlNumericLiteral number) {
      return Optional.of(new ColumnFilter.Literal(ColumnFilter.Literal.Kind.NUMBER, "-" + number.toValue()));
    }
    return Optional.empty();
  }
}
