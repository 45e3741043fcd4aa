package dev.tarn.executor.pipeline;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The YAML subset of {@code tarn_project.yml}: nested mappings by indentation, scalar values (plain,
 * single- or double-quoted), {@code #} comments and blank lines. Sequences, anchors, flow
 * collections and multi-line scalars are rejected with the line number.
 */
final class SimpleYaml {
  private SimpleYaml() {}

  /** A mapping whose values are Strings (null for an empty value) or nested mappings. */
  static Map<String, Object> parse(String text, String source) {
    Map<String, Object> root = new LinkedHashMap<>();
    Deque<Map<String, Object>> maps = new ArrayDeque<>();
    Deque<Integer> indents = new ArrayDeque<>();
    maps.push(root);
    indents.push(-1);
    String pendingKey = null; // a key with an empty value that may open a nested mapping
    int pendingIndent = -1;
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      int lineNo = i + 1;
      String line = stripComment(lines[i], source, lineNo);
      if (line.isBlank() || line.strip().equals("---")) {
        continue;
      }
      if (line.contains("\t")) {
        throw error(source, lineNo, "tabs are not allowed for indentation");
      }
      int indent = 0;
      while (line.charAt(indent) == ' ') {
        indent++;
      }
      String content = line.substring(indent).strip();
      if (content.startsWith("- ") || content.equals("-") || content.startsWith("[") || content.startsWith("{")
          || content.startsWith("&") || content.startsWith("*")) {
        throw error(source, lineNo, "only mappings of scalars are supported here");
      }
      if (pendingKey != null) {
        Map<String, Object> parent = maps.peek();
        if (indent > pendingIndent) {
          Map<String, Object> child = new LinkedHashMap<>();
          parent.put(pendingKey, child);
          maps.push(child);
          indents.push(indent);
        } else {
          parent.put(pendingKey, null);
        }
        pendingKey = null;
      }
      while (indent < indents.peek()) {
        maps.pop();
        indents.pop();
      }
      if (indent != indents.peek() && indents.peek() != -1) {
        throw error(source, lineNo, "inconsistent indentation");
      }
      if (indents.peek() == -1) { // first key of the root fixes its indentation
        indents.pop();
        indents.push(indent);
      }
      int colon = keyEnd(content);
      if (colon < 0) {
        throw error(source, lineNo, "expected 'key: value'");
      }
      String key = unquote(content.substring(0, colon).strip(), source, lineNo);
      String value = content.substring(colon + 1).strip();
      if (key.isEmpty()) {
        throw error(source, lineNo, "empty key");
      }
      if (maps.peek().containsKey(key)) {
        throw error(source, lineNo, "duplicate key '" + key + "'");
      }
      if (value.isEmpty()) {
        pendingKey = key;
        pendingIndent = indent;
        maps.peek().put(key, null);
      } else {
        if (value.startsWith("[") || value.startsWith("{") || value.startsWith("|") || value.startsWith(">")
            || value.startsWith("&") || value.startsWith("*")) {
          throw error(source, lineNo, "only scalar values are supported here");
        }
        maps.peek().put(key, unquote(value, source, lineNo));
      }
    }
    return root;
  }

  private static int keyEnd(String content) {
    char quote = 0;
    for (int i = 0; i < content.length(); i++) {
      char c = content.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == ':' && (i + 1 == content.length() || content.charAt(i + 1) == ' ')) {
        return i;
      }
    }
    return -1;
  }

  private static String stripComment(String line, String source, int lineNo) {
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '#' && (i == 0 || line.charAt(i - 1) == ' ')) {
        return line.substring(0, i);
      }
    }
    return line;
  }

  private static String unquote(String value, String source, int lineNo) {
    if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
        || value.startsWith("'") && value.endsWith("'"))) {
      String inner = value.substring(1, value.length() - 1);
      return value.startsWith("'") ? inner.replace("''", "'")
          : inner.replace("\\\"", "\"").replace("\\\\", "\\");
    }
    if (value.startsWith("\"") || value.startsWith("'")) {
      throw error(source, lineNo, "unterminated quoted value");
    }
    return value.equals("~") || value.equals("null") ? null : value;
  }

  private static PipelinePlanException error(String source, int line, String message) {
    return new PipelinePlanException(source + " line " + line + ": " + message);
  }
}
