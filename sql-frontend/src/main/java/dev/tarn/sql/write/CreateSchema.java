package dev.tarn.sql.write;

import java.util.Objects;
import java.util.Optional;

/**
 * {@code CREATE SCHEMA [IF NOT EXISTS] [catalog.]name}.
 *
 * @param name the schema's name, as written (quoted names unquoted)
 * @param catalog the first part of a two-part name ({@code CREATE SCHEMA dev.sales}), if any
 */
public record CreateSchema(String name, boolean ifNotExists, Optional<String> catalog) implements TableWrite {

  public CreateSchema {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(catalog, "catalog");
  }

  public CreateSchema(String name, boolean ifNotExists) {
    this(name, ifNotExists, Optional.empty());
  }
}
