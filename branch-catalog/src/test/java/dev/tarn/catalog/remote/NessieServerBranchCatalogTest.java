package dev.tarn.catalog.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tarn.catalog.At;
import dev.tarn.catalog.BranchCatalog;
import dev.tarn.catalog.BranchCatalogTests;
import dev.tarn.catalog.CatalogException;
import dev.tarn.catalog.ChangeSet;
import dev.tarn.catalog.CommitInfo;
import dev.tarn.catalog.TableEntry;
import dev.tarn.catalog.iceberg.LocalFileIO;
import dev.tarn.catalog.nessie.NessieBranchCatalog;
import dev.tarn.catalog.nessie.VersionedStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.iceberg.TableMetadataParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;
import org.projectnessie.client.NessieClientBuilder;
import org.projectnessie.client.api.NessieApiV2;
import org.projectnessie.model.Content;
import org.projectnessie.model.ContentKey;
import org.projectnessie.model.IcebergTable;
import org.projectnessie.model.Namespace;
import dev.tarn.testing.NessieTestServer;

/**
 * The catalog suite against a real Nessie server (the {@code nessie-quarkus} runner, in-memory
 * version store), started once for the class; each test gets an emptied repository and a new
 * client. Skipped, saying why, when no Java 21+ runtime or runner jar is found.
 */
class NessieServerBranchCatalogTest extends BranchCatalogTests {
  private static NessieTestServer server;
  /** Why the server is not there, when it is not. */
  private static String skipped;

  @TempDir Path warehouse;
  private NessieServerBranchCatalog catalog;

  @BeforeAll
  static void startServer() {
    try {
      server = NessieTestServer.start();
    } catch (TestAbortedException e) {
      // Reported per test (surefire shows class-level skips as "Tests run: 0", without a reason)
      skipped = e.getMessage().replaceFirst("^Assumption failed: ", "");
      System.out.println("WARNING: " + skipped);
      return;
    }
    System.out.printf("Nessie server (%s) ready at %s in %d ms; log %s%n",
        server.java(), server.apiV2(), server.startup().toMillis(), server.log());
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
      server = null;
    }
  }

  @BeforeEach
  void connect() {
    assumeTrue(server != null, skipped);
    server.reset();
    catalog = NessieServerBranchCatalog.connect(server.apiV2(), warehouse);
  }

  @AfterEach
  void close() {
    if (catalog != null) {
      catalog.close();
    }
  }

  @Override
  protected BranchCatalog catalog() {
    return catalog;
  }

  /** The server keeps the repository; reopening is connecting a new client to it. */
  @Override
  protected boolean supportsReopen() {
    return true;
  }

  @Override
  protected BranchCatalog reopen() {
    catalog.close();
    catalog = null;
    catalog = NessieServerBranchCatalog.connect(server.apiV2(), warehouse);
    return catalog;
  }

  @Test
  void serverAddresses() {
    URI root = server.apiV2().resolve("/");
    try (NessieServerBranchCatalog c = NessieServerBranchCatalog.connect(root, warehouse)) {
      assertEquals(server.apiV2(), c.serverUri());
      assertEquals(List.of(main()),
          c.listReferences().stream().map(dev.tarn.catalog.Reference::name).toList());
    }
    CatalogException wrong = assertThrows(CatalogException.class,
        () -> NessieServerBranchCatalog.connect(root.resolve("/nope/api/v2"), warehouse));
    assertTrue(wrong.getMessage().contains("does not answer as a Nessie server"),
        wrong.getMessage());
  }

  /**
   * A commit whose answer is lost (the connection broke after the server took it) may have
   * landed: it fails with OutcomeUnknown and leaves its files in place, so that a commit that did
   * land stays readable.
   */
  @Test
  void aCommitWhoseAnswerIsLostKeepsItsFiles() {
    seed(main());
    VersionedStore real = RestVersionedStore.connect(server.apiV2());
    VersionedStore losing = (VersionedStore) Proxy.newProxyInstance(
        getClass().getClassLoader(), new Class<?>[] {VersionedStore.class}, (proxy, m, args) -> {
          Object result;
          try {
            result = m.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
          if (m.getName().equals("commit")) {
            throw new VersionedStore.OutcomeUnknown("lost the answer", null);
          }
          return result;
        });
    try (NessieBranchCatalog c = new NessieBranchCatalog(
        losing, new LocalFileIO(), warehouse.toAbsolutePath().toString())) {
      assertThrows(VersionedStore.OutcomeUnknown.class, () -> c.commit(ChangeSet.on(main())
          .message("INSERT").author("alice").appendFiles(T1, file(7))));
    }
    assertEquals("INSERT", catalog.log(At.branch(main()), 1).get(0).message());
    assertEquals(7, rows(At.branch(main()), T1)); // its metadata and manifests are still there
  }

  /** What other engines see on the server: Nessie's Iceberg representation, files in the warehouse. */
  @Test
  void theServerHoldsIcebergTablesAndNamespaces() throws Exception {
    CommitInfo c = seed(main());
    append(main(), T1, 10);
    TableEntry entry = catalog.findTable(At.branch(main()), T1).orElseThrow();
    try (NessieApiV2 api = NessieClientBuilder.createClientBuilder("HTTP", null)
        .withUri(server.apiV2()).build(NessieApiV2.class)) {
      Content sales = api.getContent().refName("main").key(ContentKey.of("sales")).get()
          .get(ContentKey.of("sales"));
      assertTrue(sales instanceof Namespace, String.valueOf(sales));
      IcebergTable t = (IcebergTable) api.getContent().refName("main")
          .key(ContentKey.of("sales", "transactions")).get()
          .get(ContentKey.of("sales", "transactions"));
      assertEquals(entry.metadataLocation(), t.getMetadataLocation());
      assertTrue(t.getMetadataLocation().startsWith(warehouse.toAbsolutePath().toString()),
          t.getMetadataLocation());
      assertTrue(Files.isRegularFile(Path.of(t.getMetadataLocation())));
      assertEquals(t.getSnapshotId(),
          TableMetadataParser.read(catalog.io(), t.getMetadataLocation()).currentSnapshot()
              .snapshotId());
      assertEquals("seed", api.getCommitLog().refName("main").get().getLogEntries().stream()
          .filter(e -> e.getCommitMeta().getHash().equals(c.hash())).findFirst().orElseThrow()
          .getCommitMeta().getMessage());
      assertEquals(List.of("alice"), api.getCommitLog().refName("main").maxRecords(1).get()
          .getLogEntries().get(0).getCommitMeta().getAllAuthors());
    }
  }
}
