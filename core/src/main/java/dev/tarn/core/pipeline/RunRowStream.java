package dev.tarn.core.pipeline;

import dev.tarn.core.arrow.Rows;
import dev.tarn.executor.RowStream;
import dev.tarn.executor.pipeline.RunListener;
import dev.tarn.executor.pipeline.RunRecord;
import dev.tarn.executor.pipeline.StepRecord;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code RUN PIPELINE}'s answer while the run goes on: the run works on a thread of its own and
 * each model's row is sent as soon as the model (and its materialization) ended, so a client sees
 * the first models' rows while later ones still run. The schema is {@link RunTables#RUN}, known
 * before the run starts. A failed or cancelled run ends the stream with its error, after the rows
 * of the models that ended.
 *
 * <p>{@link #cancel()} (from any thread, when the client cancels or its deadline passes) and an
 * interrupt of the reading thread stop the run: nothing is merged and the target branch is
 * unchanged. Closing the stream early does not: the run goes on to its end.
 */
public final class RunRowStream implements RowStream {
  private static final Logger LOG = LoggerFactory.getLogger(RunRowStream.class);
  /** How long closing waits for a cancelled run to record itself as cancelled. */
  private static final long STOP_WAIT_SECONDS = 60;

  /** What the run thread hands to the reading thread, in order. */
  private sealed interface Event {}

  private record Row(Object[] cells) implements Event {}

  private record Started() implements Event {}

  private record Ended() implements Event {}

  private record Failed(RuntimeException error) implements Event {}

  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final VectorSchemaRoot root;
  private final Thread worker;
  private Event pendingEnd; // an end taken from the queue behind rows, for the next call
  private boolean ended;
  private long rowsProduced;
  private long bytesProduced;

  private RunRowStream(Function<RunListener, RunRecord> run, BufferAllocator allocator) {
    this.root = VectorSchemaRoot.create(RunTables.RUN, allocator);
    this.worker = new Thread(() -> work(run), "pipeline-run");
    worker.setDaemon(true);
  }

  /**
   * Starts {@code run} on a thread of its own and returns once the run is recorded as running, so
   * that what fails before (a missing branch, a tag) is thrown here, as the statement's error.
   *
   * @param run runs the pipeline, telling the listener of every change, and throws {@link
   *     PipelineRunFailedException} when the run failed
   * @param onWorker receives the run's thread once it started, for whoever may stop it (KILL QUERY);
   *     started, so that an interrupt sent at once reaches it
   */
  public static RunRowStream start(Function<RunListener, RunRecord> run, BufferAllocator allocator,
      java.util.function.Consumer<Thread> onWorker) {
    RunRowStream rows = new RunRowStream(run, allocator);
    rows.worker.start();
    onWorker.accept(rows.worker);
    try {
      Event first = rows.events.take();
      if (first instanceof Failed failed) {
        rows.ended = true;
        rows.root.close();
        throw failed.error();
      }
      // the first event is Started: every run tells its RUNNING record first, and rows come after it
    } catch (InterruptedException e) {
      // the caller went away while the run began: stop it
      RuntimeException end = rows.stop();
      rows.root.close();
      Thread.currentThread().interrupt();
      throw end;
    }
    return rows;
  }

  private void work(Function<RunListener, RunRecord> run) {
    Set<String> sent = new HashSet<>();
    boolean[] started = {false};
    try {
      run.apply(record -> {
        if (!started[0]) {
          started[0] = true;
          events.add(new Started());
        }
        for (StepRecord step : record.steps()) {
          if (RunTables.isModel(step) && !sent.contains(step.step()) && RunTables.modelRowFinal(record, step)) {
            sent.add(step.step());
            events.add(new Row(RunTables.modelRow(record, step)));
          }
        }
      });
      events.add(new Ended());
    } catch (RuntimeException e) {
      events.add(new Failed(e));
    } catch (Error e) {
      events.add(new Failed(new IllegalStateException("the pipeline run failed: " + e, e)));
      throw e;
    }
  }

  @Override
  public Schema schema() {
    return RunTables.RUN;
  }

  @Override
  public VectorSchemaRoot root() {
    return root;
  }

  /** Waits for the next models' rows; false when the run succeeded and every row was sent. */
  @Override
  public boolean next() {
    if (ended) {
      return false;
    }
    List<Object[]> batch = new ArrayList<>();
    Event event = pendingEnd;
    pendingEnd = null;
    try {
      if (event == null) {
        event = events.take();
      }
      while (event instanceof Row row) {
        batch.add(row.cells());
        event = events.poll(); // the rows that are there already go in the same batch
      }
    } catch (InterruptedException e) {
      ended = true;
      RuntimeException end = stop();
      Thread.currentThread().interrupt();
      throw end;
    }
    if (!batch.isEmpty()) {
      pendingEnd = event;
      Rows.refill(root, batch);
      rowsProduced += batch.size();
      bytesProduced += root.getFieldVectors().stream().mapToLong(v -> v.getBufferSize()).sum();
      return true;
    }
    ended = true;
    if (event instanceof Failed failed) {
      throw failed.error();
    }
    return false;
  }

  /** Stops the run as a client's cancel does; the stream then ends with the cancelled run's error. */
  @Override
  public void cancel() {
    worker.interrupt();
  }

  @Override
  public long rowsProduced() {
    return rowsProduced;
  }

  @Override
  public long bytesProduced() {
    return bytesProduced;
  }

  /**
   * Releases the rows. A run whose rows nobody reads any more goes on to its end and is recorded as
   * usual: a client that runs the statement without reading its answer still gets its run. Stopping
   * it is {@link #cancel()}'s job (the client's cancel, its deadline, KILL QUERY).
   */
  @Override
  public void close() {
    root.close();
  }

  /**
   * Cancels the run and waits (bounded) until it is recorded as ended; returns the error it ended
   * with, for a reader that was itself interrupted.
   */
  private RuntimeException stop() {
    worker.interrupt();
    boolean interrupted = Thread.interrupted();
    try {
      worker.join(TimeUnit.SECONDS.toMillis(STOP_WAIT_SECONDS));
    } catch (InterruptedException e) {
      interrupted = true;
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (worker.isAlive()) {
      LOG.warn("a cancelled pipeline run has not stopped after {} s", STOP_WAIT_SECONDS);
    }
    for (Event event : events) {
      if (event instanceof Failed failed) {
        return failed.error();
      }
    }
    return new IllegalStateException("the pipeline run was cancelled: its client cancelled it or went away");
  }
}
