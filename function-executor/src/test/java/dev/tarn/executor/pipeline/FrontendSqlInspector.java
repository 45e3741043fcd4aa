package dev.tarn.executor.pipeline;

import dev.tarn.sql.ColumnFilter;
import dev.tarn.sql.ModelText;
import dev.tarn.sql.ParsedStatement;
import dev.tarn.sql.ScanConditions;
import dev.tarn.sql.TableReference;
import dev.tarn.sql.TarnSqlFrontend;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.iceberg.Schema;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * The tests' SQL inspector: the real front end finds the tables a query reads; pruning turns the
 * simple column-vs-literal conditions the front end extracts into Iceberg predicates for the column
 * types the tests use (the server brings the complete conversion).
 */
final class FrontendSqlInspector implements SqlInspector {
  static final FrontendSqlInspector INSTANCE = new FrontendSqlInspector();

  private final TarnSqlFrontend frontend = new TarnSqlFrontend();

  @Override
  public List<String> tablesRead(String sql) {
    Set<String> names = new LinkedHashSet<>();
    for (TableReference reference : frontend.parse(sql).tables()) {
      names.add(reference.qualifiedName());
    }
    return new ArrayList<>(names);
  }

  @Override
  public SqlModelText readModel(String fileText) {
    ModelText model = ModelText.read(fileText);
    return new SqlModelText(model.options(), model.query(), model.parameters());
  }

  @Override
  public Optional<Set<String>> namesIn(String predicate) {
    return frontend.namesIn(predicate);
  }

  @Override
  public Optional<Expression> pruningFilter(String predicate, Schema tableSchema) {
    ParsedStatement parsed = frontend.parse("SELECT * FROM tarn_scan WHERE " + predicate);
    if (parsed.tables().size() != 1) {
      return Optional.empty();
    }
    Expression all = null;
    for (ColumnFilter filter : parsed.tables().get(0).filters()) {
      Types.NestedField field = tableSchema.caseInsensitiveFindField(filter.column());
      if (field == null || filter.values().size() != 1) {
        continue;
      }
      Expression e = comparison(filter, field);
      if (e != null) {
        all = all == null ? e : Expressions.and(all, e);
      }
    }
    return Optional.ofNullable(all);
  }

  /**
   * The filter as an expression holding for exactly the rows WHERE keeps, when the front end read
   * every condition of it and each compares an integer or timestamp column with a literal: a reduced
   * version of the server's, which is tested against its own front end (flight-server's
   * ExactScanFilterTest).
   */
  @Override
  public Optional<Expression> exactFilter(String predicate, Schema tableSchema) {
    Optional<ScanConditions> conditions = frontend.conditionsOf(predicate).filter(ScanConditions::whole);
    if (conditions.isEmpty() || conditions.get().usable().isEmpty()) {
      return Optional.empty();
    }
    Expression all = Expressions.alwaysTrue();
    for (ColumnFilter filter : conditions.get().usable()) {
      Types.NestedField field = tableSchema.caseInsensitiveFindField(filter.column());
      if (field == null || filter.values().size() != 1 || !(field.type().typeId() == Type.TypeID.LONG
          || field.type().typeId() == Type.TypeID.INTEGER || field.type().equals(Types.TimestampType.withoutZone()))) {
        return Optional.empty();
      }
      Expression e = comparison(filter, field);
      if (e == null) {
        return Optional.empty();
      }
      all = Expressions.and(all, Expressions.and(e, Expressions.notNull(field.name()))); // SQL drops nulls
    }
    return Optional.of(all);
  }

  /** One comparison of {@code field} with the filter's single literal; null when it has no Iceberg form here. */
  private static Expression comparison(ColumnFilter filter, Types.NestedField field) {
    Object value = value(field.type(), filter.values().get(0).text());
    String name = field.name();
    return value == null ? null : switch (filter.op()) {
      case EQ -> Expressions.equal(name, value);
      case LT -> Expressions.lessThan(name, value);
      case LT_EQ -> Expressions.lessThanOrEqual(name, value);
      case GT -> Expressions.greaterThan(name, value);
      case GT_EQ -> Expressions.greaterThanOrEqual(name, value);
      default -> null;
    };
  }

  private static Object value(Type type, String text) {
    String s = text.startsWith("'") && text.endsWith("'") ? text.substring(1, text.length() - 1) : text;
    try {
      return switch (type.typeId()) {
        case TIMESTAMP -> {
          LocalDateTime t = s.length() == 10 ? LocalDate.parse(s).atStartOfDay()
              : LocalDateTime.parse(s.replace(' ', 'T'));
          yield ChronoUnit.MICROS.between(LocalDateTime.of(1970, 1, 1, 0, 0).atOffset(ZoneOffset.UTC),
              t.atOffset(ZoneOffset.UTC));
        }
        case LONG -> Long.parseLong(s);
        case INTEGER -> Integer.parseInt(s);
        case DOUBLE -> Double.parseDouble(s);
        case STRING -> s;
        default -> null;
      };
    } catch (RuntimeException e) {
      return null;
    }
  }
}
