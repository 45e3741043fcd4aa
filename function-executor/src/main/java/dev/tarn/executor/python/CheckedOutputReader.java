package dev.tarn.executor.python;

import dev.tarn.executor.DeclaredNullCounts;
import dev.tarn.executor.EngineException;
import dev.tarn.executor.UntrustedArrow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SeekableByteChannel;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.SeekableReadChannel;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;

/**
 * A model's output file, each batch checked ({@link UntrustedArrow}) before anyone reads it: the
 * file comes from the model's process, which runs the user's code.
 */
final class CheckedOutputReader extends ArrowFileReader {
  /** How the checks' refusals name what they refused. */
  static final String WHAT = "the model's output";

  CheckedOutputReader(SeekableByteChannel channel, BufferAllocator allocator) {
    super(new SeekableReadChannel(channel), allocator);
  }

  @Override
  public boolean loadNextBatch() throws IOException {
    boolean loaded;
    try {
      loaded = super.loadNextBatch();
    } catch (EngineException e) {
      throw new IOException(e.getMessage(), e);
    }
    if (loaded) {
      check();
    }
    return loaded;
  }

  @Override
  public boolean loadRecordBatch(ArrowBlock block) throws IOException {
    boolean loaded;
    try {
      loaded = super.loadRecordBatch(block);
    } catch (EngineException e) {
      throw new IOException(e.getMessage(), e);
    }
    if (loaded) {
      check();
    }
    return loaded;
  }

  /** Each batch's declared null counts, checked while they are still there to compare. */
  @Override
  protected void loadRecordBatch(ArrowRecordBatch batch) {
    try {
      DeclaredNullCounts.check(batch, getVectorSchemaRoot().getSchema(), WHAT);
    } catch (EngineException | IOException e) { // the root exists by now: a batch is loaded into it
      batch.close();
      throw e instanceof EngineException engine ? engine : new UncheckedIOException((IOException) e);
    }
    super.loadRecordBatch(batch);
  }

  private void check() throws IOException {
    checkLoaded(this);
  }

  /** The batch {@code output} has just loaded, checked ({@link UntrustedArrow}); a refusal as the reader's I/O error. */
  static void checkLoaded(ArrowReader output) throws IOException {
    try {
      UntrustedArrow.check(output.getVectorSchemaRoot(), output, WHAT);
    } catch (EngineException e) {
      throw new IOException(e.getMessage(), e);
    }
  }
}
