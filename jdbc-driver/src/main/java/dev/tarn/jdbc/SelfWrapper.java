package dev.tarn.jdbc;

import java.sql.SQLException;
import java.sql.Wrapper;

/** {@link Wrapper} for the driver's objects, which wrap nothing: each unwraps only to what it is itself. */
interface SelfWrapper extends Wrapper {
  @Override
  default <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    throw new SQLException("not a wrapper for " + iface.getName(), "HY000");
  }

  @Override
  default boolean isWrapperFor(Class<?> iface) {
    return iface.isInstance(this);
  }
}
