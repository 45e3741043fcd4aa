package dev.tarn.catalog;

import java.time.Instant;
import java.util.Objects;

/**
 * A named reference and the commit it points at.
 *
 * @param name the reference's name, such as {@code main} or {@code v1}
 * @param type branch or tag
 * @param hash the full commit hash the reference points at
 * @param committedAt when the commit it points at was made; {@code null} for the empty
 *     beginning of history or when not fetched
 */
public record Reference(String name, ReferenceType type, String hash, Instant committedAt) {
  public Reference {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(hash, "hash");
  }

  public Reference(String name, ReferenceType type, String hash) {
    this(name, type, hash, null);
  }

  public boolean isBranch() {
    return type == ReferenceType.BRANCH;
  }

  public boolean isTag() {
    return type == ReferenceType.TAG;
  }
}
