package dev.tarn.core.lakehouse;

import dev.tarn.sql.ColumnFilter;
import dev.tarn.sql.ColumnFilter.Literal;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.iceberg.Schema;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * Turns the conditions a query puts on a table into an Iceberg filter, so the scan skips data
 * files whose metadata (partition values, column bounds) rules them out before DuckDB opens them.
 * A condition that cannot be expressed for the column's type is simply left out: pruning only
 * ever skips files that cannot match, and DuckDB still filters every row.
 */
public final class ScanPruning {
  /**
   * A number DuckDB reads as an exact DECIMAL that it compares exactly with any integer column: no
   * exponent, and at most 18 digits before and after the point (38 in all would make it a DOUBLE,
   * and an integer column against a scale above 19 is compared as DOUBLE).
   */
  private static final Pattern PLAIN_NUMBER = Pattern.compile("-?[0-9]{1,18}(\\.[0-9]{1,18})?");
  private static final Pattern EXPONENT_NUMBER = Pattern.compile("-?([0-9]+\\.?[0-9]*|\\.[0-9]+)[eE][-+]?[0-9]+");
  private static final Pattern PLAIN_DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");
  /** A date, or a date and time to the minute, second or microsecond, without a zone. */
  private static final Pattern PLAIN_TIMESTAMP =
      Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,6})?)?)?");

  private ScanPruning() {}

  public static Optional<Expression> expression(List<ColumnFilter> filters, Schema schema) {
    List<Expression> parts = new ArrayList<>();
    for (ColumnFilter filter : filters) {
      toIceberg(filter, schema).ifPresent(parts::add);
    }
    if (parts.isEmpty()) {
      return Optional.empty();
    }
    Expression all = parts.get(0);
    for (Expression part : parts.subList(1, parts.size())) {
      all = Expressions.and(all, part);
    }
    return Optional.of(all);
  }

  /**
   * The filters as an Iceberg expression that holds for exactly the rows SQL's WHERE keeps, when
   * every filter can be written so; empty otherwise. A data file every row of which this expression
   * matches, by its partition or its column bounds, is then wholly kept without reading it.
   *
   * <p>Only where DuckDB and Iceberg judge a row alike: integer, date and timestamp (without zone)
   * columns, whose bounds are exact; {@code =, <, <=, >, >=, IN, IS [NOT] NULL} (Iceberg's {@code
   * notEqual} keeps nulls, SQL's {@code <>} does not); literals in their plain forms, which both read
   * as the same value. A comparison also needs the column not null, as in SQL: Iceberg orders nulls
   * first, so a partition whose value is null passes {@code n < 5}, and only a file's null counts,
   * which not every writer records, would rule it out.
   *
   * @param filters every condition of the WHERE: one left out would make the expression wider
   */
  public static Optional<Expression> exact(List<ColumnFilter> filters, Schema schema) {
    if (filters.isEmpty()) {
      return Optional.empty();
    }
    Expression all = Expressions.alwaysTrue();
    Set<String> compared = new LinkedHashSet<>();
    for (ColumnFilter filter : filters) {
      Optional<Expression> one = exact(filter, schema);
      if (one.isEmpty()) {
        return Optional.empty();
      }
      all = Expressions.and(all, one.get());
      if (filter.op() != ColumnFilter.Op.IS_NULL && filter.op() != ColumnFilter.Op.IS_NOT_NULL) {
        compared.add(schema.caseInsensitiveFindField(filter.column()).name());
      }
    }
    for (String column : compared) {
      all = Expressions.and(all, Expressions.notNull(column));
    }
    return Optional.of(all);
  }

  private static Optional<Expression> exact(ColumnFilter filter, Schema schema) {
    Types.NestedField field = schema.caseInsensitiveFindField(filter.column());
    if (field == null || !schema.columns().contains(field)) {
      return Optional.empty();
    }
    Pattern plain = switch (field.type().typeId()) {
      case INTEGER, LONG -> PLAIN_NUMBER;
      case DATE -> PLAIN_DATE;
      case TIMESTAMP -> PLAIN_TIMESTAMP;
      default -> null;
    };
    if (plain == null || filter.op() == ColumnFilter.Op.NOT_EQ
        || !filter.values().stream().allMatch(v -> plain.matcher(v.text()).matches())) {
      return Optional.empty();
    }
    return toIceberg(filter, schema);
  }

  /** One filter as an Iceberg expression, when its column exists and its literals convert exactly. */
  static Optional<Expression> toIceberg(ColumnFilter filter, Schema schema) {
    Types.NestedField field = schema.caseInsensitiveFindField(filter.column());
    if (field == null || !field.type().isPrimitiveType()) {
      return Optional.empty();
    }
    String name = field.name();
    if (filter.op() == ColumnFilter.Op.IS_NULL) {
      return Optional.of(Expressions.isNull(name));
    }
    if (filter.op() == ColumnFilter.Op.IS_NOT_NULL) {
      return Optional.of(Expressions.notNull(name));
    }
    List<Object> values = new ArrayList<>();
    for (Literal literal : filter.values()) {
      Optional<Object> value = value(literal, field.type());
      if (value.isEmpty()) {
        return Optional.empty();
      }
      values.add(value.get());
    }
    Object v = values.get(0);
    if (filter.op() != ColumnFilter.Op.NOT_EQ && values.stream().anyMatch(ScanPruning::isZero)) {
      return Optional.of(withBothZeros(filter.op(), name, values));
    }
    return Optional.of(switch (filter.op()) {
      case EQ -> Expressions.equal(name, v);
      case NOT_EQ -> Expressions.notEqual(name, v);
      case LT -> Expressions.lessThan(name, v);
      case LT_EQ -> Expressions.lessThanOrEqual(name, v);
      case GT -> Expressions.greaterThan(name, v);
      case GT_EQ -> Expressions.greaterThanOrEqual(name, v);
      case IN -> Expressions.in(name, values.toArray());
      default -> throw new IllegalStateException(filter.op().toString());
    });
  }

  private static boolean isZero(Object value) {
    return value instanceof Double d && d == 0.0;
  }

  /**
   * A comparison of a floating-point column with zero. SQL has -0.0 = 0.0, while Iceberg orders
   * -0.0 below 0.0; files written before their bounds took both zeros, or by writers that do not,
   * may hold -0.0 as their largest value or 0.0 as their smallest. So "= 0" reads as "between -0.0
   * and 0.0", ">= 0" as ">= -0.0", "< 0" as "< -0.0", and a list holding zero holds both. ("<> 0"
   * needs nothing: Iceberg rules out only a file whose every value is that very zero, and no row of
   * such a file is unequal to zero in SQL either.)
   */
  private static Expression withBothZeros(ColumnFilter.Op op, String name, List<Object> values) {
    return switch (op) {
      case EQ -> Expressions.and(Expressions.greaterThanOrEqual(name, -0.0), Expressions.lessThanOrEqual(name, 0.0));
      case LT -> Expressions.lessThan(name, -0.0);
      case LT_EQ -> Expressions.lessThanOrEqual(name, 0.0);
      case GT -> Expressions.greaterThan(name, 0.0);
      case GT_EQ -> Expressions.greaterThanOrEqual(name, -0.0);
      case IN -> {
        List<Object> both = new ArrayList<>(values);
        both.add(-0.0);
        both.add(0.0);
        yield Expressions.in(name, both.toArray());
      }
      default -> throw new IllegalStateException(op.toString());
    };
  }

  /** The literal as the Java value Iceberg expects for the column's type, when it converts exactly. */
  private static Optional<Object> value(Literal literal, Type type) {
    try {
      return switch (type.typeId()) {
        case INTEGER -> plainNumber(literal)
            ? Optional.of(new BigDecimal(literal.text()).intValueExact()) : Optional.empty();
        case LONG -> plainNumber(literal)
            ? Optional.of(new BigDecimal(literal.text()).longValueExact()) : Optional.empty();
        // DuckDB compares a DOUBLE with a plain number as a DECIMAL made DOUBLE, exactly only for 15
        // digits or fewer, and with an exponent's DOUBLE exactly; a FLOAT with a plain number as a
        // FLOAT, but with an exponent's DOUBLE as a DOUBLE, which Iceberg would round to a FLOAT
        case DOUBLE -> shortPlainNumber(literal) || exponentNumber(literal)
            ? Optional.of(Double.parseDouble(literal.text())) : Optional.empty();
        case FLOAT -> shortPlainNumber(literal) ? Optional.of(Double.parseDouble(literal.text())) : Optional.empty();
        case DECIMAL -> plainNumber(literal)
            ? Optional.of(new BigDecimal(literal.text()).setScale(((Types.DecimalType) type).scale()))
            : Optional.empty();
        case STRING -> literal.kind() == Literal.Kind.STRING ? Optional.of(literal.text()) : Optional.empty();
        case BOOLEAN -> literal.kind() == Literal.Kind.BOOLEAN
            ? Optional.of(Boolean.parseBoolean(literal.text())) : Optional.empty();
        case DATE -> literal.kind() == Literal.Kind.DATE || literal.kind() == Literal.Kind.STRING
            ? converted(literal.text().strip(), type) : Optional.empty();
        case TIMESTAMP -> timestamp(literal, (Types.TimestampType) type);
        default -> Optional.empty();
      };
    } catch (ArithmeticException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** A number both DuckDB and Iceberg compare exactly with an integer or decimal column ({@link #PLAIN_NUMBER}). */
  private static boolean plainNumber(Literal literal) {
    return literal.kind() == Literal.Kind.NUMBER && PLAIN_NUMBER.matcher(literal.text()).matches();
  }

  private static boolean shortPlainNumber(Literal literal) {
    return plainNumber(literal) && literal.text().chars().filter(Character::isDigit).count() <= 15;
  }

  private static boolean exponentNumber(Literal literal) {
    return literal.kind() == Literal.Kind.NUMBER && EXPONENT_NUMBER.matcher(literal.text()).matches();
  }

  /** Timestamps without zone only: ISO text Iceberg parses ("2023-01-01T10:00:00"). */
  private static Optional<Object> timestamp(Literal literal, Types.TimestampType type) {
    if (type.shouldAdjustToUTC()
        || (literal.kind() != Literal.Kind.TIMESTAMP && literal.kind() != Literal.Kind.STRING)) {
      return Optional.empty();
    }
    String text = literal.text().strip().replace(' ', 'T');
    if (text.length() == 10) {
      text = text + "T00:00:00";
    }
    return converted(text, type);
  }

  /**
   * A date or timestamp text as Iceberg's value for the column's type, converted here, while the
   * filter is built: a text that is no valid literal of the type ({@code 'yesterday'}, {@code
   * '2023-13-45'}) prunes nothing and reaches DuckDB as written, which gives its own error or result.
   */
  private static Optional<Object> converted(String text, Type type) {
    try {
      org.apache.iceberg.expressions.Literal<Object> converted =
          org.apache.iceberg.expressions.Literal.of((CharSequence) text).to(type);
      return converted == null ? Optional.empty() : Optional.of(converted.value());
    } catch (DateTimeException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
