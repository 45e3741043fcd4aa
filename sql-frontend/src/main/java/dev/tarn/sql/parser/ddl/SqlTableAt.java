package dev.tarn.sql.parser.ddl;

import dev.tarn.sql.command.ReferenceSpec;
import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.util.ImmutableNullableList;

/**
 * A table reference with Tarn's time-travel clause: {@code t AT BRANCH dev}, {@code t AT TAG v1},
 * {@code t AT REFERENCE r}, {@code t AT COMMIT 'hash'}, {@code t AT TIMESTAMP '...'}. Its position
 * covers the clause only; the table's covers the name.
 */
public final class SqlTableAt extends SqlCall {
  private static final SqlOperator OPERATOR = new SqlSpecialOperator("AT", SqlKind.OTHER);

  private final SqlNode table;
  private final SqlReferenceSpec version;

  SqlTableAt(SqlParserPos pos, SqlNode table, SqlReferenceSpec version) {
    super(pos);
    this.table = table;
    this.version = version;
  }

  /** The table, usually a {@link org.apache.calcite.sql.SqlIdentifier}. */
  public SqlNode table() {
    return table;
  }

  public ReferenceSpec version() {
    return version.toSpec();
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return ImmutableNullableList.of(table);
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    table.unparse(writer, leftPrec, rightPrec);
    if (version.name() != null) {
      writer.keyword("AT");
    }
    version.unparse(writer, true);
  }
}
