package dev.tarn.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class TarnUrlTest {
  @Test
  void defaultsArePlainOnLoopbackAndTlsElsewhere() throws SQLException {
    TarnUrl local = TarnUrl.parse("jdbc:tarn://localhost", null);
    assertEquals(new TarnUrl("localhost", 31337, Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), false, Optional.empty(), Optional.empty(), true), local);
    assertFalse(TarnUrl.parse("jdbc:tarn://127.0.0.5:9/", null).tls());
    assertFalse(TarnUrl.parse("jdbc:tarn://[::1]:9", null).tls());
    assertTrue(TarnUrl.parse("jdbc:tarn://tarn.example.com", null).tls());
    assertFalse(TarnUrl.parse("jdbc:tarn://tarn.example.com?tls=false", null).tls());
    assertTrue(TarnUrl.parse("jdbc:tarn://localhost?tls=true", null).tls());
  }

  @Test
  void branchUserAndOptionsFromTheUrlAndProperties() throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", "from-properties");
    properties.setProperty("password", "p");
    properties.setProperty("someToolsOwnKey", "ignored");
    TarnUrl url = TarnUrl.parse("jdbc:tarn://h:1234/feature%2Fx?user=ana&schema=sales", properties);
    assertEquals("h", url.host());
    assertEquals(1234, url.port());
    assertEquals(Optional.of("feature/x"), url.branch());
    assertEquals(Optional.of("ana"), url.user(), "the URL wins over a property");
    assertEquals(Optional.of("p"), url.password());
    assertEquals(Optional.of("sales"), url.schema());
    assertEquals("jdbc:tarn://h:1234/feature/x", url.display());
  }

  @Test
  void malformedUrlsNameTheProblem() {
    assertTrue(assertThrows(SQLException.class, () -> TarnUrl.parse("jdbc:tarn://h:x", null)).getMessage()
        .contains("'x'"));
    assertTrue(assertThrows(SQLException.class, () -> TarnUrl.parse("jdbc:tarn://?user=a", null)).getMessage()
        .contains("no host"));
    assertTrue(assertThrows(SQLException.class, () -> TarnUrl.parse("jdbc:tarn://h?tls=maybe", null)).getMessage()
        .contains("maybe"));
    assertFalse(TarnUrl.accepts("jdbc:arrow-flight-sql://h"));
  }

  @Test
  void onlyLoopbackAddressesGoWithoutTlsNotNamesThatLookLikeThem() throws SQLException {
    assertTrue(TarnUrl.parse("jdbc:tarn://127.example.net:31337/", null).tls());
    assertTrue(TarnUrl.parse("jdbc:tarn://127.0.0.1.nip.io:443/", null).tls());
    assertFalse(TarnUrl.parse("jdbc:tarn://127.1.2.3/", null).tls());
  }

  @Test
  void passwordsAreTakenExactlyAndNeverRepeatedInErrors() throws SQLException {
    assertEquals(Optional.of("a+b c&d"), TarnUrl.parse("jdbc:tarn://h?password=a+b%20c%26d", null).password());
    SQLException malformed = assertThrows(SQLException.class,
        () -> TarnUrl.parse("jdbc:tarn://h?password=100%zz", null));
    assertTrue(malformed.getMessage().contains("the value of password") && !malformed.getMessage().contains("zz"),
        malformed.getMessage());
    for (String url : new String[] {"jdbc:tarn://h:notaport?password=hunter2", "jdbc:tarn://ana:hunter2@h:1/",
        "jdbc:tarn://:1?token=hunter2"}) {
      SQLException refused = assertThrows(SQLException.class, () -> TarnUrl.parse(url, null));
      assertFalse(refused.getMessage().contains("hunter2"), refused.getMessage());
    }
  }
}
