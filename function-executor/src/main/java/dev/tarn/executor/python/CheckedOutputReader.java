package dev.tarn.executor.python;

import dev.tarn.executor.EngineException;
import dev.tarn.executor.UntrustedArrow;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.SeekableReadChannel;
import org.apache.arrow.vector.ipc.message.ArrowBlock;

/**
 * A model's output file, each batch checked ({@link UntrustedArrow}) before anyone reads it: the
 * file comes from the model's process, which runs the user's code.
 */
final class CheckedOutputReader extends ArrowFileReader {
  CheckedOutputReader(SeekableByteChannel channel, BufferAllocator allocator) {
    super(new SeekableReadChannel(channel), allocator);
  }

  @Override
  public boolean loadNextBatch() throws IOException {
    boolean loaded = super.loadNextBatch();
    if (loaded) {
      check();
    }
    return loaded;
  }

  @Override
  public boolean loadRecordBatch(ArrowBlock block) throws IOException {
    boolean loaded = super.loadRecordBatch(block);
    if (loaded) {
      check();
    }
    return loaded;
  }

  private void check() throws IOException {
    checkLoaded(this);
  }

  /** The batch {@code output} has just loaded, checked ({@link UntrustedArrow}); a refusal as the reader's I/O error. */
  static void checkLoaded(ArrowReader output) throws IOException {
    try {
      UntrustedArrow.check(output.getVectorSchemaRoot(), output, "the model's output");
    } catch (EngineException e) {
      throw new IOException(e.getMessage(), e);
    }
  }
}
