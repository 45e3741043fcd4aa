<#--
  Tarn: time-travel clauses on table references (spec/sql.md, "Time travel"). Spliced into Calcite's
  TableRef3 by templates/TarnSqlParserImpl.jj, where Calcite parses "FOR SYSTEM_TIME AS OF".
-->

/**
 * Parses what may follow a table name: Calcite's "FOR SYSTEM_TIME AS OF expr", or
 * "AT BRANCH name | AT TAG name | AT REFERENCE name | AT COMMIT 'hash' | AT TIMESTAMP 'ts'".
 * AT COMMIT and AT TIMESTAMP also take a statement parameter, "?", whose value Tarn resolves.
 */
SqlNode TarnTableVersion(SqlNode tableRef) :
{
    final SqlNode versioned;
    final Span s;
    final ReferenceType type;
    final SqlIdentifier name;
    final String value;
    final SqlDynamicParam parameter;
}
{
    versioned = Snapshot(tableRef) { return versioned; }
|
    <AT> { s = span(); }
    (
        type = TarnReferenceType() name = SimpleIdentifier() {
            return TarnSqlNodes.tableAt(s.end(this), tableRef, TarnSqlNodes.reference(name, type));
        }
    |
        <COMMIT>
        (
            value = SimpleStringLiteral() {
                return TarnSqlNodes.tableAt(s.end(this), tableRef,
                    TarnSqlNodes.referenceAtCommit(null, ReferenceType.ANY, value));
            }
        |
            parameter = DynamicParam() {
                return TarnSqlNodes.tableAtParameter(s.end(this), tableRef, parameter,
                    PointInTimeParameter.Pin.COMMIT);
            }
        )
    |
        <TIMESTAMP>
        (
            value = SimpleStringLiteral() {
                return TarnSqlNodes.tableAt(s.end(this), tableRef,
                    TarnSqlNodes.referenceAtTimestamp(null, ReferenceType.ANY, value));
            }
        |
            parameter = DynamicParam() {
                return TarnSqlNodes.tableAtParameter(s.end(this), tableRef, parameter,
                    PointInTimeParameter.Pin.TIMESTAMP);
            }
        )
    )
}
