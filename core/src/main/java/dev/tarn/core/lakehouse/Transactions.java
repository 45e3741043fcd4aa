package dev.tarn.core.lakehouse;

import dev.tarn.core.audit.ProducedCommit;
import dev.tarn.core.access.AccessControl;
import dev.tarn.core.session.CurrentReference;
import dev.tarn.catalog.At;
import dev.tarn.catalog.BranchCatalog;
import dev.tarn.catalog.CatalogException;
import dev.tarn.catalog.MergeConflictException;
import dev.tarn.catalog.MergeOptions;
import dev.tarn.catalog.ReadOnlyReferenceException;
import dev.tarn.catalog.ReferenceNotFoundException;
import dev.tarn.catalog.ResolvedReference;
import dev.tarn.core.session.OpenTransaction;
import dev.tarn.core.session.Session;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Transactions over the lakehouse. BEGIN forks a private branch from the session's branch; the
 * session's statements commit there, so it reads its own writes while nobody else sees them;
 * COMMIT merges the private branch into the original one as a single commit (conflicts abort the
 * transaction and change nothing); ROLLBACK drops the private branch. Branching copies no data.
 */
public final class Transactions {
  /** Private transaction branches are named with this prefix and hidden from listings. */
  public static final String BRANCH_PREFIX = "tarn_tx_";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final BranchCatalog catalog;
  private final AccessControl access;

  public Transactions(BranchCatalog catalog, AccessControl access) {
    this.catalog = catalog;
    this.access = access;
  }

  public static boolean isTransactionBranch(String name) {
    return name.startsWith(BRANCH_PREFIX);
  }

  public OpenTransaction begin(Session session) {
    if (session.transaction().isPresent()) {
      throw new CatalogException("a transaction is already open in this session; COMMIT or ROLLBACK it first");
    }
    CurrentReference before = session.reference();
    ResolvedReference head = catalog.resolve(before.at());
    // its statements read the branch (from a fork of it): READ first; and it commits into the
    // branch, so BEGIN is refused already when that commit would be
    access.requireRead(session.user(), head);
    if (!head.writable()) {
      throw new ReadOnlyReferenceException(head);
    }
    access.requireDirectWrite(session.user(), head.name());
    byte[] id = new byte[8];
    RANDOM.nextBytes(id);
    String branch = BRANCH_PREFIX + HexFormat.of().formatHex(id);
    catalog.createBranch(branch, TableResolver.pinned(head));
    access.transactionOpened(branch, head.name());
    OpenTransaction tx = new OpenTransaction(branch, head.name(), head.hash(), before);
    if (!session.beginTransaction(tx)) {
      // another call of the session began one, or moved it, meanwhile
      access.transactionEnded(branch);
      dropQuietly(branch);
      throw new CatalogException(session.transaction().isPresent()
          ? "a transaction is already open in this session; COMMIT or ROLLBACK it first"
          : "the session moved to another reference while BEGIN ran; run BEGIN again");
    }
    return tx;
  }

  /**
   * Lands everything the transaction did as one commit on its branch. On a conflict nothing is
   * changed, the transaction is rolled back, and the error names the conflicting tables.
   */
  public void commit(Session session) {
    OpenTransaction tx = open(session, "COMMIT");
    try {
      boolean changed = !catalog.resolve(At.branch(tx.branch())).hash().equals(tx.baseHash());
      if (changed) {
        // checked again: a grant revoked or a protection added since BEGIN counts
        try {
          access.requireDirectWrite(session.user(), tx.target());
        } catch (dev.tarn.core.TarnException refused) {
          end(session, tx);
          throw new dev.tarn.core.TarnException(refused.kind(), "the transaction was rolled back: "
              + refused.getMessage());
        }
        ProducedCommit.noted(catalog.merge(At.branch(tx.branch()), tx.target(),
            MergeOptions.asOneCommit(message(session), session.user(), null)).resultHash());
      }
    } catch (MergeConflictException e) {
      end(session, tx);
      throw new CatalogException("the transaction was rolled back: " + e.getMessage(), e);
    }
    end(session, tx);
  }

  public void rollback(Session session) {
    end(session, open(session, "ROLLBACK"));
  }

  /** Drops an abandoned transaction's branch (the session closed without COMMIT). */
  public void abandon(Session session) {
    session.transaction().ifPresent(tx -> {
      access.transactionEnded(tx.branch());
      dropQuietly(tx.branch());
    });
  }

  private static String message(Session session) {
    return "TRANSACTION by " + session.user() + ": " + String.join("; ", session.transactionStatements());
  }

  private OpenTransaction open(Session session, String what) {
    Optional<OpenTransaction> tx = session.transaction();
    if (tx.isEmpty()) {
      throw new CatalogException(what + " without a transaction: run BEGIN first");
    }
    return tx.get();
  }

  private void end(Session session, OpenTransaction tx) {
    access.transactionEnded(tx.branch());
    session.endTransaction(tx.before());
    dropQuietly(tx.branch());
  }

  private void dropQuietly(String branch) {
    try {
      catalog.dropBranch(branch);
    } catch (ReferenceNotFoundException ignored) {
      // already gone
    }
  }
}
