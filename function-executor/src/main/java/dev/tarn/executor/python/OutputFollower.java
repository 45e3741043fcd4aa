package dev.tarn.executor.python;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Follows one output file of a model process as the process writes it, handing complete lines to a
 * {@link ModelOutput}. The process writes to the file, never to a pipe, so a slow listener can
 * never stall the model, and what is handed on is bounded: a line longer than {@link #MAX_LINE_BYTES}
 * is cut with a note, and after {@link #MAX_LINES} lines (or {@link #MAX_BYTES} bytes) one note says
 * the rest is not followed, and the file is read no further. The file itself keeps everything
 * (the run record keeps its last MiB).
 */
final class OutputFollower implements AutoCloseable {
  static final int MAX_LINE_BYTES = 4096;
  static final int MAX_LINES = 10_000;
  static final long MAX_BYTES = 4L << 20;
  /** How much one poll reads at most: a flood is taken in bounded slices. */
  private static final int READ_BYTES = 64 * 1024;

  private final Path file;
  private final ModelOutput.Stream stream;
  private final ModelOutput output;
  private final ByteBuffer chunk = ByteBuffer.allocate(READ_BYTES);
  private final byte[] line = new byte[MAX_LINE_BYTES];
  private FileChannel channel;
  private int lineLength;
  private boolean lineCut;
  private int linesSent;
  private long bytesSent;
  private boolean stopped;

  OutputFollower(Path file, ModelOutput.Stream stream, ModelOutput output) {
    this.file = file;
    this.stream = stream;
    this.output = output;
  }

  /** Hands on the lines completed since the last poll. */
  void poll() throws IOException {
    if (stopped) {
      return;
    }
    if (channel == null) {
      if (!Files.exists(file)) {
        return;
      }
      channel = FileChannel.open(file, StandardOpenOption.READ);
    }
    // read until the end as it is now, but no more than a few slices per poll
    for (int slice = 0; slice < 16 && !stopped; slice++) {
      chunk.clear();
      int read = channel.read(chunk);
      if (read <= 0) {
        return;
      }
      chunk.flip();
      while (chunk.hasRemaining() && !stopped) {
        accept(chunk.get());
      }
    }
  }

  /** The process ended: hands on what is left, including a last line without a line break. */
  void finish() throws IOException {
    poll();
    if (!stopped && (lineLength > 0 || lineCut)) {
      emit();
    }
    close();
  }

  private void accept(byte b) {
    if (b == '\n') {
      emit();
      return;
    }
    if (lineLength < MAX_LINE_BYTES) {
      line[lineLength++] = b;
    } else {
      lineCut = true;
    }
  }

  private void emit() {
    int length = lineLength > 0 && line[lineLength - 1] == '\r' ? lineLength - 1 : lineLength;
    String text = new String(line, 0, length, StandardCharsets.UTF_8);
    if (lineCut) {
      text += " [… line cut at " + MAX_LINE_BYTES + " bytes]";
    }
    lineLength = 0;
    lineCut = false;
    if (linesSent >= MAX_LINES || bytesSent >= MAX_BYTES) {
      stopped = true;
      output.line(stream, "[… " + stream.label() + " is followed for " + MAX_LINES + " lines or "
          + (MAX_BYTES >> 20) + " MiB; the rest is not shown live, and the run record keeps its last MiB]");
      return;
    }
    linesSent++;
    bytesSent += length;
    output.line(stream, text);
  }

  @Override
  public void close() throws IOException {
    if (channel != null) {
      channel.close();
      channel = null;
    }
  }
}
