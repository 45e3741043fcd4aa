package dev.tarn.executor.pipeline;

import java.util.List;
import org.apache.iceberg.types.Types;

/**
 * A scan step's rows as a Python model receives them with the scan cache on: whole data files from
 * the cache (each holding at least the scan's columns, named by field id) plus a relation of the
 * run database with the rows of the other files the filter keeps.
 *
 * @param cached the cache's files of the data files every row of which the filter keeps
 * @param columns the scan's columns, in the order the model receives them, under their current names
 * @param rest the relation with the other files' rows (the scan's columns), null when there are none
 */
record ScanHandOff(List<ScanCache.CachedFile> cached, List<Types.NestedField> columns, String rest) {
  ScanHandOff {
    cached = List.copyOf(cached);
    columns = List.copyOf(columns);
  }

  /** The columns' names inside a cached file, in {@link #columns}' order. */
  List<String> cachedNames() {
    return columns.stream().map(f -> ScanCache.COLUMN_PREFIX + f.fieldId()).toList();
  }

  /** The columns' current names. */
  List<String> names() {
    return columns.stream().map(Types.NestedField::name).toList();
  }
}
