<#--
  Tarn: table maintenance. OPTIMIZE TABLE rewrites a table's small data files into few large ones as
  one commit. The statement becomes a record of dev.tarn.sql.command.
-->

/** Parses "OPTIMIZE TABLE name"; a WHERE after it is refused by name (not supported yet). */
SqlNode SqlOptimizeTable() :
{
    final Span s;
    final SqlIdentifier table;
}
{
    <OPTIMIZE> { s = span(); } <TABLE> table = CompoundIdentifier()
    [
        <WHERE> {
            throw TarnSqlNodes.error(s.end(this), "OPTIMIZE TABLE " + table + " WHERE ...: optimizing part of a"
                + " table is not supported yet; OPTIMIZE TABLE " + table + " rewrites the whole table's small files");
        }
    ]
    { return TarnSqlNodes.optimizeTable(s.end(this), table); }
}
