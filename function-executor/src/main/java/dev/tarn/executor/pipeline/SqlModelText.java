package dev.tarn.executor.pipeline;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A SQL model file as the front end read it.
 *
 * @param options the leading {@code -- tarn:} / {@code -- bauplan:} {@code key=value} options, keys lower-cased
 * @param query the statement without trailing semicolons, a {@code ?} for each run parameter it names
 *     ({@code $name}); empty when the file holds none
 * @param parameters the run parameter bound to each {@code ?} of {@code query}, in order
 */
public record SqlModelText(Map<String, String> options, String query, List<String> parameters) {
  public SqlModelText {
    options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    parameters = List.copyOf(parameters);
  }
}
