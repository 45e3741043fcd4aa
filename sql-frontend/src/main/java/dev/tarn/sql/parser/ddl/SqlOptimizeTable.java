package dev.tarn.sql.parser.ddl;

import dev.tarn.sql.command.OptimizeTable;
import dev.tarn.sql.command.TarnCommand;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/** {@code OPTIMIZE TABLE name}. */
public final class SqlOptimizeTable extends SqlTarnStatement {
  private final SqlIdentifier table;

  SqlOptimizeTable(SqlParserPos pos, SqlIdentifier table) {
    super("OPTIMIZE TABLE", pos);
    this.table = table;
  }

  @Override
  public TarnCommand toCommand() {
    return new OptimizeTable(table.names);
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("OPTIMIZE TABLE");
    table.unparse(writer, 0, 0);
  }
}
