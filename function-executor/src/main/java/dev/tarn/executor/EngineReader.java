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
      return new EngineReading(0, Optional.of(message), List.of(), List.of(), List.of(), Set.of());
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
    return new EngineReading(statements.size(), Optional.empty(), tables, functions, shows, called);
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
