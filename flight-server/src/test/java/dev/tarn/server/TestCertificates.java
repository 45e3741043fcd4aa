package dev.tarn.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.server.ServerConfig.TlsFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Self-signed certificates for servers on loopback, made by openssl. */
final class TestCertificates {
  private TestCertificates() {}

  /** A certificate for localhost and 127.0.0.1, valid for a day, and its key, in {@code dir}. */
  static TlsFiles selfSigned(Path dir) throws IOException, InterruptedException {
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
        "-keyout", key.toString(), "-out", cert.toString(), "-days", "1", "-subj", "/CN=localhost",
        "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost")
        .redirectErrorStream(true).start();
    assertTrue(openssl.waitFor(60, TimeUnit.SECONDS) && openssl.exitValue() == 0,
        "openssl could not make a test certificate: " + new String(openssl.getInputStream().readAllBytes()));
    return new TlsFiles(cert, key);
  }
}
