package dev.tarn.executor.pipeline;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads {@code tarn_project.yml} with Jackson's YAML parser into nested mappings of scalars. Any
 * YAML syntax for mappings and scalars is accepted (quotes, escapes, block scalars, flow mappings).
 * Scalars are kept as the text written, never as numbers: {@code python_version: 3.10} stays
 * {@code "3.10"} and a parameter default {@code 0123} stays {@code "0123"}. Sequences, aliases,
 * duplicate keys and more than one document are refused. Errors name the file and the line.
 */
final class ProjectYaml {
  /** An empty value ({@code key:}) is null, as {@code ~} is: the builder does not turn this on by itself. */
  private static final YAMLFactory YAML = YAMLFactory.builder().enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL).build();

  private ProjectYaml() {}

  /**
   * A mapping whose values are Strings (null for an empty value, {@code ~} or {@code null}) or
   * nested mappings of the same kind; empty for a file with nothing but comments.
   *
   * @param source the file's name, for error messages
   */
  static Map<String, Object> parse(String text, String source) {
    try (YAMLParser parser = (YAMLParser) YAML.createParser(text)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        return new LinkedHashMap<>();
      }
      if (first != JsonToken.START_OBJECT) {
        throw error(source, parser.currentTokenLocation(), "the file must be a mapping of keys to values");
      }
      Map<String, Object> root = mapping(parser, source);
      if (parser.nextToken() != null) {
        throw error(source, parser.currentTokenLocation(), "only one YAML document is allowed");
      }
      return root;
    } catch (JsonProcessingException e) {
      throw syntaxError(source, e);
    } catch (IOException e) { // reading a String fails only through the parser's own checks
      throw new PipelinePlanException(source + ": " + e.getMessage(), e);
    }
  }

  /** The mapping whose START_OBJECT the parser is on, read up to its END_OBJECT. */
  private static Map<String, Object> mapping(YAMLParser parser, String source) throws IOException {
    Map<String, Object> map = new LinkedHashMap<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String key = parser.currentName();
      JsonLocation keyAt = parser.currentTokenLocation();
      if (key.isEmpty()) {
        throw error(source, keyAt, "empty key");
      }
      if (map.containsKey(key)) {
        throw error(source, keyAt, "duplicate key '" + key + "'");
      }
      JsonToken value = parser.nextToken();
      if (parser.isCurrentAlias()) {
        throw error(source, parser.currentTokenLocation(), "aliases (*name) are not supported here");
      }
      if (value == JsonToken.START_OBJECT) {
        map.put(key, mapping(parser, source));
      } else if (value == JsonToken.START_ARRAY) {
        throw error(source, parser.currentTokenLocation(), "'" + key + "': only mappings of scalars are supported here");
      } else if (value == JsonToken.VALUE_NULL) {
        map.put(key, null);
      } else {
        map.put(key, parser.getText()); // the scalar as written, whatever YAML type it resolves to
      }
    }
    return map;
  }

  /** The YAML parser's complaint with its line, in the file's terms. */
  private static PipelinePlanException syntaxError(String source, JsonProcessingException e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
        String problem = yaml.getProblem();
        // SnakeYAML's words for two common slips, with what to look for
        if (problem.startsWith("expected <block end>")) { // a key indented less than its siblings
          problem = "inconsistent indentation: " + problem;
        } else if (problem.startsWith("mapping values are not allowed here")) {
          problem = problem + " (a key indented under a key that already has a value, or a ': ' in a value"
              + " that needs quotes)";
        }
        if (yaml.getContext() != null && yaml.getContextMark() != null) {
          problem = problem + " (" + yaml.getContext() + " started on line " + (yaml.getContextMark().getLine() + 1) + ")";
        }
        return new PipelinePlanException(source + " line " + (yaml.getProblemMark().getLine() + 1) + ": " + problem, e);
      }
    }
    return error(source, e.getLocation(), e.getOriginalMessage(), e);
  }

  private static PipelinePlanException error(String source, JsonLocation at, String message) {
    return error(source, at, message, null);
  }

  private static PipelinePlanException error(String source, JsonLocation at, String message, Throwable cause) {
    String where = at != null && at.getLineNr() > 0 ? source + " line " + at.getLineNr() : source;
    return cause == null ? new PipelinePlanException(where + ": " + message)
        : new PipelinePlanException(where + ": " + message, cause);
  }
}
