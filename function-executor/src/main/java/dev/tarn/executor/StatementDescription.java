package dev.tarn.executor;

import java.util.List;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * What a statement will do before it runs: whether it returns rows, the exact Arrow schema of those
 * rows, and the schema of its {@code ?} parameters (a field per parameter, in order).
 *
 * <p>The result schema is null only in a description made by {@link #rowsAnnounceTheirSchema}: a
 * query that was checked but whose rows DuckDB did not describe, because they will be read right
 * away and their first message carries their schema.
 */
public record StatementDescription(boolean returnsRows, Schema resultSchema, Schema parameterSchema) {
  private static final Schema NO_PARAMETERS = new Schema(List.of());

  /**
   * A query without parameters, checked but not described: describing it binds its plan (and so
   * reads every Parquet file's footer it scans) once more before it runs.
   */
  public static StatementDescription rowsAnnounceTheirSchema() {
    return new StatementDescription(true, null, NO_PARAMETERS);
  }

  public int parameterCount() {
    return parameterSchema.getFields().size();
  }
}
