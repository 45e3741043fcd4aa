package dev.tarn.core.review;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A proposal to merge a branch, at the commit it had when proposed, into another branch; a holder of
 * MERGE on the target approves (it merges, as one commit) or rejects it.
 *
 * @param id its number, from 1, never reused
 * @param sourceHash the source's head when proposed: what approval merges, and nothing newer
 * @param project a project in the server's projects folder that approval runs on the source first
 * @param note why it was rejected, or why the latest approval failed
 */
public record MergeRequest(long id, String source, String sourceHash, String target, String title,
    Optional<String> project, String author, Instant createdAt, State state, Optional<String> decidedBy,
    Optional<Instant> decidedAt, Optional<String> mergeCommit, Optional<String> note) {

  public enum State { OPEN, MERGED, REJECTED }

  public MergeRequest {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(sourceHash, "sourceHash");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(author, "author");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(decidedBy, "decidedBy");
    Objects.requireNonNull(decidedAt, "decidedAt");
    Objects.requireNonNull(mergeCommit, "mergeCommit");
    Objects.requireNonNull(note, "note");
  }

  static MergeRequest open(long id, String source, String sourceHash, String target, String title,
      Optional<String> project, String author, Instant at) {
    return new MergeRequest(id, source, sourceHash, target, title, project, author, at, State.OPEN,
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }

  MergeRequest merged(String user, Instant at, String commit) {
    return new MergeRequest(id, source, sourceHash, target, title, project, author, createdAt, State.MERGED,
        Optional.of(user), Optional.of(at), Optional.of(commit), Optional.empty());
  }

  MergeRequest rejected(String user, Instant at, Optional<String> reason) {
    return new MergeRequest(id, source, sourceHash, target, title, project, author, createdAt, State.REJECTED,
        Optional.of(user), Optional.of(at), Optional.empty(), reason);
  }

  /** Still open, with a note on why the latest approval did not merge it. */
  MergeRequest noted(String why) {
    return new MergeRequest(id, source, sourceHash, target, title, project, author, createdAt, state, decidedBy,
        decidedAt, mergeCommit, Optional.of(why));
  }

  public String describe() {
    return "merge request " + id + " (" + source + " into " + target + ")";
  }
}
