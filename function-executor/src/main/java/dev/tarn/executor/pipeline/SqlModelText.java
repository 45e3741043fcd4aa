package dev.tarn.executor.pipeline;

import java.util.Map;

/**
 * A SQL model file as the front end read it.
 *
 * @param options the first-line {@code -- tarn: key=value, ...} options, keys lower-cased
 * @param query the statement without trailing semicolons; empty when the file holds none
 */
public record SqlModelText(Map<String, String> options, String query) {
  public SqlModelText {
    options = Map.copyOf(options);
  }
}
