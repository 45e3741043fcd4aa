<#--
  Tarn: table maintenance. OPTIMIZE TABLE rewrites a table's small data files (or those a WHERE picks)
  into few large ones as one commit. VACUUM and EXPIRE SNAPSHOTS delete the files no kept commit of any
  branch or tag needs. The statement becomes a record of dev.tarn.sql.command.
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

/** Parses "VACUUM [DRY RUN]". */
SqlNode SqlVacuum() :
{
    final Span s;
    boolean dryRun = false;
}
{
    <VACUUM> { s = span(); }
    [ <DRY> <RUN> { dryRun = true; } ]
    { return TarnSqlNodes.vacuum(s.end(this), dryRun); }
}

/** Parses "EXPIRE SNAPSHOTS [OLDER THAN 'timestamp'] [RETAIN LAST n] [DRY RUN]". */
SqlNode SqlExpireSnapshots() :
{
    final Span s;
    String olderThan = null;
    SqlNumericLiteral retainLast = null;
    boolean dryRun = false;
}
{
    <EXPIRE> { s = span(); } <SNAPSHOTS>
    [ <OLDER> <THAN> olderThan = SimpleStringLiteral() ]
    [ <RETAIN> <LAST> retainLast = UnsignedNumericLiteral() ]
    [ <DRY> <RUN> { dryRun = true; } ]
    { return TarnSqlNodes.expireSnapshots(s.end(this), olderThan, retainLast, dryRun); }
}
