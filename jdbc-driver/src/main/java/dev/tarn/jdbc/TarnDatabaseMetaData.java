package dev.tarn.jdbc;

import dev.tarn.jdbc.LocalRows.Kind;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.RowIdLifetime;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.arrow.flight.sql.impl.FlightSql.SqlInfo;
import org.apache.arrow.flight.sql.impl.FlightSql.SqlSupportedCaseSensitivity;
import org.apache.arrow.flight.sql.util.TableRef;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * What DBeaver's navigator, SQL editor and ER diagrams ask: catalogs (branches and tags), schemas,
 * tables, columns, keys, types (the server's GetXdbcTypeInfo), keywords and functions (GetSqlInfo).
 * Lists come from the server's Flight SQL metadata calls; the fixed answers describe what Tarn is.
 */
final class TarnDatabaseMetaData implements DatabaseMetaData, SelfWrapper {
  private final TarnConnection connection;
  private final TarnConnection.ServerFacts facts;
  private final MetadataQueries queries;

  TarnDatabaseMetaData(TarnConnection connection, TarnConnection.ServerFacts facts) {
    this.connection = connection;
    this.facts = facts;
    this.queries = new MetadataQueries(connection.link());
  }

  private ServerLink link() {
    return connection.link();
  }

  private LocalRows rows() {
    return new LocalRows(link().allocator());
  }

  /** An empty result with the given columns: "NAME" is text, "NAME:int", ":short", ":long", ":bool". */
  private ResultSet empty(String... columns) {
    LocalRows rows = rows();
    for (String column : columns) {
      int colon = column.indexOf(':');
      rows.column(colon < 0 ? column : column.substring(0, colon), colon < 0 ? Kind.TEXT
          : Kind.valueOf(column.substring(colon + 1).toUpperCase(java.util.Locale.ROOT)));
    }
    return rows.result(null);
  }

  private String infoText(SqlInfo key, String fallback) {
    Object value = facts.info().get(key.getNumber());
    return value == null ? fallback : value.toString();
  }

  private boolean infoFlag(SqlInfo key, boolean fallback) {
    Object value = facts.info().get(key.getNumber());
    return value instanceof Boolean b ? b : fallback;
  }

  private String infoList(SqlInfo key) {
    Object value = facts.info().get(key.getNumber());
    return value instanceof List<?> list ? String.join(",", list.stream().map(Object::toString).toList()) : "";
  }

  // ---- catalogs, schemas, tables, columns ---------------------------------------------------

  @Override
  public ResultSet getCatalogs() throws SQLException {
    LocalRows rows = rows().column("TABLE_CAT", Kind.TEXT);
    List<Object[]> catalogs = queries.rows(() -> link().sql().getCatalogs(link().options()));
    catalogs.sort(Comparator.comparing(row -> (String) row[0]));
    catalogs.forEach(row -> rows.row(row[0]));
    return rows.result(null);
  }

  @Override
  public ResultSet getSchemas() throws SQLException {
    return getSchemas(null, null);
  }

  @Override
  public ResultSet getSchemas(String catalog, String schemaPattern) throws SQLException {
    LocalRows rows = rows().column("TABLE_SCHEM", Kind.TEXT).column("TABLE_CATALOG", Kind.TEXT);
    if (!"".equals(catalog)) {
      List<Object[]> schemas = queries.rows(() -> link().sql().getSchemas(catalog, schemaPattern, link().options()));
      schemas.sort(Comparator.comparing((Object[] row) -> (String) row[0]).thenComparing(row -> (String) row[1]));
      schemas.forEach(row -> rows.row(row[1], row[0]));
    }
    return rows.result(null);
  }

  @Override
  public ResultSet getTableTypes() throws SQLException {
    LocalRows rows = rows().column("TABLE_TYPE", Kind.TEXT);
    queries.rows(() -> link().sql().getTableTypes(link().options())).forEach(row -> rows.row(row[0]));
    return rows.result(null);
  }

  @Override
  public ResultSet getTables(String catalog, String schemaPattern, String tablePattern, String[] types)
      throws SQLException {
    LocalRows rows = rows().column("TABLE_CAT", Kind.TEXT).column("TABLE_SCHEM", Kind.TEXT)
        .column("TABLE_NAME", Kind.TEXT).column("TABLE_TYPE", Kind.TEXT).column("REMARKS", Kind.TEXT)
        .column("TYPE_CAT", Kind.TEXT).column("TYPE_SCHEM", Kind.TEXT).column("TYPE_NAME", Kind.TEXT)
        .column("SELF_REFERENCING_COL_NAME", Kind.TEXT).column("REF_GENERATION", Kind.TEXT);
    if (!"".equals(catalog) && !"".equals(schemaPattern)) {
      for (Object[] table : tables(catalog, schemaPattern, tablePattern, types, false)) {
        rows.row(table[0], table[1], table[2], table[3], null, null, null, null, null, null);
      }
    }
    return rows.result(null);
  }

  private List<Object[]> tables(String catalog, String schemaPattern, String tablePattern, String[] types,
      boolean withSchema) throws SQLException {
    List<String> typeList = types == null ? null : Arrays.asList(types);
    List<Object[]> tables = new ArrayList<>(queries.rows(() -> link().sql().getTables(catalog, schemaPattern,
        tablePattern, typeList, withSchema, link().options())));
    // JDBC's order: type, catalog, schema, name
    tables.sort(Comparator.comparing((Object[] t) -> (String) t[3]).thenComparing(t -> (String) t[0])
        .thenComparing(t -> (String) t[1]).thenComparing(t -> (String) t[2]));
    return tables;
  }

  @Override
  public ResultSet getColumns(String catalog, String schemaPattern, String tablePattern, String columnPattern)
      throws SQLException {
    LocalRows rows = rows().column("TABLE_CAT", Kind.TEXT).column("TABLE_SCHEM", Kind.TEXT)
        .column("TABLE_NAME", Kind.TEXT).column("COLUMN_NAME", Kind.TEXT).column("DATA_TYPE", Kind.INT)
        .column("TYPE_NAME", Kind.TEXT).column("COLUMN_SIZE", Kind.INT).column("BUFFER_LENGTH", Kind.INT)
        .column("DECIMAL_DIGITS", Kind.INT).column("NUM_PREC_RADIX", Kind.INT).column("NULLABLE", Kind.INT)
        .column("REMARKS", Kind.TEXT).column("COLUMN_DEF", Kind.TEXT).column("SQL_DATA_TYPE", Kind.INT)
        .column("SQL_DATETIME_SUB", Kind.INT).column("CHAR_OCTET_LENGTH", Kind.INT)
        .column("ORDINAL_POSITION", Kind.INT).column("IS_NULLABLE", Kind.TEXT).column("SCOPE_CATALOG", Kind.TEXT)
        .column("SCOPE_SCHEMA", Kind.TEXT).column("SCOPE_TABLE", Kind.TEXT).column("SOURCE_DATA_TYPE", Kind.SHORT)
        .column("IS_AUTOINCREMENT", Kind.TEXT).column("IS_GENERATEDCOLUMN", Kind.TEXT);
    if ("".equals(catalog) || "".equals(schemaPattern)) {
      return rows.result(null);
    }
    Pattern columnMatches = LikePatterns.regex(columnPattern);
    for (Object[] table : tables(catalog, schemaPattern, tablePattern, null, true)) {
      Schema schema = Schema.deserializeMessage(ByteBuffer.wrap((byte[]) table[4]));
      int position = 0;
      for (Field field : schema.getFields()) {
        position++;
        if (!columnMatches.matcher(field.getName()).matches()) {
          continue;
        }
        SqlType type = SqlType.of(field);
        boolean numeric = type.signed() || type.jdbcType() == Types.NUMERIC;
        Integer radix = numeric ? (type.jdbcType() == Types.REAL || type.jdbcType() == Types.DOUBLE ? 2 : 10) : null;
        Integer octets = type.jdbcType() == Types.VARCHAR || type.jdbcType() == Types.VARBINARY
            ? Integer.MAX_VALUE : null;
        rows.row(table[0], table[1], table[2], field.getName(), type.jdbcType(), type.name(), type.precision(),
            null, type.scale(), radix, field.isNullable() ? columnNullable : columnNoNulls, remarks(field), null,
            null, null, octets, position, field.isNullable() ? "YES" : "NO", null, null, null, null, "NO", "NO");
      }
    }
    return rows.result(null);
  }

  /** A column's comment when the server sends one in the field's metadata. */
  private static String remarks(Field field) {
    Map<String, String> metadata = field.getMetadata();
    return metadata == null ? null : metadata.getOrDefault("comment", metadata.get("description"));
  }

  // ---- keys and indexes: lakehouse tables declare none; the answers are well-formed ---------

  @Override
  public ResultSet getPrimaryKeys(String catalog, String schema, String table) throws SQLException {
    LocalRows rows = rows().column("TABLE_CAT", Kind.TEXT).column("TABLE_SCHEM", Kind.TEXT)
        .column("TABLE_NAME", Kind.TEXT).column("COLUMN_NAME", Kind.TEXT).column("KEY_SEQ", Kind.SHORT)
        .column("PK_NAME", Kind.TEXT);
    for (Object[] key : queries.rows(() -> link().sql().getPrimaryKeys(TableRef.of(catalog, schema, table),
        link().options()))) {
      rows.row(key[0], key[1], key[2], key[3], key[5], key[4]);
    }
    return rows.result(null);
  }

  private LocalRows foreignKeyColumns() {
    return rows().column("PKTABLE_CAT", Kind.TEXT).column("PKTABLE_SCHEM", Kind.TEXT)
        .column("PKTABLE_NAME", Kind.TEXT).column("PKCOLUMN_NAME", Kind.TEXT).column("FKTABLE_CAT", Kind.TEXT)
        .column("FKTABLE_SCHEM", Kind.TEXT).column("FKTABLE_NAME", Kind.TEXT).column("FKCOLUMN_NAME", Kind.TEXT)
        .column("KEY_SEQ", Kind.SHORT).column("UPDATE_RULE", Kind.SHORT).column("DELETE_RULE", Kind.SHORT)
        .column("FK_NAME", Kind.TEXT).column("PK_NAME", Kind.TEXT).column("DEFERRABILITY", Kind.SHORT);
  }

  private ResultSet foreignKeys(MetadataQueries.Call call) throws SQLException {
    LocalRows rows = foreignKeyColumns();
    for (Object[] key : queries.rows(call)) {
      rows.row(key[0], key[1], key[2], key[3], key[4], key[5], key[6], key[7], key[8], key[11], key[12], key[9],
          key[10], importedKeyNotDeferrable);
    }
    return rows.result(null);
  }

  @Override
  public ResultSet getImportedKeys(String catalog, String schema, String table) throws SQLException {
    return foreignKeys(() -> link().sql().getImportedKeys(TableRef.of(catalog, schema, table), link().options()));
  }

  @Override
  public ResultSet getExportedKeys(String catalog, String schema, String table) throws SQLException {
    return foreignKeys(() -> link().sql().getExportedKeys(TableRef.of(catalog, schema, table), link().options()));
  }

  @Override
  public ResultSet getCrossReference(String parentCatalog, String parentSchema, String parentTable,
      String foreignCatalog, String foreignSchema, String foreignTable) throws SQLException {
    return foreignKeys(() -> link().sql().getCrossReference(TableRef.of(parentCatalog, parentSchema, parentTable),
        TableRef.of(foreignCatalog, foreignSchema, foreignTable), link().options()));
  }

  @Override
  public ResultSet getIndexInfo(String catalog, String schema, String table, boolean unique, boolean approximate) {
    return empty("TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "NON_UNIQUE:bool", "INDEX_QUALIFIER", "INDEX_NAME",
        "TYPE:short", "ORDINAL_POSITION:short", "COLUMN_NAME", "ASC_OR_DESC", "CARDINALITY:long", "PAGES:long",
        "FILTER_CONDITION");
  }

  @Override
  public ResultSet getBestRowIdentifier(String catalog, String schema, String table, int scope, boolean nullable) {
    return empty("SCOPE:short", "COLUMN_NAME", "DATA_TYPE:int", "TYPE_NAME", "COLUMN_SIZE:int",
        "BUFFER_LENGTH:int", "DECIMAL_DIGITS:short", "PSEUDO_COLUMN:short");
  }

  @Override
  public ResultSet getVersionColumns(String catalog, String schema, String table) {
    return empty("SCOPE:short", "COLUMN_NAME", "DATA_TYPE:int", "TYPE_NAME", "COLUMN_SIZE:int",
        "BUFFER_LENGTH:int", "DECIMAL_DIGITS:short", "PSEUDO_COLUMN:short");
  }

  @Override
  public ResultSet getColumnPrivileges(String catalog, String schema, String table, String columnPattern) {
    return empty("TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "COLUMN_NAME", "GRANTOR", "GRANTEE", "PRIVILEGE",
        "IS_GRANTABLE");
  }

  @Override
  public ResultSet getTablePrivileges(String catalog, String schemaPattern, String tablePattern) {
    return empty("TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "GRANTOR", "GRANTEE", "PRIVILEGE", "IS_GRANTABLE");
  }

  @Override
  public ResultSet getPseudoColumns(String catalog, String schemaPattern, String tablePattern,
      String columnPattern) {
    return empty("TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "COLUMN_NAME", "DATA_TYPE:int", "COLUMN_SIZE:int",
        "DECIMAL_DIGITS:int", "NUM_PREC_RADIX:int", "COLUMN_USAGE", "REMARKS", "CHAR_OCTET_LENGTH:int",
        "IS_NULLABLE");
  }

  // ---- procedures, functions, user types: none are listed -----------------------------------

  @Override
  public ResultSet getProcedures(String catalog, String schemaPattern, String procedurePattern) {
    return empty("PROCEDURE_CAT", "PROCEDURE_SCHEM", "PROCEDURE_NAME", "RESERVED1", "RESERVED2", "RESERVED3",
        "REMARKS", "PROCEDURE_TYPE:short", "SPECIFIC_NAME");
  }

  @Override
  public ResultSet getProcedureColumns(String catalog, String schemaPattern, String procedurePattern,
      String columnPattern) {
    return empty("PROCEDURE_CAT", "PROCEDURE_SCHEM", "PROCEDURE_NAME", "COLUMN_NAME", "COLUMN_TYPE:short",
        "DATA_TYPE:int", "TYPE_NAME", "PRECISION:int", "LENGTH:int", "SCALE:short", "RADIX:short",
        "NULLABLE:short", "REMARKS", "COLUMN_DEF", "SQL_DATA_TYPE:int", "SQL_DATETIME_SUB:int",
        "CHAR_OCTET_LENGTH:int", "ORDINAL_POSITION:int", "IS_NULLABLE", "SPECIFIC_NAME");
  }

  @Override
  public ResultSet getFunctions(String catalog, String schemaPattern, String functionPattern) {
    return empty("FUNCTION_CAT", "FUNCTION_SCHEM", "FUNCTION_NAME", "REMARKS", "FUNCTION_TYPE:short",
        "SPECIFIC_NAME");
  }

  @Override
  public ResultSet getFunctionColumns(String catalog, String schemaPattern, String functionPattern,
      String columnPattern) {
    return empty("FUNCTION_CAT", "FUNCTION_SCHEM", "FUNCTION_NAME", "COLUMN_NAME", "COLUMN_TYPE:short",
        "DATA_TYPE:int", "TYPE_NAME", "PRECISION:int", "LENGTH:int", "SCALE:short", "RADIX:short",
        "NULLABLE:short", "REMARKS", "CHAR_OCTET_LENGTH:int", "ORDINAL_POSITION:int", "IS_NULLABLE",
        "SPECIFIC_NAME");
  }

  @Override
  public ResultSet getUDTs(String catalog, String schemaPattern, String typeNamePattern, int[] types) {
    return empty("TYPE_CAT", "TYPE_SCHEM", "TYPE_NAME", "CLASS_NAME", "DATA_TYPE:int", "REMARKS",
        "BASE_TYPE:short");
  }

  @Override
  public ResultSet getSuperTypes(String catalog, String schemaPattern, String typeNamePattern) {
    return empty("TYPE_CAT", "TYPE_SCHEM", "TYPE_NAME", "SUPERTYPE_CAT", "SUPERTYPE_SCHEM", "SUPERTYPE_NAME");
  }

  @Override
  public ResultSet getSuperTables(String catalog, String schemaPattern, String tableNamePattern) {
    return empty("TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "SUPERTABLE_NAME");
  }

  @Override
  public ResultSet getAttributes(String catalog, String schemaPattern, String typeNamePattern,
      String attributeNamePattern) {
    return empty("TYPE_CAT", "TYPE_SCHEM", "TYPE_NAME", "ATTR_NAME", "DATA_TYPE:int", "ATTR_TYPE_NAME",
        "ATTR_SIZE:int", "DECIMAL_DIGITS:int", "NUM_PREC_RADIX:int", "NULLABLE:int", "REMARKS", "ATTR_DEF",
        "SQL_DATA_TYPE:int", "SQL_DATETIME_SUB:int", "CHAR_OCTET_LENGTH:int", "ORDINAL_POSITION:int",
        "IS_NULLABLE", "SCOPE_CATALOG", "SCOPE_SCHEMA", "SCOPE_TABLE", "SOURCE_DATA_TYPE:short");
  }

  @Override
  public ResultSet getClientInfoProperties() {
    return empty("NAME", "MAX_LEN:int", "DEFAULT_VALUE", "DESCRIPTION");
  }

  // ---- types --------------------------------------------------------------------------------

  /** The server's GetXdbcTypeInfo, in JDBC's columns and order (by DATA_TYPE). */
  @Override
  public ResultSet getTypeInfo() throws SQLException {
    LocalRows rows = rows().column("TYPE_NAME", Kind.TEXT).column("DATA_TYPE", Kind.INT)
        .column("PRECISION", Kind.INT).column("LITERAL_PREFIX", Kind.TEXT).column("LITERAL_SUFFIX", Kind.TEXT)
        .column("CREATE_PARAMS", Kind.TEXT).column("NULLABLE", Kind.SHORT).column("CASE_SENSITIVE", Kind.BOOL)
        .column("SEARCHABLE", Kind.SHORT).column("UNSIGNED_ATTRIBUTE", Kind.BOOL)
        .column("FIXED_PREC_SCALE", Kind.BOOL).column("AUTO_INCREMENT", Kind.BOOL)
        .column("LOCAL_TYPE_NAME", Kind.TEXT).column("MINIMUM_SCALE", Kind.SHORT)
        .column("MAXIMUM_SCALE", Kind.SHORT).column("SQL_DATA_TYPE", Kind.INT)
        .column("SQL_DATETIME_SUB", Kind.INT).column("NUM_PREC_RADIX", Kind.INT);
    List<Object[]> types = new ArrayList<>(queries.rows(() -> link().sql().getXdbcTypeInfo(link().options())));
    types.sort(Comparator.comparingInt(row -> ((Number) row[1]).intValue()));
    for (Object[] t : types) {
      Object createParams = t[5] instanceof TarnArray array ? String.join(",",
          Arrays.stream((Object[]) array.getArray()).map(String::valueOf).toList()) : t[5];
      rows.row(t[0], t[1], t[2], t[3], t[4], createParams, t[6], t[7], t[8], t[9], t[10], t[11], t[12], t[13],
          t[14], t[15], t[16], t[17]);
    }
    return rows.result(null);
  }

  // ---- the product ----------------------------------------------------------------------------

  @Override
  public String getDatabaseProductName() {
    return facts.name();
  }

  @Override
  public String getDatabaseProductVersion() {
    return facts.version();
  }

  private int versionPart(int index) {
    String[] parts = facts.version().split("[^0-9]+");
    List<String> numbers = Arrays.stream(parts).filter(p -> !p.isEmpty()).toList();
    try {
      return index < numbers.size() ? Integer.parseInt(numbers.get(index)) : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  @Override
  public int getDatabaseMajorVersion() {
    return versionPart(0);
  }

  @Override
  public int getDatabaseMinorVersion() {
    return versionPart(1);
  }

  @Override
  public String getDriverName() {
    return TarnDriver.NAME;
  }

  @Override
  public String getDriverVersion() {
    return TarnDriver.VERSION;
  }

  @Override
  public int getDriverMajorVersion() {
    return TarnDriver.MAJOR;
  }

  @Override
  public int getDriverMinorVersion() {
    return TarnDriver.MINOR;
  }

  @Override
  public int getJDBCMajorVersion() {
    return 4;
  }

  @Override
  public int getJDBCMinorVersion() {
    return 2;
  }

  @Override
  public String getURL() {
    return link().url().display();
  }

  @Override
  public String getUserName() {
    return link().url().user().orElse(link().url().token().isPresent() ? "(token)" : "anonymous");
  }

  @Override
  public Connection getConnection() {
    return connection;
  }

  @Override
  public boolean isReadOnly() {
    return infoFlag(SqlInfo.FLIGHT_SQL_SERVER_READ_ONLY, false);
  }

  // ---- SQL dialect: from GetSqlInfo -----------------------------------------------------------

  @Override
  public String getIdentifierQuoteString() {
    return infoText(SqlInfo.SQL_IDENTIFIER_QUOTE_CHAR, "\"");
  }

  @Override
  public String getSQLKeywords() {
    return infoList(SqlInfo.SQL_KEYWORDS);
  }

  @Override
  public String getNumericFunctions() {
    return infoList(SqlInfo.SQL_NUMERIC_FUNCTIONS);
  }

  @Override
  public String getStringFunctions() {
    return infoList(SqlInfo.SQL_STRING_FUNCTIONS);
  }

  @Override
  public String getSystemFunctions() {
    return infoList(SqlInfo.SQL_SYSTEM_FUNCTIONS);
  }

  @Override
  public String getTimeDateFunctions() {
    return infoList(SqlInfo.SQL_DATETIME_FUNCTIONS);
  }

  @Override
  public String getSearchStringEscape() {
    return infoText(SqlInfo.SQL_SEARCH_STRING_ESCAPE, "\\");
  }

  @Override
  public String getExtraNameCharacters() {
    return infoText(SqlInfo.SQL_EXTRA_NAME_CHARACTERS, "");
  }

  @Override
  public String getSchemaTerm() {
    return infoText(SqlInfo.SQL_SCHEMA_TERM, "schema");
  }

  /** Catalogs are branches and tags; tools show this word. */
  @Override
  public String getCatalogTerm() {
    return "branch";
  }

  @Override
  public String getProcedureTerm() {
    return infoText(SqlInfo.SQL_PROCEDURE_TERM, "procedure");
  }

  @Override
  public String getCatalogSeparator() {
    return ".";
  }

  @Override
  public boolean isCatalogAtStart() {
    return true;
  }

  private boolean caseIs(SqlInfo key, SqlSupportedCaseSensitivity expected) {
    Object value = facts.info().get(key.getNumber());
    return value instanceof Number n && n.intValue() == expected.getNumber();
  }

  /** DuckDB matches unquoted names case-insensitively and keeps the case they were written in. */
  @Override
  public boolean supportsMixedCaseIdentifiers() {
    return false;
  }

  @Override
  public boolean storesUpperCaseIdentifiers() {
    return caseIs(SqlInfo.SQL_IDENTIFIER_CASE, SqlSupportedCaseSensitivity.SQL_CASE_SENSITIVITY_UPPERCASE);
  }

  @Override
  public boolean storesLowerCaseIdentifiers() {
    return caseIs(SqlInfo.SQL_IDENTIFIER_CASE, SqlSupportedCaseSensitivity.SQL_CASE_SENSITIVITY_LOWERCASE);
  }

  @Override
  public boolean storesMixedCaseIdentifiers() {
    return caseIs(SqlInfo.SQL_IDENTIFIER_CASE, SqlSupportedCaseSensitivity.SQL_CASE_SENSITIVITY_CASE_INSENSITIVE);
  }

  /** Quoted names match case-insensitively too ("Sales" and "sales" are one table). */
  @Override
  public boolean supportsMixedCaseQuotedIdentifiers() {
    return false;
  }

  @Override
  public boolean storesUpperCaseQuotedIdentifiers() {
    return false;
  }

  @Override
  public boolean storesLowerCaseQuotedIdentifiers() {
    return false;
  }

  @Override
  public boolean storesMixedCaseQuotedIdentifiers() {
    return true;
  }

  // ---- fixed facts about Tarn -----------------------------------------------------------------

  @Override
  public boolean allProceduresAreCallable() {
    return false;
  }

  @Override
  public boolean allTablesAreSelectable() {
    return true;
  }

  @Override
  public boolean nullsAreSortedHigh() {
    return false;
  }

  @Override
  public boolean nullsAreSortedLow() {
    return false;
  }

  @Override
  public boolean nullsAreSortedAtStart() {
    return false;
  }

  @Override
  public boolean nullsAreSortedAtEnd() {
    return true;
  }

  @Override
  public boolean usesLocalFiles() {
    return false;
  }

  @Override
  public boolean usesLocalFilePerTable() {
    return false;
  }

  @Override
  public boolean supportsAlterTableWithAddColumn() {
    return true;
  }

  @Override
  public boolean supportsAlterTableWithDropColumn() {
    return true;
  }

  @Override
  public boolean supportsColumnAliasing() {
    return true;
  }

  @Override
  public boolean nullPlusNonNullIsNull() {
    return true;
  }

  @Override
  public boolean supportsConvert() {
    return false;
  }

  @Override
  public boolean supportsConvert(int fromType, int toType) {
    return false;
  }

  @Override
  public boolean supportsTableCorrelationNames() {
    return true;
  }

  @Override
  public boolean supportsDifferentTableCorrelationNames() {
    return false;
  }

  @Override
  public boolean supportsExpressionsInOrderBy() {
    return true;
  }

  @Override
  public boolean supportsOrderByUnrelated() {
    return true;
  }

  @Override
  public boolean supportsGroupBy() {
    return true;
  }

  @Override
  public boolean supportsGroupByUnrelated() {
    return true;
  }

  @Override
  public boolean supportsGroupByBeyondSelect() {
    return true;
  }

  @Override
  public boolean supportsLikeEscapeClause() {
    return true;
  }

  @Override
  public boolean supportsMultipleResultSets() {
    return false;
  }

  @Override
  public boolean supportsMultipleTransactions() {
    return true;
  }

  @Override
  public boolean supportsNonNullableColumns() {
    return true;
  }

  @Override
  public boolean supportsMinimumSQLGrammar() {
    return true;
  }

  @Override
  public boolean supportsCoreSQLGrammar() {
    return true;
  }

  @Override
  public boolean supportsExtendedSQLGrammar() {
    return false;
  }

  @Override
  public boolean supportsANSI92EntryLevelSQL() {
    return true;
  }

  @Override
  public boolean supportsANSI92IntermediateSQL() {
    return false;
  }

  @Override
  public boolean supportsANSI92FullSQL() {
    return false;
  }

  @Override
  public boolean supportsIntegrityEnhancementFacility() {
    return false;
  }

  @Override
  public boolean supportsOuterJoins() {
    return true;
  }

  @Override
  public boolean supportsFullOuterJoins() {
    return true;
  }

  @Override
  public boolean supportsLimitedOuterJoins() {
    return true;
  }

  @Override
  public boolean supportsSchemasInDataManipulation() {
    return true;
  }

  @Override
  public boolean supportsSchemasInProcedureCalls() {
    return false;
  }

  @Override
  public boolean supportsSchemasInTableDefinitions() {
    return true;
  }

  @Override
  public boolean supportsSchemasInIndexDefinitions() {
    return false;
  }

  @Override
  public boolean supportsSchemasInPrivilegeDefinitions() {
    return false;
  }

  /** Statements name the branch with USE BRANCH or a connection's catalog, not in a table's name. */
  @Override
  public boolean supportsCatalogsInDataManipulation() {
    return false;
  }

  @Override
  public boolean supportsCatalogsInProcedureCalls() {
    return false;
  }

  @Override
  public boolean supportsCatalogsInTableDefinitions() {
    return false;
  }

  @Override
  public boolean supportsCatalogsInIndexDefinitions() {
    return false;
  }

  @Override
  public boolean supportsCatalogsInPrivilegeDefinitions() {
    return false;
  }

  @Override
  public boolean supportsPositionedDelete() {
    return false;
  }

  @Override
  public boolean supportsPositionedUpdate() {
    return false;
  }

  @Override
  public boolean supportsSelectForUpdate() {
    return false;
  }

  @Override
  public boolean supportsStoredProcedures() {
    return false;
  }

  @Override
  public boolean supportsSubqueriesInComparisons() {
    return true;
  }

  @Override
  public boolean supportsSubqueriesInExists() {
    return true;
  }

  @Override
  public boolean supportsSubqueriesInIns() {
    return true;
  }

  @Override
  public boolean supportsSubqueriesInQuantifieds() {
    return true;
  }

  @Override
  public boolean supportsCorrelatedSubqueries() {
    return true;
  }

  @Override
  public boolean supportsUnion() {
    return true;
  }

  @Override
  public boolean supportsUnionAll() {
    return true;
  }

  @Override
  public boolean supportsOpenCursorsAcrossCommit() {
    return false;
  }

  @Override
  public boolean supportsOpenCursorsAcrossRollback() {
    return false;
  }

  @Override
  public boolean supportsOpenStatementsAcrossCommit() {
    return true;
  }

  @Override
  public boolean supportsOpenStatementsAcrossRollback() {
    return true;
  }

  @Override
  public int getMaxBinaryLiteralLength() {
    return 0;
  }

  @Override
  public int getMaxCharLiteralLength() {
    return 0;
  }

  @Override
  public int getMaxColumnNameLength() {
    return 0;
  }

  @Override
  public int getMaxColumnsInGroupBy() {
    return 0;
  }

  @Override
  public int getMaxColumnsInIndex() {
    return 0;
  }

  @Override
  public int getMaxColumnsInOrderBy() {
    return 0;
  }

  @Override
  public int getMaxColumnsInSelect() {
    return 0;
  }

  @Override
  public int getMaxColumnsInTable() {
    return 0;
  }

  @Override
  public int getMaxConnections() {
    return 0;
  }

  @Override
  public int getMaxCursorNameLength() {
    return 0;
  }

  @Override
  public int getMaxIndexLength() {
    return 0;
  }

  @Override
  public int getMaxSchemaNameLength() {
    return 0;
  }

  @Override
  public int getMaxProcedureNameLength() {
    return 0;
  }

  @Override
  public int getMaxCatalogNameLength() {
    return 0;
  }

  @Override
  public int getMaxRowSize() {
    return 0;
  }

  @Override
  public boolean doesMaxRowSizeIncludeBlobs() {
    return false;
  }

  @Override
  public int getMaxStatementLength() {
    return 0;
  }

  @Override
  public int getMaxStatements() {
    return 0;
  }

  @Override
  public int getMaxTableNameLength() {
    return 0;
  }

  @Override
  public int getMaxTablesInSelect() {
    return 0;
  }

  @Override
  public int getMaxUserNameLength() {
    return 0;
  }

  @Override
  public int getDefaultTransactionIsolation() {
    return Connection.TRANSACTION_SERIALIZABLE;
  }

  @Override
  public boolean supportsTransactions() {
    return true;
  }

  @Override
  public boolean supportsTransactionIsolationLevel(int level) {
    return level == Connection.TRANSACTION_SERIALIZABLE;
  }

  @Override
  public boolean supportsDataDefinitionAndDataManipulationTransactions() {
    return true;
  }

  @Override
  public boolean supportsDataManipulationTransactionsOnly() {
    return false;
  }

  @Override
  public boolean dataDefinitionCausesTransactionCommit() {
    return false;
  }

  @Override
  public boolean dataDefinitionIgnoredInTransactions() {
    return false;
  }

  @Override
  public boolean supportsResultSetType(int type) {
    return type == ResultSet.TYPE_FORWARD_ONLY;
  }

  @Override
  public boolean supportsResultSetConcurrency(int type, int concurrency) {
    return type == ResultSet.TYPE_FORWARD_ONLY && concurrency == ResultSet.CONCUR_READ_ONLY;
  }

  @Override
  public boolean ownUpdatesAreVisible(int type) {
    return false;
  }

  @Override
  public boolean ownDeletesAreVisible(int type) {
    return false;
  }

  @Override
  public boolean ownInsertsAreVisible(int type) {
    return false;
  }

  @Override
  public boolean othersUpdatesAreVisible(int type) {
    return false;
  }

  @Override
  public boolean othersDeletesAreVisible(int type) {
    return false;
  }

  @Override
  public boolean othersInsertsAreVisible(int type) {
    return false;
  }

  @Override
  public boolean updatesAreDetected(int type) {
    return false;
  }

  @Override
  public boolean deletesAreDetected(int type) {
    return false;
  }

  @Override
  public boolean insertsAreDetected(int type) {
    return false;
  }

  @Override
  public boolean supportsBatchUpdates() {
    return true;
  }

  @Override
  public boolean supportsSavepoints() {
    return false;
  }

  @Override
  public boolean supportsNamedParameters() {
    return false;
  }

  @Override
  public boolean supportsMultipleOpenResults() {
    return false;
  }

  @Override
  public boolean supportsGetGeneratedKeys() {
    return false;
  }

  @Override
  public boolean supportsResultSetHoldability(int holdability) {
    return holdability == ResultSet.CLOSE_CURSORS_AT_COMMIT;
  }

  @Override
  public int getResultSetHoldability() {
    return ResultSet.CLOSE_CURSORS_AT_COMMIT;
  }

  @Override
  public int getSQLStateType() {
    return sqlStateSQL;
  }

  @Override
  public boolean locatorsUpdateCopy() {
    return false;
  }

  @Override
  public boolean supportsStatementPooling() {
    return false;
  }

  @Override
  public RowIdLifetime getRowIdLifetime() {
    return RowIdLifetime.ROWID_UNSUPPORTED;
  }

  @Override
  public boolean supportsStoredFunctionsUsingCallSyntax() {
    return false;
  }

  @Override
  public boolean autoCommitFailureClosesAllResultSets() {
    return false;
  }

  @Override
  public boolean generatedKeyAlwaysReturned() {
    return false;
  }
}
