package dev.tarn.catalog;

import java.util.Objects;

/**
 * A table's name inside a reference: namespace (a SQL schema, such as {@code public} or {@code
 * sales}) and table name. Names are case-sensitive as stored; SQL front ends fold them first.
 */
public record TableId(String namespace, String name) implements Comparable<TableId> {
  public TableId {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    if (namespace.isEmpty() || name.isEmpty()) {
      throw new IllegalArgumentException("namespace and table name must not be empty");
    }
  }

  public static TableId of(String namespace, String name) {
    return new TableId(namespace, name);
  }

  /** Parses {@code ns.table}; a bare {@code table} lands in {@code public}. */
  public static TableId parse(String dotted) {
    int dot = dotted.lastIndexOf('.');
    return dot < 0
        ? new TableId(BranchCatalog.DEFAULT_NAMESPACE, dotted)
        : new TableId(dotted.substring(0, dot), dotted.substring(dot + 1));
  }

  @Override
  public int compareTo(TableId o) {
    int c = namespace.compareTo(o.namespace);
    return c != 0 ? c : name.compareTo(o.name);
  }

  @Override
  public String toString() {
    return namespace + "." + name;
  }
}
