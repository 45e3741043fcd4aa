<#--
  Tarn: small rules shared by the branch, pipeline and time-travel rules.
-->

/** Parses an optional "IF NOT EXISTS". */
boolean TarnIfNotExistsOpt() :
{
}
{
    <IF> <NOT> <EXISTS> { return true; }
|
    { return false; }
}

/** Parses an optional "IF EXISTS". */
boolean TarnIfExistsOpt() :
{
}
{
    <IF> <EXISTS> { return true; }
|
    { return false; }
}

/** Parses an optional trailing "IN catalog"; null when absent. */
SqlIdentifier TarnInCatalogOpt() :
{
    final SqlIdentifier catalog;
}
{
    <IN> catalog = SimpleIdentifier() { return catalog; }
|
    { return null; }
}

/** Parses BRANCH or TAG. */
ReferenceType TarnBranchOrTag() :
{
}
{
    <BRANCH> { return ReferenceType.BRANCH; }
|
    <TAG> { return ReferenceType.TAG; }
}

/** Parses BRANCH, TAG or REFERENCE (which means either). */
ReferenceType TarnReferenceType() :
{
    final ReferenceType type;
}
{
    type = TarnBranchOrTag() { return type; }
|
    <REFERENCE> { return ReferenceType.ANY; }
}

/**
 * Parses "[BRANCH | TAG | REFERENCE] name [AT [COMMIT] 'hash' | AT TIMESTAMP 'timestamp']".
 * Without a type keyword the reference has type defaultType. "branch" alone is a name.
 */
SqlReferenceSpec TarnReferenceSpec(ReferenceType defaultType) :
{
    ReferenceType type = defaultType;
    final SqlIdentifier name;
}
{
    (
        LOOKAHEAD(2)
        type = TarnReferenceType() name = SimpleIdentifier()
    |
        name = SimpleIdentifier()
    )
    { return TarnReferencePin(name, type); }
}

/** Parses the optional pin after a reference name: "AT [COMMIT] 'hash'" or "AT TIMESTAMP 'ts'". */
SqlReferenceSpec TarnReferencePin(SqlIdentifier name, ReferenceType type) :
{
    final String value;
}
{
    LOOKAHEAD(2)
    <AT> [ <COMMIT> ] value = SimpleStringLiteral() {
        return TarnSqlNodes.referenceAtCommit(name, type, value);
    }
|
    LOOKAHEAD(2)
    <AT> <TIMESTAMP> value = SimpleStringLiteral() {
        return TarnSqlNodes.referenceAtTimestamp(name, type, value);
    }
|
    { return TarnSqlNodes.reference(name, type); }
}
