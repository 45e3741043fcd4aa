package dev.tarn.catalog.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.catalog.CatalogException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Connecting to a Nessie server: addresses and the error when nobody answers. No server needed. */
class NessieServerConnectTest {
  @TempDir Path warehouse;

  @Test
  void unreachableServerSaysWhatToDo() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort(); // free once closed: nobody listens there
    }
    URI uri = URI.create("http://127.0.0.1:" + port + "/api/v2");
    CatalogException e = assertThrows(CatalogException.class,
        () -> NessieServerBranchCatalog.connect(uri, warehouse));
    assertEquals("cannot reach the Nessie server at " + uri + ": connection refused; is it"
        + " running? start it or leave --catalog-uri out for the embedded catalog", e.getMessage());
  }

  @Test
  void apiAddresses() {
    assertEquals(URI.create("http://h:19120/api/v2"),
        NessieServerBranchCatalog.apiV2(URI.create("http://h:19120")));
    assertEquals(URI.create("http://h:19120/api/v2"),
        NessieServerBranchCatalog.apiV2(URI.create("http://h:19120/")));
    assertEquals(URI.create("https://h/nessie/api/v2"),
        NessieServerBranchCatalog.apiV2(URI.create("https://h/nessie/api/v2")));
    CatalogException v1 = assertThrows(CatalogException.class,
        () -> NessieServerBranchCatalog.apiV2(URI.create("http://h:19120/api/v1")));
    assertTrue(v1.getMessage().contains("http://h:19120/api/v2"), v1.getMessage());
    assertThrows(CatalogException.class,
        () -> NessieServerBranchCatalog.apiV2(URI.create("ftp://h/api/v2")));
  }
}
