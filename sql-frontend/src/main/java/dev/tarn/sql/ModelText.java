package dev.tarn.sql;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A SQL model file as Tarn reads it: options from a first-line {@code -- tarn: key=value, ...}
 * comment, and the query without its trailing semicolons.
 *
 * @param options the header's options, keys lower-cased, in order; empty without a header
 * @param query the statement; empty when the file holds only comments and semicolons
 */
public record ModelText(Map<String, String> options, String query) {
  private static final Pattern HEADER = Pattern.compile("^\\s*--\\s*tarn\\s*:(.*)$", Pattern.CASE_INSENSITIVE);
  private static final Pattern OPTION = Pattern.compile("\\s*([A-Za-z_]+)\\s*=\\s*([^,\\s]+)\\s*");

  public ModelText {
    options = Map.copyOf(options);
  }

  /**
   * Reads a model file's text.
   *
   * @throws IllegalArgumentException naming the option when the header holds one that is not {@code key=value}
   */
  public static ModelText read(String fileText) {
    String text = fileText.strip();
    Map<String, String> options = new LinkedHashMap<>();
    String firstLine = text.lines().findFirst().orElse("");
    Matcher header = HEADER.matcher(firstLine);
    if (header.matches()) {
      for (String option : header.group(1).split(",")) {
        if (option.isBlank()) {
          continue;
        }
        Matcher kv = OPTION.matcher(option);
        if (!kv.matches()) {
          throw new IllegalArgumentException("cannot read option '" + option.strip() + "' in '" + firstLine + "'");
        }
        options.put(kv.group(1).toLowerCase(Locale.ROOT), kv.group(2));
      }
    }
    List<SqlScanner.Token> tokens = SqlScanner.tokens(text);
    int end = tokens.size();
    while (end > 0 && tokens.get(end - 1).isSymbol(';')) {
      end--;
    }
    return new ModelText(options, end == 0 ? "" : text.substring(0, tokens.get(end - 1).end()));
  }

  public boolean hasQuery() {
    return !query.isEmpty();
  }
}
