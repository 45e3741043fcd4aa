package dev.tarn.catalog;

import java.util.Objects;

/**
 * A point in history resolved to one commit: what a read sees, and whether a write may go there.
 *
 * @param name the branch or tag name it was reached through, or {@code null} for a bare commit
 * @param type the type of {@code name}; {@code null} for a bare commit
 * @param hash the full commit hash to read at
 * @param head whether {@code hash} is the current head of {@code name} (false for time travel)
 */
public record ResolvedReference(String name, ReferenceType type, String hash, boolean head) {
  public ResolvedReference {
    Objects.requireNonNull(hash, "hash");
  }

  /** Only the head of a branch takes writes; tags, commits and past states are read-only. */
  public boolean writable() {
    return type == ReferenceType.BRANCH && head;
  }

  /** How users see this point: {@code branch main}, {@code tag v1}, {@code commit 1a2b3c4d}. */
  public String describe() {
    if (name == null) {
      return "commit " + hash.substring(0, Math.min(12, hash.length()));
    }
    String s = type.word() + " " + name;
    return head ? s : s + " at commit " + hash.substring(0, Math.min(12, hash.length()));
  }
}
