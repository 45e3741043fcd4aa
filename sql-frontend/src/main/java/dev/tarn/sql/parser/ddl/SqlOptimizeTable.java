package dev.tarn.sql.parser.ddl;

import dev.tarn.sql.ColumnFilter;
import dev.tarn.sql.command.OptimizeTable;
import dev.tarn.sql.command.TarnCommand;
import java.util.List;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.checkerframework.checker.nullness.qual.Nullable;

/** {@code OPTIMIZE TABLE name [WHERE condition]}. */
public final class SqlOptimizeTable extends SqlTarnStatement {
  private final SqlIdentifier table;
  private final @Nullable SqlNode where;
  private final List<ColumnFilter> filters;

  SqlOptimizeTable(SqlParserPos pos, SqlIdentifier table, @Nullable SqlNode where, List<ColumnFilter> filters) {
    super("OPTIMIZE TABLE", pos);
    this.table = table;
    this.where = where;
    this.filters = List.copyOf(filters);
  }

  @Override
  public TarnCommand toCommand() {
    return new OptimizeTable(table.names, filters);
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("OPTIMIZE TABLE");
    table.unparse(writer, 0, 0);
    if (where != null) {
      writer.keyword("WHERE");
      where.unparse(writer, 0, 0);
    }
  }
}
