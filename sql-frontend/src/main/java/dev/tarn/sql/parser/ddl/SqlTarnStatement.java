package dev.tarn.sql.parser.ddl;

import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.checkerframework.checker.nullness.qual.Nullable;

/** Base of Tarn's statements that are neither CREATE nor DROP. */
public abstract class SqlTarnStatement extends SqlCall implements TarnCommandNode {
  private final SqlOperator operator;

  protected SqlTarnStatement(String name, SqlParserPos pos) {
    super(pos);
    this.operator = new SqlSpecialOperator(name, SqlKind.OTHER);
  }

  @Override
  public SqlOperator getOperator() {
    return operator;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return List.of();
  }

  /** Writes {@code IN catalog} when there is one. */
  static void unparseCatalog(SqlWriter writer, @Nullable SqlIdentifier catalog) {
    if (catalog != null) {
      writer.keyword("IN");
      catalog.unparse(writer, 0, 0);
    }
  }
}
