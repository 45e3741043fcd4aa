package dev.tarn.executor.python;

import dev.tarn.executor.DeclaredNullCounts;
import dev.tarn.executor.EngineException;
import dev.tarn.executor.UntrustedArrow;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import org.apache.arrow.flatbuf.Footer;
import org.apache.arrow.flatbuf.Message;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.ForeignAllocation;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.ipc.message.ArrowFooter;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A model's output file read in place: its batches' buffers are slices of the file's memory map, so
 * the rows reach DuckDB without a copy into Java's memory (the output lives in shared memory; 0.1 s
 * less per 10 million rows of B4's table than copying). Each batch is checked ({@link UntrustedArrow})
 * before anyone reads it, and slices outside the file or the batch's body are refused by Arrow's own
 * bounds checks, so a model's mistake (an array built over the wrong buffers) fails its run.
 *
 * <p>The check is of the mapped file, which the model's process could still write afterwards. That
 * gives a model nothing it lacks: models run as the server's operating-system user, without a
 * sandbox (README, "What Tarn does not guarantee yet"). Files with dictionaries or over 2 GiB (the largest map)
 * are read by copy, {@link CheckedOutputReader}.
 */
final class MappedOutputReader extends ArrowReader {
  private static final byte[] MAGIC = "ARROW1".getBytes(StandardCharsets.US_ASCII);
  /** The magic and its padding before the first message; the footer's length and the magic after it. */
  private static final int HEAD = 8;
  private static final int TAIL = 4 + MAGIC.length;

  private final MappedByteBuffer map;
  private final ArrowBuf file;
  private final ArrowFooter footer;
  private final long footerStart;
  private int nextBatch;
  private long bytesRead;
  private boolean closed;

  private MappedOutputReader(BufferAllocator allocator, MappedByteBuffer map, ArrowBuf file, ArrowFooter footer,
      long footerStart) {
    super(allocator);
    this.map = map;
    this.file = file;
    this.footer = footer;
    this.footerStart = footerStart;
  }

  /** The output file at {@code path}, read in place; empty when it must be read by copy instead. */
  static Optional<ArrowReader> open(Path path, BufferAllocator allocator) throws IOException {
    MappedByteBuffer map;
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      if (channel.size() > Integer.MAX_VALUE) {
        return Optional.empty();
      }
      map = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
    }
    map.order(ByteOrder.LITTLE_ENDIAN);
    int size = map.capacity();
    if (size < HEAD + TAIL || !magicAt(map, 0) || !magicAt(map, size - MAGIC.length)) {
      throw invalid("it is not an Arrow file");
    }
    int footerLength = map.getInt(size - TAIL);
    long footerStart = (long) size - TAIL - footerLength;
    if (footerLength <= 0 || footerStart < HEAD) {
      throw invalid("its footer's length " + footerLength + " does not fit in the file");
    }
    ArrowFooter footer;
    try {
      ByteBuffer flatbuffer = map.slice((int) footerStart, footerLength).order(ByteOrder.LITTLE_ENDIAN);
      footer = new ArrowFooter(Footer.getRootAsFooter(flatbuffer));
    } catch (RuntimeException e) {
      throw invalid("its footer cannot be read (" + e + ")");
    }
    if (!footer.getDictionaries().isEmpty()) {
      return Optional.empty();
    }
    ArrowBuf file = allocator.wrapForeignAllocation(new Mapping(map));
    return Optional.of(new MappedOutputReader(allocator, map, file, footer, footerStart));
  }

  /** The map's memory as an Arrow allocation: the map stays reachable until the last slice of it is released. */
  private static final class Mapping extends ForeignAllocation {
    private MappedByteBuffer map;

    Mapping(MappedByteBuffer map) {
      super(map.capacity(), MemoryUtil.getByteBufferAddress(map));
      this.map = map;
    }

    @Override
    protected void release0() {
      map = null; // unmapped when collected
    }
  }

  @Override
  public boolean loadNextBatch() throws IOException {
    prepareLoadNextBatch();
    List<ArrowBlock> blocks = footer.getRecordBatches();
    if (nextBatch >= blocks.size()) {
      return false;
    }
    ArrowBlock block = blocks.get(nextBatch++);
    try (ArrowRecordBatch batch = batchAt(block)) {
      DeclaredNullCounts.check(batch, getVectorSchemaRoot().getSchema(), CheckedOutputReader.WHAT);
      loadRecordBatch(batch);
    } catch (EngineException e) {
      throw new IOException(e.getMessage(), e);
    } catch (RuntimeException e) {
      throw invalid("record batch " + nextBatch + " cannot be read (" + e.getMessage() + ")");
    }
    bytesRead += block.getMetadataLength() + block.getBodyLength();
    CheckedOutputReader.checkLoaded(this);
    return true;
  }

  /** The batch the footer's {@code block} points at, its buffers slices of the file. */
  private ArrowRecordBatch batchAt(ArrowBlock block) throws IOException {
    long metadataEnd = block.getOffset() + block.getMetadataLength();
    if (block.getOffset() < HEAD || block.getMetadataLength() < 8 || block.getBodyLength() < 0
        || metadataEnd + block.getBodyLength() > footerStart) {
      throw invalid("record batch " + nextBatch + " lies outside the file's messages");
    }
    int at = (int) block.getOffset();
    int length = map.getInt(at);
    int flatbuffer = at + 4;
    if (length == -1) { // the continuation marker of IPC since 0.15, then the length
      length = map.getInt(at + 4);
      flatbuffer = at + 8;
    }
    if (length <= 0 || (long) flatbuffer + length > metadataEnd) {
      throw invalid("record batch " + nextBatch + "'s metadata does not fit its block");
    }
    Message message = Message.getRootAsMessage(map.slice(flatbuffer, length).order(ByteOrder.LITTLE_ENDIAN));
    if (message.headerType() != MessageHeader.RecordBatch) {
      throw invalid("block " + nextBatch + " is not a record batch");
    }
    ArrowBuf body = file.slice(metadataEnd, block.getBodyLength());
    body.getReferenceManager().retain(); // the batch's own: deserializing releases the body it is given
    try {
      return MessageSerializer.deserializeRecordBatch(message, body);
    } catch (IOException | RuntimeException e) {
      body.getReferenceManager().release(); // refused before it took the body: a buffer outside it, say
      throw e;
    }
  }

  private static boolean magicAt(ByteBuffer buffer, int at) {
    for (int i = 0; i < MAGIC.length; i++) {
      if (buffer.get(at + i) != MAGIC[i]) {
        return false;
      }
    }
    return true;
  }

  private static IOException invalid(String why) {
    return new IOException("the model's output file is not valid Arrow: " + why);
  }

  @Override
  public long bytesRead() {
    return bytesRead;
  }

  @Override
  protected void closeReadSource() {
    // Closed twice as a rule: by the C stream DuckDB released, then by the model's result
    if (!closed) {
      closed = true;
      file.close();
    }
  }

  @Override
  protected Schema readSchema() {
    return footer.getSchema();
  }
}
