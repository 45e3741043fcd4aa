package dev.tarn.sql.write;

import java.util.Objects;
import java.util.Optional;

/**
 * {@code DROP SCHEMA [IF EXISTS] [catalog.]name [CASCADE | RESTRICT]}.
 *
 * @param name the schema's name, as written (quoted names unquoted)
 * @param cascade true with CASCADE (drop the schema's tables too)
 * @param catalog the first part of a two-part name, if any
 */
public record DropSchema(String name, boolean ifExists, boolean cascade, Optional<String> catalog)
    implements TableWrite {

  public DropSchema {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(catalog, "catalog");
  }

  public DropSchema(String name, boolean ifExists, boolean cascade) {
    this(name, ifExists, cascade, Optional.empty());
  }
}
