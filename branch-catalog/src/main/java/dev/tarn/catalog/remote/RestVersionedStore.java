package dev.tarn.catalog.remote;

import dev.tarn.catalog.CatalogException;
import dev.tarn.catalog.Reference;
import dev.tarn.catalog.ReferenceType;
import dev.tarn.catalog.nessie.VersionedStore;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.BiPredicate;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.projectnessie.client.NessieClientBuilder;
import org.projectnessie.client.api.MergeReferenceBuilder;
import org.projectnessie.client.api.NessieApiV2;
import org.projectnessie.client.http.HttpClientException;
import org.projectnessie.error.BaseNessieClientServerException;
import org.projectnessie.error.NessieConflictException;
import org.projectnessie.error.NessieNotFoundException;
import org.projectnessie.error.NessieReferenceAlreadyExistsException;
import org.projectnessie.error.NessieReferenceConflictException;
import org.projectnessie.error.ReferenceConflicts;
import org.projectnessie.model.Branch;
import org.projectnessie.model.CommitMeta;
import org.projectnessie.model.CommitResponse;
import org.projectnessie.model.Content;
import org.projectnessie.model.ContentKey;
import org.projectnessie.model.Detached;
import org.projectnessie.model.DiffResponse.DiffEntry;
import org.projectnessie.model.EntriesResponse.Entry;
import org.projectnessie.model.FetchOption;
import org.projectnessie.model.LogResponse;
import org.projectnessie.model.LogResponse.LogEntry;
import org.projectnessie.model.MergeKeyBehavior;
import org.projectnessie.model.MergeResponse;
import org.projectnessie.model.NessieConfiguration;
import org.projectnessie.model.Operation;
import org.projectnessie.model.Tag;
import org.projectnessie.model.Validation;

/**
 * A {@link VersionedStore} on a Nessie server, through the Nessie Java client over REST API v2.
 * Every commit is addressed by hash ({@code DETACHED@hash}), so reads see exactly the commit the
 * catalog resolved, whatever the branch does meanwhile.
 */
public final class RestVersionedStore implements VersionedStore {
  private static final int MAX_PAGE = 500;

  private final NessieApiV2 api;
  private final URI uri;
  private final String noAncestor;

  private RestVersionedStore(NessieApiV2 api, URI uri, String noAncestor) {
    this.api = api;
    this.uri = uri;
    this.noAncestor = noAncestor;
  }

  /**
   * Connects to the Nessie server whose REST API v2 is at {@code apiV2Uri}; fails with a {@link
   * CatalogException} saying so when the server cannot be reached or does not speak API v2.
   */
  public static RestVersionedStore connect(URI apiV2Uri) {
    NessieApiV2 api = NessieClientBuilder.createClientBuilder("HTTP", null)
        .withUri(apiV2Uri)
        .withApiCompatibilityCheck(false) // checked below, with Tarn's messages
        .withConnectionTimeout(5_000)
        .withReadTimeout(60_000)
        .build(NessieApiV2.class);
    try {
      NessieConfiguration config = api.getConfig();
      if (config.getActualApiVersion() < 2 || config.getNoAncestorHash() == null) {
        throw new CatalogException("the Nessie server at " + apiV2Uri + " does not serve REST"
            + " API v2 there (it answers as API v" + config.getActualApiVersion()
            + "); give its /api/v2 address");
      }
      return new RestVersionedStore(api, apiV2Uri, config.getNoAncestorHash());
    } catch (HttpClientException e) {
      api.close();
      throw unreachable(apiV2Uri, e);
    } catch (CatalogException e) {
      api.close();
      throw e;
    } catch (RuntimeException e) {
      api.close();
      throw new CatalogException("the server at " + apiV2Uri + " does not answer as a Nessie"
          + " server with REST API v2 there (" + describe(e) + "); give its /api/v2 address", e);
    }
  }

  private static CatalogException unreachable(URI uri, Throwable e) {
    return new CatalogException("cannot reach the Nessie server at " + uri + ": " + describe(e)
        + "; is it running? start it or leave --catalog-uri out for the embedded catalog", e);
  }

  /** What went wrong, in words: the JDK's HTTP client leaves most network failures unexplained. */
  static String describe(Throwable e) {
    if (caused(e, UnknownHostException.class) || caused(e, UnresolvedAddressException.class)) {
      return "unknown host";
    }
    if (caused(e, HttpConnectTimeoutException.class)) {
      return "connection timed out";
    }
    if (caused(e, HttpTimeoutException.class)) {
      return "no answer in time";
    }
    if (caused(e, ConnectException.class)) {
      return "connection refused";
    }
    Throwable last = e;
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        return t.getMessage();
      }
      last = t;
    }
    return last.getClass().getSimpleName();
  }

  /** Whether {@code e} or one of its causes is a {@code type}. */
  static boolean caused(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  /** The server's REST API v2 address. */
  public URI uri() {
    return uri;
  }

  /** A client call: Nessie's failures are checked exceptions, the network's runtime ones. */
  @FunctionalInterface
  private interface Call<T> {
    T run() throws BaseNessieClientServerException;
  }

  /**
   * Runs a client call, turning Nessie's failures into this interface's (not found, already
   * exists, conflict with the server's details) and every other failure into a catalog error.
   */
  private <T> T call(Call<T> call) throws NotFound, AlreadyExists, Conflict {
    try {
      return call.run();
    } catch (NessieReferenceAlreadyExistsException e) {
      throw new AlreadyExists(e.getMessage(), e);
    } catch (NessieReferenceConflictException e) {
      ReferenceConflicts details = e.getErrorDetails();
      throw new Conflict(e.getMessage(), details == null ? List.of() : details.conflicts(), e);
    } catch (NessieConflictException e) {
      throw new Conflict(e.getMessage(), List.of(), e);
    } catch (NessieNotFoundException e) {
      throw new NotFound(e.getMessage(), e);
    } catch (BaseNessieClientServerException e) {
      throw refused(e);
    } catch (HttpClientException e) {
      throw unreachable(uri, e);
    } catch (CatalogException e) {
      throw e;
    } catch (RuntimeException e) {
      throw refused(e);
    }
  }

  private CatalogException refused(Exception e) {
    return new CatalogException(
        "the Nessie server at " + uri + " refused the request: " + describe(e), e);
  }

  /** A read: its only expected failure is a missing commit or reference. */
  private <T> T read(Call<T> call) throws NotFound {
    try {
      return call(call);
    } catch (AlreadyExists | Conflict e) {
      throw refused(e);
    }
  }

  /** A read of something that may be missing: {@code null} then. */
  private <T> T readOrNull(Call<T> call) {
    try {
      return read(call);
    } catch (NotFound e) {
      return null;
    }
  }

  @Override
  public String noAncestorHash() {
    return noAncestor;
  }

  // ---------------------------------------------------------------- references

  private static Reference toReference(org.projectnessie.model.Reference r) {
    CommitMeta head = r.getMetadata() == null ? null : r.getMetadata().getCommitMetaOfHEAD();
    return new Reference(r.getName(),
        r.getType() == org.projectnessie.model.Reference.ReferenceType.TAG
            ? ReferenceType.TAG : ReferenceType.BRANCH,
        r.getHash(), VersionedStore.commitTime(head));
  }

  @Override
  public List<Reference> references() {
    List<Reference> refs = readOrNull(() -> {
      try (Stream<org.projectnessie.model.Reference> all =
          api.getAllReferences().fetch(FetchOption.ALL).stream()) {
        return all.map(RestVersionedStore::toReference).toList();
      }
    });
    return refs == null ? List.of() : refs;
  }

  @Override
  public Optional<Reference> reference(String name) {
    if (name == null || !Validation.isValidReferenceName(name)) {
      return Optional.empty();
    }
    return Optional.ofNullable(readOrNull(() ->
        toReference(api.getReference().refName(name).fetch(FetchOption.ALL).get())));
  }

  @Override
  public boolean commitExists(String hash) {
    return readOrNull(() -> api.getCommitLog().refName(Detached.REF_NAME).hashOnRef(hash)
        .fetch(FetchOption.MINIMAL).maxRecords(1).get()) != null;
  }

  @Override
  public void create(String name, ReferenceType type, String hash) throws AlreadyExists, NotFound {
    org.projectnessie.model.Reference ref =
        type == ReferenceType.TAG ? Tag.of(name, hash) : Branch.of(name, hash);
    try {
      call(() -> api.createReference().reference(ref).create());
    } catch (Conflict e) {
      throw new AlreadyExists(e.getMessage(), e);
    }
  }

  @Override
  public void delete(String name, ReferenceType type, String expectedHash)
      throws NotFound, Conflict {
    try {
      call(() -> {
        api.deleteReference().refName(name).refType(modelType(type)).hash(expectedHash).delete();
        return null;
      });
    } catch (AlreadyExists e) {
      throw new Conflict(e.getMessage(), List.of(), e);
    }
  }

  @Override
  public void assign(String name, String expectedHash, String toHash) throws NotFound, Conflict {
    try {
      call(() -> {
        api.assignReference().refName(name)
            .refType(org.projectnessie.model.Reference.ReferenceType.BRANCH)
            .hash(expectedHash).assignTo(Detached.of(toHash)).assign();
        return null;
      });
    } catch (AlreadyExists e) {
      throw new Conflict(e.getMessage(), List.of(), e);
    }
  }

  private static org.projectnessie.model.Reference.ReferenceType modelType(ReferenceType type) {
    return type == ReferenceType.TAG ? org.projectnessie.model.Reference.ReferenceType.TAG
        : org.projectnessie.model.Reference.ReferenceType.BRANCH;
  }

  // ---------------------------------------------------------------- history and contents

  @Override
  public void log(String hash, boolean withKeys, int expected, Predicate<StoredCommit> visitor)
      throws NotFound {
    int page = Math.max(1, Math.min(expected, MAX_PAGE));
    read(() -> {
      try (Stream<LogEntry> entries = api.getCommitLog()
          .refName(Detached.REF_NAME).hashOnRef(hash)
          .fetch(withKeys ? FetchOption.ALL : FetchOption.MINIMAL)
          .maxRecords(page)
          .stream()) {
        Iterator<LogEntry> it = entries.iterator();
        while (it.hasNext()) {
          if (!visitor.test(toStored(it.next()))) {
            break;
          }
        }
      }
      return null;
    });
  }

  private static StoredCommit toStored(LogEntry e) {
    CommitMeta meta = e.getCommitMeta();
    List<ContentKey> keys = new ArrayList<>();
    if (e.getOperations() != null) {
      e.getOperations().forEach(op -> keys.add(op.getKey()));
    }
    String parent = e.getParentCommitHash();
    if (parent == null && meta.getParentCommitHashes() != null
        && !meta.getParentCommitHashes().isEmpty()) {
      parent = meta.getParentCommitHashes().get(0);
    }
    return new StoredCommit(meta.getHash(), parent, meta, keys);
  }

  @Override
  public void diff(String from, String to, KeyDiffConsumer consumer) throws NotFound {
    read(() -> {
      try (Stream<DiffEntry> diffs = api.getDiff()
          .fromRefName(Detached.REF_NAME).fromHashOnRef(from)
          .toRefName(Detached.REF_NAME).toHashOnRef(to)
          .stream()) {
        diffs.forEach(d -> consumer.accept(d.getKey(), d.getFrom(), d.getTo()));
      }
      return null;
    });
  }

  @Override
  public void entries(String hash, boolean withContent,
      BiPredicate<ContentKey, Content.Type> filter, BiConsumer<ContentKey, Content> consumer)
      throws NotFound {
    read(() -> {
      try (Stream<Entry> entries = api.getEntries()
          .refName(Detached.REF_NAME).hashOnRef(hash)
          .withContent(withContent)
          .stream()) {
        entries.forEach(e -> {
          if (filter.test(e.getName(), e.getType())) {
            consumer.accept(e.getName(), withContent ? e.getContent() : null);
          }
        });
      }
      return null;
    });
  }

  @Override
  public Content content(String hash, ContentKey key) throws NotFound {
    return read(() -> {
      Map<ContentKey, Content> found =
          api.getContent().refName(Detached.REF_NAME).hashOnRef(hash).key(key).get();
      return found.get(key);
    });
  }

  // ---------------------------------------------------------------- writes

  @Override
  public MergeOutcome merge(String fromName, ReferenceType fromType, String fromHash,
      String target, String expectedHead, CommitMeta meta, boolean dryRun,
      List<MergeKeyBehavior> resolved) throws NotFound, Conflict {
    MergeResponse r;
    try {
      r = call(() -> {
        MergeReferenceBuilder merge = api.mergeRefIntoBranch()
            .branchName(target).hash(expectedHead)
            .fromRefName(fromName == null ? Detached.REF_NAME : fromName)
            .fromHash(fromHash)
            .dryRun(dryRun)
            .returnConflictAsResult(true);
        resolved.forEach(merge::mergeKeyBehavior);
        if (meta != null) {
          merge.message(meta.getMessage()).commitMeta(forServer(meta));
        }
        return merge.merge();
      });
    } catch (AlreadyExists e) {
      throw new Conflict(e.getMessage(), List.of(), e);
    }
    List<org.projectnessie.model.Conflict> conflicts = new ArrayList<>();
    if (r.getDetails() != null) {
      for (MergeResponse.ContentKeyDetails d : r.getDetails()) {
        if (d.getConflict() != null) {
          conflicts.add(d.getConflict());
        }
      }
    }
    if (conflicts.stream().anyMatch(
        c -> c.conflictType() == org.projectnessie.model.Conflict.ConflictType.UNEXPECTED_HASH)) {
      throw new Conflict("branch " + target + " moved", conflicts, null);
    }
    boolean applied = !dryRun && r.wasApplied();
    return new MergeOutcome(applied, r.getCommonAncestor(),
        applied ? r.getResultantTargetHash() : null, conflicts);
  }

  @Override
  public StoredCommit commit(String branch, String expectedHash, CommitMeta meta,
      List<Operation> operations) throws NotFound, Conflict {
    CommitResponse response;
    try {
      response = call(() ->
          api.commitMultipleOperations()
              .branchName(branch).hash(expectedHash)
              .commitMeta(forServer(meta))
              .operations(operations)
              .commitWithResponse());
    } catch (AlreadyExists e) {
      throw new Conflict(e.getMessage(), List.of(), e);
    } catch (CatalogException e) {
      if (!refusedBeforeSending(e)) {
        // The request may have reached the server: the commit may have landed. Its files must
        // stay, and the caller must look before retrying.
        throw new OutcomeUnknown("lost the Nessie server at " + uri
            + " while committing to branch " + branch + " (" + describe(e) + "); the commit may"
            + " have landed: SHOW LOG " + branch + " tells, check before retrying", e);
      }
      throw e;
    }
    String hash = response.getTargetBranch().getHash();
    List<ContentKey> keys = operations.stream().map(Operation::getKey).toList();
    // The server stamps the commit (time, committer): read it back so that the commit reported
    // is the one the log shows. If that read fails, the commit still landed: report what we know.
    try {
      LogResponse log = api.getCommitLog().refName(Detached.REF_NAME).hashOnRef(hash)
          .fetch(FetchOption.MINIMAL).maxRecords(1).get();
      if (!log.getLogEntries().isEmpty()) {
        StoredCommit c = toStored(log.getLogEntries().get(0));
        return new StoredCommit(hash, c.parentHash(), c.meta(), keys);
      }
    } catch (NessieNotFoundException | RuntimeException e) {
      // fall through
    }
    return new StoredCommit(hash, expectedHash, meta, keys);
  }

  /**
   * Commit metadata as a server accepts it: the server sets the committer and the commit time
   * itself; message, authors and author time are the client's.
   */
  private static CommitMeta forServer(CommitMeta meta) {
    org.projectnessie.model.ImmutableCommitMeta.Builder b =
        (org.projectnessie.model.ImmutableCommitMeta.Builder) CommitMeta.builder();
    b.message(meta.getMessage()).addAllAllAuthors(meta.getAllAuthors())
        .authorTime(meta.getAuthorTime())
        .putAllAllProperties(meta.getAllProperties());
    return b.build();
  }

  /** Whether a network failure happened before the request could reach the server. */
  private static boolean refusedBeforeSending(CatalogException e) {
    if (!caused(e, HttpClientException.class)) {
      return true; // the server answered: it refused the commit
    }
    return caused(e, ConnectException.class) || caused(e, HttpConnectTimeoutException.class)
        || caused(e, UnresolvedAddressException.class) || caused(e, UnknownHostException.class);
  }

  @Override
  public void close() {
    api.close();
  }
}
