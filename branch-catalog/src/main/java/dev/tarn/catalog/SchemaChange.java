package dev.tarn.catalog;

import java.util.Objects;
import org.apache.iceberg.types.Type;

/** One change to a table's schema ({@code ALTER TABLE}); columns are named by dotted paths. */
public sealed interface SchemaChange {

  /** Adds an optional column at the end (nested with a dotted parent path). */
  record AddColumn(String name, Type type, String doc) implements SchemaChange {
    public AddColumn {
      Identifiers.require(Identifiers.Kind.COLUMN, name);
      Objects.requireNonNull(type, "type");
    }
  }

  record DropColumn(String name) implements SchemaChange {
    public DropColumn {
      Objects.requireNonNull(name, "name");
    }
  }

  record RenameColumn(String name, String newName) implements SchemaChange {
    public RenameColumn {
      Objects.requireNonNull(name, "name");
      Identifiers.require(Identifiers.Kind.COLUMN, newName);
    }
  }

  /** Widens a primitive column's type (int to long, float to double, decimal precision). */
  record WidenColumn(String name, Type.PrimitiveType newType) implements SchemaChange {
    public WidenColumn {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(newType, "newType");
    }
  }
}
