package dev.tarn.sql.parser.ddl;

import dev.tarn.sql.PointInTimeParameter;
import dev.tarn.sql.command.ReferenceSpec;
import java.util.List;
import java.util.Optional;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A table reference with Tarn's time-travel clause: {@code t AT BRANCH dev}, {@code t AT TAG v1},
 * {@code t AT REFERENCE r}, {@code t AT COMMIT 'hash'}, {@code t AT TIMESTAMP '...'}, or with a
 * parameter, {@code t AT COMMIT ?}, {@code t AT TIMESTAMP ?}. Its position covers the clause only;
 * the table's covers the name.
 */
public final class SqlTableAt extends SqlCall {
  private static final SqlOperator OPERATOR = new SqlSpecialOperator("AT", SqlKind.OTHER);

  private final SqlNode table;
  /** The point in time as written, or null when it is a parameter. */
  private final @Nullable SqlReferenceSpec version;
  private final @Nullable SqlDynamicParam parameter;
  private final PointInTimeParameter.@Nullable Pin pin;

  SqlTableAt(SqlParserPos pos, SqlNode table, SqlReferenceSpec version) {
    super(pos);
    this.table = table;
    this.version = version;
    this.parameter = null;
    this.pin = null;
  }

  SqlTableAt(SqlParserPos pos, SqlNode table, SqlDynamicParam parameter, PointInTimeParameter.Pin pin) {
    super(pos);
    this.table = table;
    this.version = null;
    this.parameter = parameter;
    this.pin = pin;
  }

  /** The table, usually a {@link org.apache.calcite.sql.SqlIdentifier}. */
  public SqlNode table() {
    return table;
  }

  /** The point in time, when written as a literal or a reference name. */
  public Optional<ReferenceSpec> version() {
    return version == null ? Optional.empty() : Optional.of(version.toSpec());
  }

  /** The point in time, when it is a statement parameter. */
  public Optional<PointInTimeParameter> parameter() {
    return parameter == null || pin == null
        ? Optional.empty()
        : Optional.of(new PointInTimeParameter(parameter.getIndex(), pin));
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return parameter == null ? List.of(table) : List.of(table, parameter);
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    table.unparse(writer, leftPrec, rightPrec);
    if (version == null) {
      writer.keyword(pin == PointInTimeParameter.Pin.COMMIT ? "AT COMMIT" : "AT TIMESTAMP");
      parameter.unparse(writer, 0, 0);
      return;
    }
    if (version.name() != null) {
      writer.keyword("AT");
    }
    version.unparse(writer, true);
  }
}
