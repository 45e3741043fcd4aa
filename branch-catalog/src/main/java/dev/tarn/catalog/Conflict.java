package dev.tarn.catalog;

import java.util.Objects;

/**
 * Why one object could not be merged or committed.
 *
 * @param table dotted name of the conflicting table (or namespace), such as {@code
 *     sales.transactions}
 * @param kind what kind of conflict
 * @param message a sentence for users
 */
public record Conflict(String table, Kind kind, String message) {
  public Conflict {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(message, "message");
  }

  public enum Kind {
    /** Both sides changed the object since their common ancestor. */
    CHANGED_ON_BOTH_SIDES,
    /** The object was created concurrently / already exists. */
    ALREADY_EXISTS,
    /** The object was dropped concurrently / does not exist. */
    DOES_NOT_EXIST,
    /** A namespace is missing or not empty, or a name clashes with another kind of object. */
    NAMESPACE,
    /** Anything else the catalog reports. */
    OTHER
  }
}
