package dev.tarn.executor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tarn.executor.EngineReading.Show;
import dev.tarn.executor.EngineReading.TableFunctionCall;
import dev.tarn.executor.EngineReading.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Asks DuckDB's parser how it reads a text, through {@code json_serialize_sql}: the text travels as
 * a bound string parameter, so it is parsed and never run. The serialized parse tree is walked for
 * the tables, table functions and SHOWs it names.
 */
final class EngineReader {
  private static final ObjectMapper JSON = new ObjectMapper();

  static {
    // Parse trees of deeply nested statements are deep: the statement limits bound them, not Jackson.
    JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(100_000).build());
  }

  private EngineReader() {}

  /** The call that reads a text: {@link #read(PreparedStatement, String)} takes it prepared. */
  static final String CALL = "SELECT json_serialize_sql(?::VARCHAR)";

  static EngineReading read(Connection connection, String sql) throws SQLException {
    try (PreparedStatement call = connection.prepareStatement(CALL)) {
      return read(call, sql);
    }
  }

  /** Reads {@code sql} with {@code call}, {@link #CALL} prepared on a connection no one else is using. */
  static EngineReading read(PreparedStatement call, String sql) throws SQLException {
    String serialized;
    call.setString(1, sql);
    try (ResultSet rs = call.executeQuery()) {
      rs.next();
      serialized = rs.getString(1);
    }
    JsonNode root;
    try {
      root = JSON.readTree(serialized);
    } catch (JsonProcessingException e) {
      throw new SQLException("DuckDB's reading of the statement could not be parsed: " + e.getOriginalMessage(), e);
    }
    if (root.path("error").asBoolean(true)) {
      String type = root.path("error_type").asText("");
      String message = root.path("error_message").asText("the statement could not be read");
      if (type.equals("not implemented")) {
        message = EngineReading.NOT_ONLY_QUERIES;
      } else if (type.equals("parser") && root.path("position").asInt(-1) >= 0) {
        // the position is DuckDB's offset into the text's UTF-8 bytes, serialized as a string
        message = "Syntax error at " + lineAndColumn(sql, charOffset(sql, root.path("position").asInt())) + ": "
            + message;
      }
      return new EngineReading(0, Optional.of(message), List.of(), List.of(), List.of(), Set.of(), Optional.empty());
    }
    JsonNode statements = root.path("statements");
    List<TableName> tables = new ArrayList<>();
    List<TableFunctionCall> functions = new ArrayList<>();
    List<Show> shows = new ArrayList<>();
    Set<String> called = new HashSet<>();
    // Iterative walk: a recursive one would put the parse tree's depth on this thread's stack.
    Deque<JsonNode> pending = new ArrayDeque<>();
    pending.push(statements);
    while (!pending.isEmpty()) {
      JsonNode node = pending.pop();
      if (node.isObject()) {
        switch (node.path("type").asText("")) {
          case "BASE_TABLE" -> tables.add(new TableName(node.path("catalog_name").asText(""),
              node.path("schema_name").asText(""), node.path("table_name").asText(""),
              !node.path("at_clause").isNull() && !node.path("at_clause").isMissingNode()));
          case "TABLE_FUNCTION" -> functions.add(new TableFunctionCall(
              node.path("function").path("function_name").asText(""), stringConstants(node.path("function"))));
          case "SHOW_REF" -> shows.add(new Show(node.path("show_type").asText(""), node.path("catalog_name").asText(""),
              node.path("schema_name").asText(""), node.path("table_name").asText("")));
          default -> { }
        }
        if (node.path("class").asText("").equals("FUNCTION")) {
          called.add(node.path("function_name").asText("").toLowerCase(Locale.ROOT));
        }
      }
      node.elements().forEachRemaining(pending::push);
    }
    return new EngineReading(statements.size(), Optional.empty(), tables, functions, shows, called,
        rowCountColumn(statements));
  }

  /** The fields of a SELECT node, of a call and of a table reference, as DuckDB 2.0 serializes them. */
  private static final Set<String> SELECT_FIELDS = Set.of("type", "modifiers", "cte_map", "select_list",
      "from_table", "where_clause", "group_expressions", "group_sets", "aggregate_handling", "having", "sample",
      "qualify");
  private static final Set<String> CALL_FIELDS = Set.of("class", "type", "alias", "query_location",
      "query_location_length", "function_name", "schema", "filter", "order_bys", "distinct", "is_operator",
      "export_state", "catalog", "arguments", "qualified_name");
  private static final Set<String> TABLE_FIELDS = Set.of("type", "alias", "sample", "query_location",
      "query_location_length", "schema_name", "table_name", "column_name_alias", "catalog_name", "at_clause",
      "qualified_name");

  /**
   * The column name of a text that is exactly {@code SELECT count(*) FROM} one table, as DuckDB
   * names it; empty for anything else. Strict on purpose: a field this does not know (a clause a
   * later DuckDB adds) makes it empty, so the answer can only be wrong by being left to DuckDB.
   */
  static Optional<String> rowCountColumn(JsonNode statements) {
    if (statements.size() != 1 || !statements.get(0).path("named_param_map").isEmpty()) {
      return Optional.empty();
    }
    JsonNode select = statements.get(0).path("node");
    JsonNode list = select.path("select_list");
    JsonNode from = select.path("from_table");
    if (!select.path("type").asText("").equals("SELECT_NODE") || !fieldsWithin(select, SELECT_FIELDS)
        || !select.path("modifiers").isEmpty() || !select.path("cte_map").path("map").isEmpty()
        || !select.path("where_clause").isNull() || !select.path("group_expressions").isEmpty()
        || !select.path("group_sets").isEmpty() || !select.path("having").isNull() || !select.path("sample").isNull()
        || !select.path("qualify").isNull()
        || !select.path("aggregate_handling").asText("").equals("STANDARD_HANDLING")
        || !list.isArray() || list.size() != 1) {
      return Optional.empty();
    }
    JsonNode count = list.get(0);
    boolean countStar = count.path("class").asText("").equals("FUNCTION") && fieldsWithin(count, CALL_FIELDS)
        && count.path("function_name").asText("").equals("count_star")
        && count.path("schema").asText("x").isEmpty() && count.path("catalog").asText("x").isEmpty()
        && count.path("filter").isNull() && count.path("order_bys").path("orders").isEmpty()
        && count.path("arguments").isEmpty() && !count.path("distinct").asBoolean(true)
        && !count.path("is_operator").asBoolean(true) && !count.path("export_state").asBoolean(true);
    boolean oneTable = from.path("type").asText("").equals("BASE_TABLE") && fieldsWithin(from, TABLE_FIELDS)
        && from.path("sample").isNull() && from.path("at_clause").isNull()
        // column aliases DuckDB checks against the table's columns: more than it has is an error
        && from.path("column_name_alias").isEmpty();
    if (!countStar || !oneTable) {
      return Optional.empty();
    }
    String alias = count.path("alias").asText("");
    return Optional.of(alias.isEmpty() ? "count_star()" : alias);
  }

  private static boolean fieldsWithin(JsonNode node, Set<String> known) {
    if (!node.isObject()) {
      return false;
    }
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      if (!known.contains(names.next())) {
        return false;
      }
    }
    return true;
  }

  /** The offset in {@code sql}'s characters of an offset in its UTF-8 bytes. */
  static int charOffset(String sql, int byteOffset) {
    int bytes = 0;
    int i = 0;
    while (i < sql.length() && bytes < byteOffset) {
      int codePoint = sql.codePointAt(i);
      bytes += codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
      i += Character.charCount(codePoint);
    }
    return i;
  }

  /** "line L, column C" of a character offset. */
  private static String lineAndColumn(String sql, int offset) {
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < Math.min(offset, sql.length()); i++) {
      if (sql.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    return "line " + line + ", column " + (offset - lineStart + 1);
  }

  /** The string constants of a function's first argument, a list's elements included (a scan's files). */
  private static List<String> stringConstants(JsonNode function) {
    List<String> values = new ArrayList<>();
    Deque<JsonNode> pending = new ArrayDeque<>();
    pending.push(function.path("arguments").path(0));
    while (!pending.isEmpty()) {
      JsonNode node = pending.pop();
      String kind = node.path("class").asText("");
      if (node.isObject() && kind.equals("FUNCTION") && !node.path("function_name").asText("").equals("list_value")) {
        // computed, not written out: what it reads cannot be known from the text, so none of it counts
        return List.of();
      }
      if (node.isObject() && kind.equals("CONSTANT")) {
        JsonNode literal = node.path("literal");
        if (literal.path("kind").asText("").equals("STRING")) {
          values.add(literal.path("text").asText(""));
        }
      }
      List<JsonNode> children = new ArrayList<>();
      node.elements().forEachRemaining(children::add);
      for (int i = children.size() - 1; i >= 0; i--) {
        pending.push(children.get(i)); // keep argument order
      }
    }
    return values;
  }
}
