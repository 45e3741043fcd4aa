package dev.tarn.sql.parser.ddl;

import dev.tarn.sql.command.DropReference;
import dev.tarn.sql.command.ReferenceType;
import dev.tarn.sql.command.TarnCommand;
import java.util.List;
import java.util.Optional;
import org.apache.calcite.sql.SqlDrop;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.util.ImmutableNullableList;
import org.checkerframework.checker.nullness.qual.Nullable;

/** {@code DROP BRANCH | TAG [IF EXISTS] name [IN catalog]}. */
public final class SqlDropReference extends SqlDrop implements TarnCommandNode {
  private static final SqlOperator OPERATOR = new SqlSpecialOperator("DROP REFERENCE", SqlKind.OTHER_DDL);

  private final ReferenceType type;
  private final SqlIdentifier name;
  private final @Nullable SqlIdentifier catalog;

  SqlDropReference(SqlParserPos pos, ReferenceType type, boolean ifExists, SqlIdentifier name,
      @Nullable SqlIdentifier catalog) {
    super(OPERATOR, pos, ifExists);
    this.type = type;
    this.name = name;
    this.catalog = catalog;
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return ImmutableNullableList.of(name, catalog);
  }

  @Override
  public TarnCommand toCommand() {
    return new DropReference(type, name.getSimple(), ifExists, Optional.ofNullable(catalog).map(SqlIdentifier::getSimple));
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("DROP");
    writer.keyword(type.keyword());
    if (ifExists) {
      writer.keyword("IF EXISTS");
    }
    name.unparse(writer, 0, 0);
    SqlTarnStatement.unparseCatalog(writer, catalog);
  }
}
