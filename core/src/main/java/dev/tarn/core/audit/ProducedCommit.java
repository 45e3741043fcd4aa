package dev.tarn.core.audit;

import java.util.function.Consumer;

/**
 * The catalog commit a statement produced, for its audit record. The lakehouse notes each commit
 * it makes (a write, a merge, a transaction's COMMIT, a pipeline run's merge) as it makes it, so the
 * writes need not carry the hash back through every return value. The auditor opens a slot on the
 * thread that starts a statement; work the statement hands to other threads (the engine's
 * deep-stack threads) takes the slot along with {@link #sink()}.
 */
public final class ProducedCommit {
  private static final ThreadLocal<Slot> CURRENT = new ThreadLocal<>();

  private ProducedCommit() {}

  /** The statement on this thread produced this commit (null: none). */
  public static void noted(String hash) {
    sink().accept(hash);
  }

  /** Where the statement running on this thread notes its commit, for work it runs on other threads. */
  public static Consumer<String> sink() {
    Slot slot = CURRENT.get();
    return slot == null ? hash -> {} : slot;
  }

  static Slot open() {
    Slot slot = new Slot();
    CURRENT.set(slot);
    return slot;
  }

  /** The statement's work on this thread is done (its result may still stream elsewhere). */
  static void leave(Slot slot) {
    if (CURRENT.get() == slot) {
      CURRENT.remove();
    }
  }

  /** One statement's note. */
  static final class Slot implements Consumer<String> {
    private volatile String hash;

    @Override
    public void accept(String produced) {
      if (produced != null) {
        hash = produced;
      }
    }

    String hash() {
      return hash;
    }
  }
}
