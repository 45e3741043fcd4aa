package dev.tarn.sql;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A SQL model file as Tarn reads it: options from its leading {@code -- tarn: key=value, ...} (or
 * Bauplan's {@code -- bauplan: key=value}) comment lines, and the query without its trailing
 * semicolons, its run parameters ({@code $name}, as Bauplan's SQL models write them) turned into
 * {@code ?} placeholders so that their values are bound, never written into the SQL.
 *
 * @param options the header's options, keys lower-cased, in order; empty without a header
 * @param query the statement with a {@code ?} for each {@code $name}; empty when the file holds only
 *     comments and semicolons
 * @param parameters the parameter name of each {@code ?} of {@code query}, in order
 */
public record ModelText(Map<String, String> options, String query, List<String> parameters) {
  private static final Pattern HEADER = Pattern.compile("^\\s*--\\s*(?:tarn|bauplan)\\s*:(.*)$", Pattern.CASE_INSENSITIVE);
  private static final Pattern OPTION = Pattern.compile("\\s*([A-Za-z_]+)\\s*=\\s*([^,\\s]+)\\s*");

  public ModelText {
    options = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(options));
    parameters = List.copyOf(parameters);
  }

  /**
   * Reads a model file's text.
   *
   * @throws IllegalArgumentException naming the option when the header holds one that is not {@code
   *     key=value}, or naming a positional parameter ({@code ?}, {@code $1}), which a model cannot be given
   */
  public static ModelText read(String fileText) {
    String text = fileText.strip();
    Map<String, String> options = new LinkedHashMap<>();
    for (String line : (Iterable<String>) text.lines()::iterator) {
      if (line.isBlank()) {
        continue;
      }
      if (!line.strip().startsWith("--")) {
        break; // the header is the leading comment lines
      }
      Matcher header = HEADER.matcher(line);
      if (header.matches()) {
        readOptions(header.group(1), line, options);
      }
    }
    List<SqlScanner.Token> tokens = SqlScanner.tokens(text);
    int end = tokens.size();
    while (end > 0 && tokens.get(end - 1).isSymbol(';')) {
      end--;
    }
    if (end == 0) {
      return new ModelText(options, "", List.of());
    }
    StringBuilder query = new StringBuilder();
    List<String> parameters = new ArrayList<>();
    int copied = 0;
    for (int i = 0; i < end; i++) {
      SqlScanner.Token token = tokens.get(i);
      if (token.isSymbol('?')) {
        throw new IllegalArgumentException("a SQL model cannot take positional parameters (? at offset " + token.start()
            + "): name the run parameter, as in $min_usd");
      }
      if (!token.isSymbol('$')) {
        continue;
      }
      SqlScanner.Token next = i + 1 < end ? tokens.get(i + 1) : null;
      if (next == null || next.start() != token.end() || next.kind() != SqlScanner.Kind.WORD) {
        throw new IllegalArgumentException("'$' at offset " + token.start() + " must start a run parameter's name,"
            + " as in $min_usd");
      }
      if (next.text().indexOf('$') >= 0) {
        throw new IllegalArgumentException("'$" + next.text() + "' is not a run parameter name (letters, digits, _)");
      }
      query.append(text, copied, token.start()).append('?');
      parameters.add(next.text());
      copied = next.end();
      i++;
    }
    query.append(text, copied, tokens.get(end - 1).end());
    return new ModelText(options, query.toString(), parameters);
  }

  private static void readOptions(String list, String line, Map<String, String> options) {
    for (String option : list.split(",")) {
      if (option.isBlank()) {
        continue;
      }
      Matcher kv = OPTION.matcher(option);
      if (!kv.matches()) {
        throw new IllegalArgumentException("cannot read option '" + option.strip() + "' in '" + line.strip() + "'");
      }
      String key = kv.group(1).toLowerCase(Locale.ROOT);
      if (options.containsKey(key)) {
        throw new IllegalArgumentException("option '" + key + "' is given twice in the model's header");
      }
      options.put(key, kv.group(2));
    }
  }

  public boolean hasQuery() {
    return !query.isEmpty();
  }
}
