package dev.tarn.core.access;

import dev.tarn.core.TarnException;
import dev.tarn.core.TarnException.Kind;
import java.util.regex.Pattern;

/**
 * A glob over reference names, as grants name them: {@code *} stands for any run of characters,
 * {@code ?} for one; everything else matches itself, case-sensitively (reference names are). The
 * pattern {@code *} is ALL BRANCHES, which covers tags too.
 */
public record ReferencePattern(String glob) {
  public static final ReferencePattern ALL = new ReferencePattern("*");
  /** Longer patterns are refused before they are compiled or echoed. */
  public static final int MAX_LENGTH = 256;

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

  public boolean matches(String referenceName) {
    return compiled().matcher(referenceName).matches();
  }

  private Pattern compiled() {
    StringBuilder regex = new StringBuilder();
    StringBuilder literal = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*' || c == '?') {
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
