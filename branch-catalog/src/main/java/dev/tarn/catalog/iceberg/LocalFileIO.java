package dev.tarn.catalog.iceberg;

import dev.tarn.catalog.storage.DurableFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.SupportsPrefixOperations;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.io.PositionOutputStream;
import org.apache.iceberg.io.SeekableInputStream;

/**
 * Iceberg {@link FileIO} over the local file system through java.nio, without Hadoop. Locations
 * are absolute paths or {@code file:} URIs. Files are created exclusively ({@link
 * OutputFile#create()} fails if the file exists). On close a file is forced to disk together with
 * its name (the folder entry), and new folders are forced into their parents when created
 * ({@link DurableFiles}): a metadata file or manifest the catalog commits survives a power loss
 * from the moment the commit that names it is made.
 */
public class LocalFileIO implements SupportsPrefixOperations {
  private static final long serialVersionUID = 1L;

  @Override
  public void initialize(Map<String, String> properties) {}

  /**
   * The regular files under the folder {@code prefix}, with their sizes and last modification times
   * (files are written once, so that is when they were written). Symbolic links are neither listed
   * nor followed, and a file that vanishes during the walk is skipped.
   */
  @Override
  public Iterable<FileInfo> listPrefix(String prefix) {
    Path root = toPath(prefix);
    java.util.List<FileInfo> out = new java.util.ArrayList<>();
    if (!Files.isDirectory(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return out;
    }
    try {
      Files.walkFileTree(root, new java.nio.file.SimpleFileVisitor<>() {
        @Override
        public java.nio.file.FileVisitResult visitFile(Path file, java.nio.file.attribute.BasicFileAttributes a) {
          if (a.isRegularFile()) {
            out.add(new FileInfo(file.toString(), a.size(), a.lastModifiedTime().toMillis()));
          }
          return java.nio.file.FileVisitResult.CONTINUE;
        }

        @Override
        public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) {
          return java.nio.file.FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the files under " + root, e);
    }
    return out;
  }

  /** Never: housekeeping deletes file by file, each one it decided to. */
  @Override
  public void deletePrefix(String prefix) {
    throw new UnsupportedOperationException("deleting a whole folder is not supported: " + prefix);
  }

  /**
   * The local path a location names, as other engines write them: a path as it is, a {@code file:}
   * URI decoded ({@code file:/a%20b}, {@code file:///a/b}, {@code file://localhost/a/b}); a {@code
   * file:} location that is not a well-formed URI (some writers leave a space in it) is taken as
   * written after the scheme. Only for matching and reading local files; nothing is checked here.
   */
  public static String localPath(String location) {
    if (!location.startsWith("file:")) {
      return location;
    }
    String uri = location.startsWith("file://localhost/")
        ? "file:///" + location.substring("file://localhost/".length()) : location;
    try {
      return Path.of(URI.create(uri)).toString();
    } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException notAUri) {
      return uri.startsWith("file://") ? uri.substring("file://".length()) : uri.substring("file:".length());
    }
  }

  /** The local path of a location: an absolute path or a {@code file:} URI. */
  public static Path toPath(String location) {
    if (location.startsWith("file:")) {
      return Path.of(URI.create(location));
    }
    if (location.contains("://")) {
      throw new IllegalArgumentException(
          "LocalFileIO reads and writes local files only, not " + location);
    }
    return Path.of(location);
  }

  @Override
  public InputFile newInputFile(String location) {
    return new LocalInputFile(location, -1);
  }

  @Override
  public InputFile newInputFile(String location, long length) {
    return new LocalInputFile(location, length);
  }

  @Override
  public OutputFile newOutputFile(String location) {
    return new LocalOutputFile(location);
  }

  @Override
  public void deleteFile(String location) {
    try {
      Files.deleteIfExists(toPath(location));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + location, e);
    }
  }

  static final class LocalInputFile implements InputFile {
    private final String location;
    private final Path path;
    private long length;

    LocalInputFile(String location, long length) {
      this.location = location;
      this.path = toPath(location);
      this.length = length;
    }

    @Override
    public long getLength() {
      if (length < 0) {
        try {
          length = Files.size(path);
        } catch (NoSuchFileException e) {
          throw new NotFoundException(e, "file %s does not exist", location);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return length;
    }

    @Override
    public SeekableInputStream newStream() {
      try {
        return new ChannelInputStream(FileChannel.open(path, StandardOpenOption.READ));
      } catch (NoSuchFileException e) {
        throw new NotFoundException(e, "file %s does not exist", location);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot open " + location, e);
      }
    }

    @Override
    public String location() {
      return location;
    }

    @Override
    public boolean exists() {
      return Files.exists(path);
    }
  }

  static final class LocalOutputFile implements OutputFile {
    private final String location;
    private final Path path;

    LocalOutputFile(String location) {
      this.location = location;
      this.path = toPath(location);
    }

    @Override
    public PositionOutputStream create() {
      return open(StandardOpenOption.CREATE_NEW);
    }

    @Override
    public PositionOutputStream createOrOverwrite() {
      return open(StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
    }

    private PositionOutputStream open(StandardOpenOption... mode) {
      try {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
          DurableFiles.createDirectories(parent);
        }
        StandardOpenOption[] opts = new StandardOpenOption[mode.length + 1];
        System.arraycopy(mode, 0, opts, 0, mode.length);
        opts[mode.length] = StandardOpenOption.WRITE;
        return new ChannelOutputStream(FileChannel.open(path, opts), path, parent);
      } catch (FileAlreadyExistsException e) {
        throw new AlreadyExistsException(e, "file %s already exists", location);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create " + location, e);
      }
    }

    @Override
    public String location() {
      return location;
    }

    @Override
    public InputFile toInputFile() {
      return new LocalInputFile(location, -1);
    }
  }

  static final class ChannelInputStream extends SeekableInputStream {
    private final FileChannel channel;
    private final byte[] one = new byte[1];

    ChannelInputStream(FileChannel channel) {
      this.channel = channel;
    }

    @Override
    public long getPos() throws IOException {
      return channel.position();
    }

    @Override
    public void seek(long newPos) throws IOException {
      channel.position(newPos);
    }

    @Override
    public int read() throws IOException {
      int n = read(one, 0, 1);
      return n <= 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      return channel.read(ByteBuffer.wrap(b, off, len));
    }

    @Override
    public long skip(long n) throws IOException {
      long size = channel.size();
      long pos = channel.position();
      long skipped = Math.max(0, Math.min(n, size - pos));
      channel.position(pos + skipped);
      return skipped;
    }

    @Override
    public int available() throws IOException {
      return (int) Math.min(Integer.MAX_VALUE, channel.size() - channel.position());
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }

  static final class ChannelOutputStream extends PositionOutputStream {
    private final FileChannel channel;
    private final Path file;
    private final Path directory;
    private long pos;
    private boolean closed;

    /**
     * @param file the file written, forced when closed, or with the current thread's {@link
     *     DurableFiles.Deferred} scope
     * @param directory the folder holding the file, forced with the file (null: none)
     */
    ChannelOutputStream(FileChannel channel, Path file, Path directory) {
      this.channel = channel;
      this.file = file;
      this.directory = directory;
    }

    @Override
    public long getPos() {
      return pos;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      ByteBuffer buf = ByteBuffer.wrap(b, off, len);
      while (buf.hasRemaining()) {
        channel.write(buf);
      }
      pos += len;
    }

    @Override
    public void close() throws IOException {
      if (!closed) {
        closed = true;
        DurableFiles.Deferred deferred = DurableFiles.Deferred.current();
        if (deferred != null) {
          channel.close();
          deferred.add(file, directory);
          return;
        }
        try {
          channel.force(true);
        } finally {
          channel.close();
        }
        if (directory != null) {
          DurableFiles.forceDirectory(directory);
        }
      }
    }
  }
}
