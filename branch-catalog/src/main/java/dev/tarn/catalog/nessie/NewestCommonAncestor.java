package dev.tarn.catalog.nessie;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * The newest commit that both of two histories hold, following merge parents too: Tarn's merge
 * rule (the executable model in {@code git-model} states it). When two branches merged into each
 * other both ways (a criss-cross), they share several ancestors none of which descends from
 * another, and Nessie may answer with an older one; an older ancestor can hide that one side
 * rewrote files the other side still holds.
 *
 * <p>Commits are visited newest first from both heads; the first one reached from both sides is
 * the answer, since every newer commit has been visited by then. Parents are older than their
 * children (Tarn stamps each commit when it makes it), so the walk stops early: it reads the
 * commits of both sides since they parted, and gives up past {@code maxCommits}.
 */
final class NewestCommonAncestor {
  private static final int FROM_A = 1;
  private static final int FROM_B = 2;

  private final VersionedStore store;
  private final String noAncestor;
  private final int maxCommits;

  NewestCommonAncestor(VersionedStore store, String noAncestor, int maxCommits) {
    this.store = store;
    this.noAncestor = noAncestor;
    this.maxCommits = maxCommits;
  }

  /** A commit to visit, newest first. */
  private record Pending(String hash, Instant made) {}

  /** Empty when the walk gave up (too long, a commit without a time, a history that is gone). */
  Optional<String> of(String a, String b) {
    if (a.equals(b)) {
      return Optional.of(a);
    }
    Map<String, Integer> reachedFrom = new HashMap<>();
    Map<String, Commit> read = new HashMap<>();
    PriorityQueue<Pending> queue = new PriorityQueue<>(
        Comparator.comparing(Pending::made, Comparator.reverseOrder()).thenComparing(Pending::hash));
    for (Map.Entry<String, Integer> start : List.of(Map.entry(a, FROM_A), Map.entry(b, FROM_B))) {
      Optional<Commit> c = read(start.getKey(), read);
      if (c.isEmpty()) {
        return Optional.empty();
      }
      reachedFrom.put(start.getKey(), start.getValue());
      queue.add(new Pending(start.getKey(), c.get().made()));
    }
    int visited = 0;
    while (!queue.isEmpty()) {
      Pending next = queue.poll();
      int sides = reachedFrom.get(next.hash());
      if (sides == (FROM_A | FROM_B)) {
        return Optional.of(next.hash());
      }
      if (++visited > maxCommits) {
        return Optional.empty();
      }
      for (String parent : read.get(next.hash()).parents()) {
        if (parent.equals(noAncestor)) {
          continue;
        }
        Integer before = reachedFrom.get(parent);
        int now = (before == null ? 0 : before) | sides;
        if (before != null && before == now) {
          continue;
        }
        Optional<Commit> p = read(parent, read);
        if (p.isEmpty()) {
          return Optional.empty();
        }
        reachedFrom.put(parent, now);
        // a commit reached again from the other side is queued again; whichever entry comes first
        // reads its sides from reachedFrom, which then holds both
        queue.add(new Pending(parent, p.get().made()));
      }
    }
    return Optional.of(noAncestor);
  }

  /** One commit's time and parents (first parent first, then merge parents). */
  private record Commit(Instant made, List<String> parents) {}

  private Optional<Commit> read(String hash, Map<String, Commit> read) {
    Commit known = read.get(hash);
    if (known != null) {
      return Optional.of(known);
    }
    Commit[] found = new Commit[1];
    try {
      store.log(hash, false, 1, c -> {
        Instant made = c.meta() == null ? null : c.meta().getCommitTime();
        found[0] = made == null ? null : new Commit(made, c.parents());
        return false;
      });
    } catch (VersionedStore.NotFound e) {
      return Optional.empty();
    }
    if (found[0] != null) {
      read.put(hash, found[0]);
    }
    return Optional.ofNullable(found[0]);
  }
}
