package dev.tarn.core.access;

import dev.tarn.core.TarnException;
import dev.tarn.core.TarnException.Kind;
import java.util.regex.Pattern;

/**
 * A glob over reference names, as grants name them: {@code *} stands for any run of characters,
 * {@code ?} for one, and {@value #USER} for the name of the user asking, so one grant to a role gives
 * each member names of their own ({@code 'agent/{user}/*'}); everything else matches itself,
 * case-sensitively (reference names are). The pattern {@code *} is ALL BRANCHES, which covers tags too.
 */
public record ReferencePattern(String glob) {
  public static final ReferencePattern ALL = new ReferencePattern("*");
  /** Longer patterns are refused before they are compiled or echoed. */
  public static final int MAX_LENGTH = 256;
  /** Stands for the name of the user whose privilege is checked. */
  public static final String USER = "{user}";

  public ReferencePattern {
    if (glob == null || glob.isEmpty()) {
      throw new TarnException(Kind.INVALID_ARGUMENT, "a branch pattern is empty; write one such as 'dev_*',"
          + " or ALL BRANCHES");
    }
    if (glob.length() > MAX_LENGTH) {
      throw new TarnException(Kind.INVALID_ARGUMENT, "a branch pattern is " + glob.length()
          + " characters long; the limit is " + MAX_LENGTH);
    }
    if (glob.codePoints().anyMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT)) {
      throw new TarnException(Kind.INVALID_ARGUMENT, "a branch pattern holds a control or invisible character");
    }
  }

  public boolean isAll() {
    return glob.equals("*");
  }

  /** Whether the pattern, with {@value #USER} standing for {@code user}, matches {@code referenceName}. */
  public boolean matches(String referenceName, String user) {
    return compiled(user).matcher(referenceName).matches();
  }

  /** The pattern as it reads for {@code user}: {@code agent/{user}/*} is {@code agent/bot/*} for bot. */
  public String forUser(String user) {
    return glob.replace(USER, user);
  }

  private Pattern compiled(String user) {
    StringBuilder regex = new StringBuilder();
    StringBuilder literal = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (glob.startsWith(USER, i)) {
        // the user's name is a literal: a name holding * or ? widens nothing
        literal.append(user);
        i += USER.length() - 1;
      } else if (c == '*' || c == '?') {
        if (!literal.isEmpty()) {
          regex.append(Pattern.quote(literal.toString()));
          literal.setLength(0);
        }
        regex.append(c == '*' ? ".*" : ".");
      } else {
        literal.append(c);
      }
    }
    if (!literal.isEmpty()) {
      regex.append(Pattern.quote(literal.toString()));
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL);
  }

  /** As SQL writes it: {@code BRANCH 'dev_*'} or {@code ALL BRANCHES}. */
  public String describe() {
    return isAll() ? "ALL BRANCHES" : "BRANCH '" + glob + "'";
  }
}
