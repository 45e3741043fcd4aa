package dev.tarn.core.session;

import dev.tarn.catalog.At;
import dev.tarn.catalog.BranchCatalog;
import java.util.Optional;

/**
 * What a session reads and writes: a branch (movable, writable) or tag by name, optionally pinned
 * to a commit seen from it ({@code USE REFERENCE r AT COMMIT '...'}, read-only). Sessions start on
 * {@value BranchCatalog#DEFAULT_BRANCH}; whether the name is a branch or a tag is the catalog's to say.
 *
 * @param name the branch or tag
 * @param commit a pinned commit hash on that reference
 */
public record CurrentReference(String name, Optional<String> commit) {

  public static CurrentReference defaultBranch() {
    return named(BranchCatalog.DEFAULT_BRANCH);
  }

  public static CurrentReference named(String name) {
    return new CurrentReference(name, Optional.empty());
  }

  /** A point in history the catalog can resolve. */
  public At at() {
    return commit.map(c -> At.commit(name, c)).orElseGet(() -> At.reference(name));
  }

  public String describe() {
    return name + commit.map(c -> " at commit " + c.substring(0, Math.min(12, c.length()))).orElse("");
  }
}
