package dev.tarn.sql.parser.ddl;

import dev.tarn.sql.command.RunPipeline;
import dev.tarn.sql.command.TarnCommand;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.checkerframework.checker.nullness.qual.Nullable;

/** {@code RUN PIPELINE 'path' [ON BRANCH name] [WITH (key = value, ...)]}. */
public final class SqlRunPipeline extends SqlTarnStatement {
  private final String path;
  private final @Nullable SqlIdentifier branch;
  private final Map<SqlIdentifier, SqlLiteral> options;

  SqlRunPipeline(SqlParserPos pos, String path, @Nullable SqlIdentifier branch, Map<SqlIdentifier, SqlLiteral> options) {
    super("RUN PIPELINE", pos);
    this.path = path;
    this.branch = branch;
    this.options = new LinkedHashMap<>(options);
  }

  @Override
  public TarnCommand toCommand() {
    Map<String, String> values = new LinkedHashMap<>();
    options.forEach((key, value) -> values.put(TarnSqlNodes.optionKey(key), TarnSqlNodes.optionValue(value)));
    return new RunPipeline(path, Optional.ofNullable(branch).map(SqlIdentifier::getSimple), values);
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("RUN PIPELINE");
    SqlLiteral.createCharString(path, SqlParserPos.ZERO).unparse(writer, 0, 0);
    if (branch != null) {
      writer.keyword("ON BRANCH");
      branch.unparse(writer, 0, 0);
    }
    if (!options.isEmpty()) {
      writer.keyword("WITH");
      SqlWriter.Frame frame = writer.startList("(", ")");
      options.forEach((key, value) -> {
        writer.sep(",");
        key.unparse(writer, 0, 0);
        writer.keyword("=");
        value.unparse(writer, 0, 0);
      });
      writer.endList(frame);
    }
  }
}
