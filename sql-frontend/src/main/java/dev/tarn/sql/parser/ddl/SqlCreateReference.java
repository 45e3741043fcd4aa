package dev.tarn.sql.parser.ddl;

import dev.tarn.sql.command.CreateReference;
import dev.tarn.sql.command.ReferenceType;
import dev.tarn.sql.command.TarnCommand;
import java.util.List;
import java.util.Optional;
import org.apache.calcite.sql.SqlCreate;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.util.ImmutableNullableList;
import org.checkerframework.checker.nullness.qual.Nullable;

/** {@code CREATE BRANCH | TAG [IF NOT EXISTS] name [FROM reference [AT COMMIT 'hash']] [IN catalog]}. */
public final class SqlCreateReference extends SqlCreate implements TarnCommandNode {
  private static final SqlOperator OPERATOR = new SqlSpecialOperator("CREATE REFERENCE", SqlKind.OTHER_DDL);

  private final ReferenceType type;
  private final SqlIdentifier name;
  private final @Nullable SqlReferenceSpec from;
  private final @Nullable SqlIdentifier catalog;

  SqlCreateReference(SqlParserPos pos, ReferenceType type, boolean ifNotExists, SqlIdentifier name,
      @Nullable SqlReferenceSpec from, @Nullable SqlIdentifier catalog) {
    super(OPERATOR, pos, false, ifNotExists);
    this.type = type;
    this.name = name;
    this.from = from;
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
    return new CreateReference(type, name.getSimple(), ifNotExists,
        Optional.ofNullable(from).map(SqlReferenceSpec::toSpec),
        Optional.ofNullable(catalog).map(SqlIdentifier::getSimple));
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("CREATE");
    writer.keyword(type.keyword());
    if (ifNotExists) {
      writer.keyword("IF NOT EXISTS");
    }
    name.unparse(writer, 0, 0);
    if (from != null) {
      writer.keyword("FROM");
      from.unparse(writer, false);
    }
    SqlTarnStatement.unparseCatalog(writer, catalog);
  }
}
