import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Properties;

/**
 * Loads the driver jar in a class loader of its own, as DBeaver and other tools load drivers
 * (not on the JVM's class path), connects and runs a query. Run by ShadedJarIT in a JVM without
 * flags: java IsolatedLoaderClient.java JAR URL.
 */
public class IsolatedLoaderClient {
  public static void main(String[] args) throws Exception {
    URL jar = Path.of(args[0]).toUri().toURL();
    try (URLClassLoader loader = new URLClassLoader(new URL[] {jar}, ClassLoader.getPlatformClassLoader())) {
      Driver driver = (Driver) loader.loadClass("dev.tarn.jdbc.TarnDriver").getDeclaredConstructor().newInstance();
      try (Connection c = driver.connect(args[1], new Properties()); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT 40 + 2 AS answer")) {
        rs.next();
        System.out.println("answer=" + rs.getInt(1));
      }
    }
  }
}
