<#--
  Tarn: table maintenance. OPTIMIZE TABLE rewrites a table's small data files (or those a WHERE picks)
  into few large ones as one commit. The statement becomes a record of dev.tarn.sql.command.
-->

/**
 * Parses "OPTIMIZE TABLE name [WHERE condition]": the condition is simple comparisons of the
 * table's columns with constants, joined by AND, so that file statistics can decide which files it
 * picks.
 */
SqlNode SqlOptimizeTable() :
{
    final Span s;
    final SqlIdentifier table;
    SqlNode where = null;
}
{
    <OPTIMIZE> { s = span(); } <TABLE> table = CompoundIdentifier()
    [
        <WHERE> where = Expression(ExprContext.ACCEPT_NON_QUERY)
    ]
    { return TarnSqlNodes.optimizeTable(s.end(this), table, where); }
}
