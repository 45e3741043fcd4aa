package dev.tarn.catalog.iceberg;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.OutputFile;

/**
 * Remembers every file created through it, so that a commit attempt that does not land can
 * delete the manifests and metadata files it wrote (nothing else references them).
 */
public final class TrackingFileIO implements FileIO {
  private static final long serialVersionUID = 1L;
  private final FileIO delegate;
  private final transient List<String> created = new ArrayList<>();

  public TrackingFileIO(FileIO delegate) {
    this.delegate = delegate;
  }

  @Override
  public InputFile newInputFile(String path) {
    return delegate.newInputFile(path);
  }

  @Override
  public InputFile newInputFile(String path, long length) {
    return delegate.newInputFile(path, length);
  }

  @Override
  public OutputFile newOutputFile(String path) {
    synchronized (created) {
      created.add(path);
    }
    return delegate.newOutputFile(path);
  }

  @Override
  public void deleteFile(String path) {
    delegate.deleteFile(path);
  }

  @Override
  public Map<String, String> properties() {
    return delegate.properties();
  }

  /** Deletes every file created through this FileIO, ignoring failures. */
  public void deleteCreated() {
    List<String> files;
    synchronized (created) {
      files = new ArrayList<>(created);
      created.clear();
    }
    for (String f : files) {
      try {
        delegate.deleteFile(f);
      } catch (RuntimeException e) {
        // an orphan file is harmless: no commit references it
      }
    }
  }
}
