package dev.tarn.executor.python;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A read-only channel over a memory-mapped file (up to 2 GiB), for Arrow's file reader. */
final class MappedReadChannel implements SeekableByteChannel {
  private MappedByteBuffer map;

  private MappedReadChannel(MappedByteBuffer map) {
    this.map = map;
  }

  /** Maps {@code file}; files over 2 GiB are read through a plain {@link FileChannel} instead. */
  static SeekableByteChannel open(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      if (channel.size() <= Integer.MAX_VALUE) {
        return new MappedReadChannel(channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size()));
      }
    }
    return FileChannel.open(file, StandardOpenOption.READ);
  }

  private MappedByteBuffer map() throws ClosedChannelException {
    if (map == null) {
      throw new ClosedChannelException();
    }
    return map;
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    MappedByteBuffer source = map();
    if (!source.hasRemaining()) {
      return -1;
    }
    int n = Math.min(dst.remaining(), source.remaining());
    dst.put(dst.position(), source, source.position(), n);
    dst.position(dst.position() + n);
    source.position(source.position() + n);
    return n;
  }

  @Override
  public int write(ByteBuffer src) {
    throw new NonWritableChannelException();
  }

  @Override
  public long position() throws IOException {
    return map().position();
  }

  @Override
  public SeekableByteChannel position(long newPosition) throws IOException {
    map().position((int) Math.min(newPosition, map().limit()));
    return this;
  }

  @Override
  public long size() throws IOException {
    return map().limit();
  }

  @Override
  public SeekableByteChannel truncate(long size) {
    throw new NonWritableChannelException();
  }

  @Override
  public boolean isOpen() {
    return map != null;
  }

  @Override
  public void close() {
    map = null; // unmapped when collected
  }
}
