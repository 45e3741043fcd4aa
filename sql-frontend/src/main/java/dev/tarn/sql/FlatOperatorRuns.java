package dev.tarn.sql;

import dev.tarn.sql.SqlScanner.Kind;
import dev.tarn.sql.SqlScanner.Token;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;

/**
 * Whether a statement's flat expressions are short enough for Calcite's grammars. Calcite parses an
 * expression into a flat list of operands and operators and then builds its tree with
 * {@code PrecedenceClimbingParser}, which rescans the whole list for every operator it reduces: time
 * quadratic in the operators of one flat expression ({@code 1+1+...} with 170,000 terms took about
 * two minutes), and a tree as deep as the list, which overflows the stack of whatever walks it.
 * A statement with a longer run than {@link #MAX_FOR_CALCITE} skips Calcite's grammars; it is
 * classified by its leading keywords and DuckDB, which flattens such chains, judges it.
 *
 * <p>A run counts operator tokens at one level of parentheses, from the last comma or clause
 * keyword: {@code a = 1 OR a = 2 OR ...} counts each {@code =} and {@code OR}.
 */
final class FlatOperatorRuns {
  /** At most this many operators in one flat expression: milliseconds for Calcite, and rare in real SQL. */
  static final int MAX_FOR_CALCITE = 256;

  private static final Set<String> OPERATOR_WORDS = Set.of("AND", "OR", "LIKE", "ILIKE", "IS", "IN", "BETWEEN",
      "SIMILAR", "GLOB", "COLLATE");
  private static final Set<Character> OPERATOR_SYMBOLS = Set.of('+', '-', '*', '/', '%', '|', '=', '<', '>', '^',
      '&', '!', '~', ':');
  /** Words that start another expression in the same parentheses (a clause, a CASE branch, a join). */
  private static final Set<String> EXPRESSION_BOUNDARIES = Set.of("SELECT", "FROM", "WHERE", "GROUP", "HAVING",
      "QUALIFY", "ORDER", "LIMIT", "OFFSET", "WINDOW", "ON", "USING", "JOIN", "WHEN", "THEN", "ELSE", "END",
      "CASE", "UNION", "INTERSECT", "EXCEPT", "SET", "VALUES", "RETURNING", "AS", "BY", "PARTITION");

  private FlatOperatorRuns() {}

  /** Whether no flat expression has more than {@link #MAX_FOR_CALCITE} operators. */
  static boolean fitCalcite(List<Token> tokens) {
    return longest(tokens) <= MAX_FOR_CALCITE;
  }

  static int longest(List<Token> tokens) {
    Deque<int[]> runs = new ArrayDeque<>(); // one counter per open parenthesis or bracket, innermost first
    runs.push(new int[1]);
    int longest = 0;
    for (Token token : tokens) {
      if (token.isSymbol('(') || token.isSymbol('[')) {
        runs.push(new int[1]);
      } else if (token.isSymbol(')') || token.isSymbol(']')) {
        if (runs.size() > 1) {
          runs.pop();
        }
      } else if (token.isSymbol(',') || token.isSymbol(';')) {
        runs.peek()[0] = 0;
      } else if (token.kind() == Kind.WORD && EXPRESSION_BOUNDARIES.contains(token.upper())) {
        runs.peek()[0] = 0;
      } else if (isOperator(token)) {
        longest = Math.max(longest, ++runs.peek()[0]);
      }
    }
    return longest;
  }

  private static boolean isOperator(Token token) {
    if (token.kind() == Kind.SYMBOL) {
      return OPERATOR_SYMBOLS.contains(token.text().charAt(0));
    }
    return token.kind() == Kind.WORD && OPERATOR_WORDS.contains(token.upper());
  }
}
