<#--
  Tarn: pieces of DuckDB's dialect Calcite's core grammar lacks.
-->

/** Parses the right side of "expr::type", DuckDB's cast. */
void TarnInfixCast(List<Object> list, ExprContext exprContext, Span s) :
{
    final SqlDataTypeSpec type;
}
{
    <INFIX_CAST> {
        checkNonQueryExpression(exprContext);
    }
    type = DataType() {
        list.add(new SqlParserUtil.ToTreeListItem(SqlLibraryOperators.INFIX_CAST, s.pos()));
        list.add(type);
    }
}
