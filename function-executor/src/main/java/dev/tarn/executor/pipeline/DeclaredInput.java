package dev.tarn.executor.pipeline;

import java.util.List;

/**
 * An input as a model declares it: {@code tarn.Model(name, columns, filter)} bound to a function
 * argument, or a table a SQL model reads.
 *
 * @param argument the Python argument name (for SQL models, the name as written in the query)
 * @param name the model or table it names
 * @param columns the columns to read, or null for all
 * @param filter a SQL predicate pushed into the scan, or null
 */
public record DeclaredInput(String argument, String name, List<String> columns, String filter) {
  public DeclaredInput {
    columns = columns == null ? null : List.copyOf(columns);
  }
}
