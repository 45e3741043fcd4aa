package dev.tarn.catalog.nessie;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.projectnessie.model.Content;
import org.projectnessie.model.ContentKey;
import org.projectnessie.model.MergeBehavior;
import org.projectnessie.model.MergeKeyBehavior;

/**
 * Makes Nessie's merge leave what Tarn's rules decide when the two differ on the common ancestor.
 *
 * <p>After merges both ways two branches share several ancestors. Tarn judges a merge from the
 * newest of them (the one git would pick), but Nessie applies the source's changes since the one
 * it finds itself, which can be older. Under the older one a table may look changed on both sides
 * (a refusal) or only on the source (its version taken over the target's newer one). Nessie lets a
 * merge say, for each key its own comparison touches, whether to take the source's version
 * ({@code FORCE}), keep the target's on a conflict ({@code DROP}) or put a given version where the
 * target still holds an expected one ({@code NORMAL} with expected and resolved contents). This
 * class picks one per key so that the merged target holds, for every key:
 *
 * <ul>
 *   <li>the union of both sides' appends, for a table both sides only appended to;
 *   <li>the source's version, where the source changed it since the newest ancestor;
 *   <li>the target's version otherwise.
 * </ul>
 *
 * <p>A few outcomes cannot be said that way: a key Nessie's comparison does not touch but that
 * must change, or a key that must stay absent where Nessie would add it without a conflict. Those
 * keys are {@link #inexpressible()}; the merge refuses them rather than leave something else.
 */
final class NewestAncestorMerge {

  private enum Wanted { SOURCE, TARGET, UNION }

  private final Map<ContentKey, Content[]> sinceStoreAncestor;
  private final Map<ContentKey, Content[]> sourceSinceNewest;
  private final Map<ContentKey, Content[]> targetSinceNewest;
  private final Set<ContentKey> unionsAddingFiles;
  private final Set<ContentKey> unionsAddingNothing;

  /**
   * @param sinceStoreAncestor the source's changes since the ancestor Nessie's merge uses: {before,
   *     after} per key, null for absent
   * @param sourceSinceNewest the source's changes since the newest shared ancestor
   * @param targetSinceNewest the target's changes since the newest shared ancestor
   * @param unionsAddingFiles tables both sides only appended to, where the source added files the
   *     target lacks
   * @param unionsAddingNothing tables both sides only appended to, where the target already holds
   *     every file the source added
   */
  NewestAncestorMerge(Map<ContentKey, Content[]> sinceStoreAncestor,
      Map<ContentKey, Content[]> sourceSinceNewest, Map<ContentKey, Content[]> targetSinceNewest,
      Set<ContentKey> unionsAddingFiles, Set<ContentKey> unionsAddingNothing) {
    this.sinceStoreAncestor = sinceStoreAncestor;
    this.sourceSinceNewest = sourceSinceNewest;
    this.targetSinceNewest = targetSinceNewest;
    this.unionsAddingFiles = unionsAddingFiles;
    this.unionsAddingNothing = unionsAddingNothing;
  }

  /** Keys whose merged version Nessie's merge cannot be made to leave. */
  List<ContentKey> inexpressible() {
    List<ContentKey> out = new ArrayList<>();
    for (ContentKey key : touched()) {
      if (behavior(key, k -> null) == null) {
        out.add(key);
      }
    }
    return out;
  }

  /**
   * The behaviour for every key Nessie's merge touches.
   *
   * @param unionContent writes and returns the merged version of a table both sides appended to;
   *     called only for those tables
   * @throws IllegalStateException if some key is {@link #inexpressible()}
   */
  List<MergeKeyBehavior> behaviors(Function<ContentKey, Content> unionContent) {
    List<MergeKeyBehavior> out = new ArrayList<>();
    for (ContentKey key : sinceStoreAncestor.keySet()) {
      MergeKeyBehavior b = behavior(key, unionContent);
      if (b == null) {
        throw new IllegalStateException("no merge behaviour leaves the wanted version of " + key);
      }
      out.add(b);
    }
    return out;
  }

  private Set<ContentKey> touched() {
    Set<ContentKey> keys = new LinkedHashSet<>(sinceStoreAncestor.keySet());
    keys.addAll(sourceSinceNewest.keySet());
    keys.addAll(targetSinceNewest.keySet());
    return keys;
  }

  /**
   * The behaviour that leaves the wanted version of {@code key}, or null when there is none. For a
   * key Nessie does not touch, a placeholder {@code DROP} stands for "the target keeps its version".
   */
  private MergeKeyBehavior behavior(ContentKey key, Function<ContentKey, Content> unionContent) {
    Content onTarget = onTarget(key);
    Wanted wanted = wanted(key);
    Content[] storeSide = sinceStoreAncestor.get(key);
    if (storeSide == null) {
      // Nessie leaves the target's version
      boolean keeps = wanted == Wanted.TARGET
          || wanted == Wanted.SOURCE && Objects.equals(sourceSinceNewest.get(key)[1], onTarget);
      return keeps ? MergeKeyBehavior.of(key, MergeBehavior.DROP) : null;
    }
    Content expected = storeSide[0];
    Content fromSource = storeSide[1];
    if (wanted == Wanted.UNION) {
      // a union needs both sides' versions, so both are present
      return MergeKeyBehavior.of(key, MergeBehavior.NORMAL, onTarget, unionContent.apply(key));
    }
    Content result = wanted == Wanted.SOURCE ? sourceSinceNewest.get(key)[1] : onTarget;
    if (Objects.equals(result, onTarget) && !Objects.equals(onTarget, expected)) {
      // Nessie sees a conflict here, and DROP resolves it by keeping the target's version
      return MergeKeyBehavior.of(key, MergeBehavior.DROP);
    }
    if (Objects.equals(result, fromSource)) {
      return MergeKeyBehavior.of(key, MergeBehavior.FORCE);
    }
    if (fromSource != null && onTarget != null && result != null) {
      return MergeKeyBehavior.of(key, MergeBehavior.NORMAL, onTarget, result);
    }
    return null;
  }

  /** The target's current version of a key (null when absent). */
  private Content onTarget(ContentKey key) {
    Content[] target = targetSinceNewest.get(key);
    if (target != null) {
      return target[1];
    }
    Content[] source = sourceSinceNewest.get(key);
    if (source != null) {
      return source[0];
    }
    // unchanged on both sides since the newest ancestor: the source holds the same version
    return sinceStoreAncestor.get(key)[1];
  }

  private Wanted wanted(ContentKey key) {
    if (unionsAddingFiles.contains(key)) {
      return Wanted.UNION;
    }
    if (unionsAddingNothing.contains(key)) {
      return Wanted.TARGET;
    }
    return sourceSinceNewest.containsKey(key) ? Wanted.SOURCE : Wanted.TARGET;
  }
}
