package dev.tarn.jdbc;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * The Tarn JDBC driver: {@code jdbc:tarn://host[:port][/branch][?user=&password=&token=&tls=&schema=]}.
 * Registered through {@code META-INF/services/java.sql.Driver}; needs no JVM flags.
 */
public final class TarnDriver implements Driver {
  static final String NAME = "Tarn JDBC driver";
  static final int MAJOR = 0;
  static final int MINOR = 1;
  static final String VERSION = MAJOR + "." + MINOR + ".0";

  static {
    try {
      DriverManager.registerDriver(new TarnDriver());
    } catch (SQLException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Null for a URL of another driver, as DriverManager expects. */
  @Override
  public Connection connect(String url, Properties info) throws SQLException {
    if (!acceptsURL(url)) {
      return null;
    }
    return TarnConnection.open(TarnUrl.parse(url, info));
  }

  @Override
  public boolean acceptsURL(String url) {
    return TarnUrl.accepts(url);
  }

  @Override
  public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
    Properties given = info == null ? new Properties() : info;
    return new DriverPropertyInfo[] {
        property("user", given, false, "user name for a server with logins"),
        property("password", given, false, "the user's password"),
        property("token", given, false, "an access token instead of user and password"),
        property("tls", given, false, "true or false; default: plain on loopback, TLS elsewhere"),
        property("branch", given, false, "the branch or tag to start on (also the URL's path)"),
        property("schema", given, false, "the schema to start in"),
        property("trustedCertificates", given, false, "a PEM file of certificates to trust (self-signed servers)"),
        property("verifyServer", given, false, "false skips checking the server's certificate (tests only)")};
  }

  private static DriverPropertyInfo property(String name, Properties given, boolean required, String description) {
    DriverPropertyInfo property = new DriverPropertyInfo(name, given.getProperty(name));
    property.required = required;
    property.description = description;
    if (name.equals("tls") || name.equals("verifyServer")) {
      property.choices = new String[] {"true", "false"};
    }
    return property;
  }

  @Override
  public int getMajorVersion() {
    return MAJOR;
  }

  @Override
  public int getMinorVersion() {
    return MINOR;
  }

  @Override
  public boolean jdbcCompliant() {
    return false; // no stored procedures, savepoints or updatable results
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException("the Tarn driver does not log through java.util.logging", "0A000");
  }
}
