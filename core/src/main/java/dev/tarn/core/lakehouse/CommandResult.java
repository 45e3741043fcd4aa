package dev.tarn.core.lakehouse;

import java.util.List;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * What a Tarn command returns: a few rows in a fixed schema (SHOW LOG, MERGE...) or nothing.
 * Rows are Object[] cells in the schema's column order.
 */
public record CommandResult(Schema schema, List<Object[]> rows) {

  public static CommandResult none() {
    return new CommandResult(new Schema(List.of()), List.of());
  }

  public boolean returnsRows() {
    return !schema.getFields().isEmpty();
  }
}
