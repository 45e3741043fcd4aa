package dev.tarn.executor.pipeline;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Finds the tables a SQL model reads: the names after {@code FROM} and {@code JOIN} (and in
 * comma-separated {@code FROM} lists), qualified names kept as {@code schema.name}, in first-use
 * order. Names of common table expressions, table functions ({@code read_parquet(...)}) and
 * subqueries are not inputs; {@code FROM} inside function calls ({@code EXTRACT(YEAR FROM x)}) and
 * {@code IS DISTINCT FROM} are ignored. Comments, string literals and quoted identifiers are honored.
 */
public final class SqlInputScanner {
  private SqlInputScanner() {}

  private static final Set<String> STOP = Set.of(
      "where", "group", "order", "having", "limit", "offset", "union", "except", "intersect",
      "join", "inner", "left", "right", "full", "outer", "cross", "natural", "on", "using", "window",
      "qualify", "select", "from", "as", "lateral", "positional", "asof", "anti", "semi", "pivot",
      "unpivot", "sample", "tablesample", "returning", "fetch", "values", "with");

  private enum Type { WORD, QUOTED, SYMBOL }

  private record Token(Type type, String text) {
    boolean is(String keyword) {
      return type == Type.WORD && text.equalsIgnoreCase(keyword);
    }

    boolean isSymbol(String s) {
      return type == Type.SYMBOL && text.equals(s);
    }

    boolean isName() {
      return type == Type.QUOTED || type == Type.WORD && !STOP.contains(text.toLowerCase(Locale.ROOT));
    }
  }

  /** The input table names of {@code sql}, CTE names excluded, in order of first use. */
  public static List<String> inputs(String sql) {
    List<Token> tokens = tokenize(sql);
    Set<String> cteNames = new HashSet<>();
    LinkedHashSet<String> found = new LinkedHashSet<>();
    // per open parenthesis: whether a SELECT occurred in it (then FROM there starts a table list)
    List<Boolean> queryScope = new ArrayList<>();
    queryScope.add(Boolean.TRUE);
    for (int i = 0; i < tokens.size(); i++) {
      Token t = tokens.get(i);
      if (t.isSymbol("(")) {
        queryScope.add(Boolean.FALSE);
      } else if (t.isSymbol(")")) {
        if (queryScope.size() > 1) {
          queryScope.remove(queryScope.size() - 1);
        }
      } else if (t.is("select")) {
        queryScope.set(queryScope.size() - 1, Boolean.TRUE);
      } else if (t.is("with")) {
        collectCteNames(tokens, i + 1, cteNames);
      } else if ((t.is("from") || t.is("join")) && queryScope.get(queryScope.size() - 1)) {
        if (t.is("from") && i > 0 && tokens.get(i - 1).is("distinct")) {
          continue; // IS [NOT] DISTINCT FROM
        }
        i = tableList(tokens, i + 1, t.is("from"), found) - 1;
      }
    }
    List<String> result = new ArrayList<>();
    for (String name : found) {
      if (!cteNames.contains(name.toLowerCase(Locale.ROOT))) {
        result.add(name);
      }
    }
    return result;
  }

  /** Reads table references from {@code i}; returns the index of the first token not consumed. */
  private static int tableList(List<Token> tokens, int i, boolean commaList, Set<String> found) {
    while (true) {
      while (i < tokens.size() && (tokens.get(i).is("lateral") || tokens.get(i).is("only"))) {
        i++;
      }
      if (i >= tokens.size() || !tokens.get(i).isName()) {
        return i; // a subquery "(" or something else: scanned by the caller
      }
      StringBuilder name = new StringBuilder(tokens.get(i).text());
      i++;
      while (i + 1 < tokens.size() && tokens.get(i).isSymbol(".") && tokens.get(i + 1).isName()) {
        name.append('.').append(tokens.get(i + 1).text());
        i += 2;
      }
      if (i < tokens.size() && tokens.get(i).isSymbol("(")) {
        return i; // a table function
      }
      found.add(name.toString());
      // optional alias, with optional column list
      if (i < tokens.size() && tokens.get(i).is("as")) {
        i++;
      }
      if (i < tokens.size() && tokens.get(i).isName()) {
        i++;
        if (i < tokens.size() && tokens.get(i).isSymbol("(")) {
          int depth = 0;
          do {
            if (tokens.get(i).isSymbol("(")) {
              depth++;
            } else if (tokens.get(i).isSymbol(")")) {
              depth--;
            }
            i++;
          } while (i < tokens.size() && depth > 0);
        }
      }
      if (commaList && i < tokens.size() && tokens.get(i).isSymbol(",")) {
        i++;
        continue;
      }
      return i;
    }
  }

  /** {@code WITH [RECURSIVE] name [(cols)] AS [NOT] [MATERIALIZED] (...) [, ...]}. */
  private static void collectCteNames(List<Token> tokens, int i, Set<String> names) {
    if (i < tokens.size() && tokens.get(i).is("recursive")) {
      i++;
    }
    while (i < tokens.size() && (tokens.get(i).type() == Type.WORD || tokens.get(i).type() == Type.QUOTED)) {
      names.add(tokens.get(i).text().toLowerCase(Locale.ROOT));
      i++;
      i = skipParens(tokens, i); // column list
      if (i < tokens.size() && tokens.get(i).is("as")) {
        i++;
      }
      while (i < tokens.size() && (tokens.get(i).is("not") || tokens.get(i).is("materialized"))) {
        i++;
      }
      i = skipParens(tokens, i); // the body
      if (i < tokens.size() && tokens.get(i).isSymbol(",")) {
        i++;
      } else {
        return;
      }
    }
  }

  private static int skipParens(List<Token> tokens, int i) {
    if (i >= tokens.size() || !tokens.get(i).isSymbol("(")) {
      return i;
    }
    int depth = 0;
    do {
      if (tokens.get(i).isSymbol("(")) {
        depth++;
      } else if (tokens.get(i).isSymbol(")")) {
        depth--;
      }
      i++;
    } while (i < tokens.size() && depth > 0);
    return i;
  }

  private static List<Token> tokenize(String sql) {
    List<Token> tokens = new ArrayList<>();
    int n = sql.length();
    int i = 0;
    while (i < n) {
      char c = sql.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        while (i < n && sql.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int end = sql.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
      } else if (c == '\'') { // string literal, '' escapes
        i++;
        while (i < n) {
          if (sql.charAt(i) == '\'') {
            if (i + 1 < n && sql.charAt(i + 1) == '\'') {
              i += 2;
              continue;
            }
            i++;
            break;
          }
          i++;
        }
      } else if (c == '"') {
        StringBuilder name = new StringBuilder();
        i++;
        while (i < n) {
          if (sql.charAt(i) == '"') {
            if (i + 1 < n && sql.charAt(i + 1) == '"') {
              name.append('"');
              i += 2;
              continue;
            }
            i++;
            break;
          }
          name.append(sql.charAt(i++));
        }
        tokens.add(new Token(Type.QUOTED, name.toString()));
      } else if (Character.isLetter(c) || c == '_') {
        int start = i;
        while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_' || sql.charAt(i) == '$')) {
          i++;
        }
        tokens.add(new Token(Type.WORD, sql.substring(start, i)));
      } else if (Character.isDigit(c)) {
        while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '.')) {
          i++;
        }
      } else {
        tokens.add(new Token(Type.SYMBOL, String.valueOf(c)));
        i++;
      }
    }
    return tokens;
  }
}
