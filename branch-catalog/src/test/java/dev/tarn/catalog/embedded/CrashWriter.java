package dev.tarn.catalog.embedded;

import dev.tarn.catalog.BranchCatalog;
import dev.tarn.catalog.ChangeSet;
import dev.tarn.catalog.CommitInfo;
import dev.tarn.catalog.DataFileSpec;
import dev.tarn.catalog.TableId;
import java.nio.file.Path;
import java.util.UUID;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Types;

/**
 * Child process of {@link EmbeddedCrashTest}: commits appends forever on the warehouse given as
 * the first argument, printing {@code ACK <hash>} after each acknowledged commit, until killed.
 */
public final class CrashWriter {
  static final TableId TABLE = TableId.of("public", "inserts");

  private CrashWriter() {}

  public static void main(String[] args) {
    EmbeddedBranchCatalog catalog = EmbeddedBranchCatalog.open(Path.of(args[0]));
    if (catalog.findTable(dev.tarn.catalog.At.branch(BranchCatalog.DEFAULT_BRANCH), TABLE)
        .isEmpty()) {
      catalog.commit(ChangeSet.on(BranchCatalog.DEFAULT_BRANCH).message("CREATE TABLE")
          .author("crash").createTable(TABLE, new Schema(
              Types.NestedField.required(1, "id", Types.LongType.get()))));
    }
    System.out.println("READY");
    System.out.flush();
    while (true) {
      CommitInfo c = catalog.commit(ChangeSet.on(BranchCatalog.DEFAULT_BRANCH)
          .message("INSERT").author("crash")
          .appendFiles(TABLE, DataFileSpec.parquet(
              catalog.warehouseLocation() + "/data/" + UUID.randomUUID() + ".parquet", 10, 1)));
      System.out.println("ACK " + c.hash());
      System.out.flush();
    }
  }
}
