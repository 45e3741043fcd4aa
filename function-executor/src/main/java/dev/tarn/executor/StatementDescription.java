package dev.tarn.executor;

import org.apache.arrow.vector.types.pojo.Schema;

/**
 * What a statement will do before it runs: whether it returns rows, the exact Arrow schema of those
 * rows, and the schema of its {@code ?} parameters (a field per parameter, in order).
 */
public record StatementDescription(boolean returnsRows, Schema resultSchema, Schema parameterSchema) {

  public int parameterCount() {
    return parameterSchema.getFields().size();
  }
}
