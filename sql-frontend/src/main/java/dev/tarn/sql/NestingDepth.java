package dev.tarn.sql;

import dev.tarn.sql.SqlScanner.Token;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * How deeply a statement nests, measured on its tokens (so quotes and comments never count), the
 * way parsers recurse on it:
 * <ul>
 *   <li>each open parenthesis, bracket or brace is one level: subqueries, parenthesized expressions,
 *       function calls, lists ({@code [1, [2]]}) and structs ({@code {'a': 1}});
 *   <li>each {@code CASE} up to its {@code END} is one level;
 *   <li>each {@code UNION}, {@code INTERSECT} or {@code EXCEPT} is one more level within its
 *       parentheses: parsers build a chain of n set operations as a tree n levels deep.
 * </ul>
 * A flat statement has depth 0; {@code SELECT * FROM (SELECT 1)} has depth 1. Long flat lists
 * ({@code IN (1, 2, ...)}, {@code a + b + ...}, {@code x AND y AND ...}) do not nest; the size
 * limit bounds them. Closers without an opener are ignored: the parser reports them.
 */
final class NestingDepth {
  private NestingDepth() {}

  private enum Opener { PARENTHESIS, BRACKET, BRACE, CASE }

  /** One open level and the set operations chained inside it so far. */
  private static final class Level {
    final Opener opener;
    int setOperations;

    Level(Opener opener) {
      this.opener = opener;
    }
  }

  /**
   * The statement's depth, or the first depth found above {@code limit} (counting stops there: the
   * text is refused either way).
   */
  static int of(List<Token> tokens, int limit) {
    Deque<Level> open = new ArrayDeque<>();
    int statementSetOperations = 0;
    int depth = 0; // open.size() + every open level's set operations + statementSetOperations
    int deepest = 0;
    for (Token token : tokens) {
      Opener opener = opener(token);
      if (opener != null) {
        open.push(new Level(opener));
        depth++;
      } else if (token.isSymbol(')')) {
        depth -= closeThrough(open, Opener.PARENTHESIS);
      } else if (token.isSymbol(']')) {
        depth -= closeThrough(open, Opener.BRACKET);
      } else if (token.isSymbol('}')) {
        depth -= closeThrough(open, Opener.BRACE);
      } else if (token.isWord("END")) {
        depth -= closeThrough(open, Opener.CASE);
      } else if (token.isWord("UNION") || token.isWord("INTERSECT") || token.isWord("EXCEPT")) {
        if (open.isEmpty()) {
          statementSetOperations++;
        } else {
          open.peek().setOperations++;
        }
        depth++;
      } else if (token.isSymbol(';') && open.isEmpty()) {
        depth -= statementSetOperations; // the next statement of a script starts flat
        statementSetOperations = 0;
      }
      deepest = Math.max(deepest, depth);
      if (deepest > limit) {
        return deepest;
      }
    }
    return deepest;
  }

  private static Opener opener(Token token) {
    if (token.isSymbol('(')) {
      return Opener.PARENTHESIS;
    }
    if (token.isSymbol('[')) {
      return Opener.BRACKET;
    }
    if (token.isSymbol('{')) {
      return Opener.BRACE;
    }
    return token.isWord("CASE") ? Opener.CASE : null;
  }

  /**
   * Closes the innermost level opened by {@code opener} and every level inside it; returns the
   * depth they added, or 0 (closing nothing) when no such level is open.
   */
  private static int closeThrough(Deque<Level> open, Opener opener) {
    if (open.stream().noneMatch(level -> level.opener == opener)) {
      return 0;
    }
    int closed = 0;
    Level level;
    do {
      level = open.pop();
      closed += 1 + level.setOperations;
    } while (level.opener != opener);
    return closed;
  }
}
