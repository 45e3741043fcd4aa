package dev.tarn.jdbc;

import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLType;
import java.sql.SQLXML;
import java.sql.Time;
import java.sql.Timestamp;
import java.net.URL;
import java.util.Calendar;
import java.util.Map;

/**
 * What a streamed, read-only, forward-only result cannot do: update rows, move backwards or jump,
 * or hand out LOB locators. Each such call fails naming the method; {@link TarnResultSet} holds
 * everything a result can do.
 */
abstract class ReadOnlyResultSet implements ResultSet {
  static SQLFeatureNotSupportedException unsupported(String method) {
    return new SQLFeatureNotSupportedException(method + " is not supported: Tarn results are read-only and"
        + " forward-only", "0A000");
  }

  @Override
  public boolean absolute(int p0) throws SQLException {
    throw unsupported("ResultSet.absolute");
  }

  @Override
  public void afterLast() throws SQLException {
    throw unsupported("ResultSet.afterLast");
  }

  @Override
  public void beforeFirst() throws SQLException {
    throw unsupported("ResultSet.beforeFirst");
  }

  @Override
  public void cancelRowUpdates() throws SQLException {
    throw unsupported("ResultSet.cancelRowUpdates");
  }

  @Override
  public void deleteRow() throws SQLException {
    throw unsupported("ResultSet.deleteRow");
  }

  @Override
  public boolean first() throws SQLException {
    throw unsupported("ResultSet.first");
  }

  @Override
  public Blob getBlob(String p0) throws SQLException {
    throw unsupported("ResultSet.getBlob");
  }

  @Override
  public Blob getBlob(int p0) throws SQLException {
    throw unsupported("ResultSet.getBlob");
  }

  @Override
  public Clob getClob(String p0) throws SQLException {
    throw unsupported("ResultSet.getClob");
  }

  @Override
  public Clob getClob(int p0) throws SQLException {
    throw unsupported("ResultSet.getClob");
  }

  @Override
  public String getCursorName() throws SQLException {
    throw unsupported("ResultSet.getCursorName");
  }

  @Override
  public NClob getNClob(String p0) throws SQLException {
    throw unsupported("ResultSet.getNClob");
  }

  @Override
  public NClob getNClob(int p0) throws SQLException {
    throw unsupported("ResultSet.getNClob");
  }

  @Override
  public Ref getRef(String p0) throws SQLException {
    throw unsupported("ResultSet.getRef");
  }

  @Override
  public Ref getRef(int p0) throws SQLException {
    throw unsupported("ResultSet.getRef");
  }

  @Override
  public RowId getRowId(String p0) throws SQLException {
    throw unsupported("ResultSet.getRowId");
  }

  @Override
  public RowId getRowId(int p0) throws SQLException {
    throw unsupported("ResultSet.getRowId");
  }

  @Override
  public SQLXML getSQLXML(String p0) throws SQLException {
    throw unsupported("ResultSet.getSQLXML");
  }

  @Override
  public SQLXML getSQLXML(int p0) throws SQLException {
    throw unsupported("ResultSet.getSQLXML");
  }

  @Override
  public URL getURL(String p0) throws SQLException {
    throw unsupported("ResultSet.getURL");
  }

  @Override
  public URL getURL(int p0) throws SQLException {
    throw unsupported("ResultSet.getURL");
  }

  @Override
  public InputStream getUnicodeStream(String p0) throws SQLException {
    throw unsupported("ResultSet.getUnicodeStream");
  }

  @Override
  public InputStream getUnicodeStream(int p0) throws SQLException {
    throw unsupported("ResultSet.getUnicodeStream");
  }

  @Override
  public void insertRow() throws SQLException {
    throw unsupported("ResultSet.insertRow");
  }

  @Override
  public boolean isLast() throws SQLException {
    throw unsupported("ResultSet.isLast");
  }

  @Override
  public boolean last() throws SQLException {
    throw unsupported("ResultSet.last");
  }

  @Override
  public void moveToCurrentRow() throws SQLException {
    throw unsupported("ResultSet.moveToCurrentRow");
  }

  @Override
  public void moveToInsertRow() throws SQLException {
    throw unsupported("ResultSet.moveToInsertRow");
  }

  @Override
  public boolean previous() throws SQLException {
    throw unsupported("ResultSet.previous");
  }

  @Override
  public void refreshRow() throws SQLException {
    throw unsupported("ResultSet.refreshRow");
  }

  @Override
  public boolean relative(int p0) throws SQLException {
    throw unsupported("ResultSet.relative");
  }

  @Override
  public boolean rowDeleted() throws SQLException {
    throw unsupported("ResultSet.rowDeleted");
  }

  @Override
  public boolean rowInserted() throws SQLException {
    throw unsupported("ResultSet.rowInserted");
  }

  @Override
  public boolean rowUpdated() throws SQLException {
    throw unsupported("ResultSet.rowUpdated");
  }

  @Override
  public void updateArray(String p0, Array p1) throws SQLException {
    throw unsupported("ResultSet.updateArray");
  }

  @Override
  public void updateArray(int p0, Array p1) throws SQLException {
    throw unsupported("ResultSet.updateArray");
  }

  @Override
  public void updateAsciiStream(String p0, InputStream p1, int p2) throws SQLException {
    throw unsupported("ResultSet.updateAsciiStream");
  }

  @Override
  public void updateAsciiStream(String p0, InputStream p1, long p2) throws SQLException {
    throw unsupported("ResultSet.updateAsciiStream");
  }

  @Override
  public void updateAsciiStream(String p0, InputStream p1) throws SQLException {
    throw unsupported("ResultSet.updateAsciiStream");
  }

  @Override
  public void updateAsciiStream(int p0, InputStream p1, int p2) throws SQLException {
    throw unsupported("ResultSet.updateAsciiStream");
  }

  @Override
  public void updateAsciiStream(int p0, InputStream p1, long p2) throws SQLException {
    throw unsupported("ResultSet.updateAsciiStream");
  }

  @Override
  public void updateAsciiStream(int p0, InputStream p1) throws SQLException {
    throw unsupported("ResultSet.updateAsciiStream");
  }

  @Override
  public void updateBigDecimal(String p0, BigDecimal p1) throws SQLException {
    throw unsupported("ResultSet.updateBigDecimal");
  }

  @Override
  public void updateBigDecimal(int p0, BigDecimal p1) throws SQLException {
    throw unsupported("ResultSet.updateBigDecimal");
  }

  @Override
  public void updateBinaryStream(String p0, InputStream p1, int p2) throws SQLException {
    throw unsupported("ResultSet.updateBinaryStream");
  }

  @Override
  public void updateBinaryStream(String p0, InputStream p1, long p2) throws SQLException {
    throw unsupported("ResultSet.updateBinaryStream");
  }

  @Override
  public void updateBinaryStream(String p0, InputStream p1) throws SQLException {
    throw unsupported("ResultSet.updateBinaryStream");
  }

  @Override
  public void updateBinaryStream(int p0, InputStream p1, int p2) throws SQLException {
    throw unsupported("ResultSet.updateBinaryStream");
  }

  @Override
  public void updateBinaryStream(int p0, InputStream p1, long p2) throws SQLException {
    throw unsupported("ResultSet.updateBinaryStream");
  }

  @Override
  public void updateBinaryStream(int p0, InputStream p1) throws SQLException {
    throw unsupported("ResultSet.updateBinaryStream");
  }

  @Override
  public void updateBlob(String p0, InputStream p1, long p2) throws SQLException {
    throw unsupported("ResultSet.updateBlob");
  }

  @Override
  public void updateBlob(String p0, InputStream p1) throws SQLException {
    throw unsupported("ResultSet.updateBlob");
  }

  @Override
  public void updateBlob(String p0, Blob p1) throws SQLException {
    throw unsupported("ResultSet.updateBlob");
  }

  @Override
  public void updateBlob(int p0, InputStream p1, long p2) throws SQLException {
    throw unsupported("ResultSet.updateBlob");
  }

  @Override
  public void updateBlob(int p0, InputStream p1) throws SQLException {
    throw unsupported("ResultSet.updateBlob");
  }

  @Override
  public void updateBlob(int p0, Blob p1) throws SQLException {
    throw unsupported("ResultSet.updateBlob");
  }

  @Override
  public void updateBoolean(String p0, boolean p1) throws SQLException {
    throw unsupported("ResultSet.updateBoolean");
  }

  @Override
  public void updateBoolean(int p0, boolean p1) throws SQLException {
    throw unsupported("ResultSet.updateBoolean");
  }

  @Override
  public void updateByte(String p0, byte p1) throws SQLException {
    throw unsupported("ResultSet.updateByte");
  }

  @Override
  public void updateByte(int p0, byte p1) throws SQLException {
    throw unsupported("ResultSet.updateByte");
  }

  @Override
  public void updateBytes(String p0, byte[] p1) throws SQLException {
    throw unsupported("ResultSet.updateBytes");
  }

  @Override
  public void updateBytes(int p0, byte[] p1) throws SQLException {
    throw unsupported("ResultSet.updateBytes");
  }

  @Override
  public void updateCharacterStream(String p0, Reader p1, int p2) throws SQLException {
    throw unsupported("ResultSet.updateCharacterStream");
  }

  @Override
  public void updateCharacterStream(String p0, Reader p1, long p2) throws SQLException {
    throw unsupported("ResultSet.updateCharacterStream");
  }

  @Override
  public void updateCharacterStream(String p0, Reader p1) throws SQLException {
    throw unsupported("ResultSet.updateCharacterStream");
  }

  @Override
  public void updateCharacterStream(int p0, Reader p1, int p2) throws SQLException {
    throw unsupported("ResultSet.updateCharacterStream");
  }

  @Override
  public void updateCharacterStream(int p0, Reader p1, long p2) throws SQLException {
    throw unsupported("ResultSet.updateCharacterStream");
  }

  @Override
  public void updateCharacterStream(int p0, Reader p1) throws SQLException {
    throw unsupported("ResultSet.updateCharacterStream");
  }

  @Override
  public void updateClob(String p0, Reader p1, long p2) throws SQLException {
    throw unsupported("ResultSet.updateClob");
  }

  @Override
  public void updateClob(String p0, Reader p1) throws SQLException {
    throw unsupported("ResultSet.updateClob");
  }

  @Override
  public void updateClob(String p0, Clob p1) throws SQLException {
    throw unsupported("ResultSet.updateClob");
  }

  @Override
  public void updateClob(int p0, Reader p1, long p2) throws SQLException {
    throw unsupported("ResultSet.updateClob");
  }

  @Override
  public void updateClob(int p0, Reader p1) throws SQLException {
    throw unsupported("ResultSet.updateClob");
  }

  @Override
  public void updateClob(int p0, Clob p1) throws SQLException {
    throw unsupported("ResultSet.updateClob");
  }

  @Override
  public void updateDate(String p0, Date p1) throws SQLException {
    throw unsupported("ResultSet.updateDate");
  }

  @Override
  public void updateDate(int p0, Date p1) throws SQLException {
    throw unsupported("ResultSet.updateDate");
  }

  @Override
  public void updateDouble(String p0, double p1) throws SQLException {
    throw unsupported("ResultSet.updateDouble");
  }

  @Override
  public void updateDouble(int p0, double p1) throws SQLException {
    throw unsupported("ResultSet.updateDouble");
  }

  @Override
  public void updateFloat(String p0, float p1) throws SQLException {
    throw unsupported("ResultSet.updateFloat");
  }

  @Override
  public void updateFloat(int p0, float p1) throws SQLException {
    throw unsupported("ResultSet.updateFloat");
  }

  @Override
  public void updateInt(String p0, int p1) throws SQLException {
    throw unsupported("ResultSet.updateInt");
  }

  @Override
  public void updateInt(int p0, int p1) throws SQLException {
    throw unsupported("ResultSet.updateInt");
  }

  @Override
  public void updateLong(String p0, long p1) throws SQLException {
    throw unsupported("ResultSet.updateLong");
  }

  @Override
  public void updateLong(int p0, long p1) throws SQLException {
    throw unsupported("ResultSet.updateLong");
  }

  @Override
  public void updateNCharacterStream(String p0, Reader p1, long p2) throws SQLException {
    throw unsupported("ResultSet.updateNCharacterStream");
  }

  @Override
  public void updateNCharacterStream(String p0, Reader p1) throws SQLException {
    throw unsupported("ResultSet.updateNCharacterStream");
  }

  @Override
  public void updateNCharacterStream(int p0, Reader p1, long p2) throws SQLException {
    throw unsupported("ResultSet.updateNCharacterStream");
  }

  @Override
  public void updateNCharacterStream(int p0, Reader p1) throws SQLException {
    throw unsupported("ResultSet.updateNCharacterStream");
  }

  @Override
  public void updateNClob(String p0, Reader p1, long p2) throws SQLException {
    throw unsupported("ResultSet.updateNClob");
  }

  @Override
  public void updateNClob(String p0, Reader p1) throws SQLException {
    throw unsupported("ResultSet.updateNClob");
  }

  @Override
  public void updateNClob(String p0, NClob p1) throws SQLException {
    throw unsupported("ResultSet.updateNClob");
  }

  @Override
  public void updateNClob(int p0, Reader p1, long p2) throws SQLException {
    throw unsupported("ResultSet.updateNClob");
  }

  @Override
  public void updateNClob(int p0, Reader p1) throws SQLException {
    throw unsupported("ResultSet.updateNClob");
  }

  @Override
  public void updateNClob(int p0, NClob p1) throws SQLException {
    throw unsupported("ResultSet.updateNClob");
  }

  @Override
  public void updateNString(String p0, String p1) throws SQLException {
    throw unsupported("ResultSet.updateNString");
  }

  @Override
  public void updateNString(int p0, String p1) throws SQLException {
    throw unsupported("ResultSet.updateNString");
  }

  @Override
  public void updateNull(String p0) throws SQLException {
    throw unsupported("ResultSet.updateNull");
  }

  @Override
  public void updateNull(int p0) throws SQLException {
    throw unsupported("ResultSet.updateNull");
  }

  @Override
  public void updateObject(String p0, Object p1, int p2) throws SQLException {
    throw unsupported("ResultSet.updateObject");
  }

  @Override
  public void updateObject(String p0, Object p1) throws SQLException {
    throw unsupported("ResultSet.updateObject");
  }

  @Override
  public void updateObject(int p0, Object p1, int p2) throws SQLException {
    throw unsupported("ResultSet.updateObject");
  }

  @Override
  public void updateObject(int p0, Object p1) throws SQLException {
    throw unsupported("ResultSet.updateObject");
  }

  @Override
  public void updateRef(String p0, Ref p1) throws SQLException {
    throw unsupported("ResultSet.updateRef");
  }

  @Override
  public void updateRef(int p0, Ref p1) throws SQLException {
    throw unsupported("ResultSet.updateRef");
  }

  @Override
  public void updateRow() throws SQLException {
    throw unsupported("ResultSet.updateRow");
  }

  @Override
  public void updateRowId(String p0, RowId p1) throws SQLException {
    throw unsupported("ResultSet.updateRowId");
  }

  @Override
  public void updateRowId(int p0, RowId p1) throws SQLException {
    throw unsupported("ResultSet.updateRowId");
  }

  @Override
  public void updateSQLXML(String p0, SQLXML p1) throws SQLException {
    throw unsupported("ResultSet.updateSQLXML");
  }

  @Override
  public void updateSQLXML(int p0, SQLXML p1) throws SQLException {
    throw unsupported("ResultSet.updateSQLXML");
  }

  @Override
  public void updateShort(String p0, short p1) throws SQLException {
    throw unsupported("ResultSet.updateShort");
  }

  @Override
  public void updateShort(int p0, short p1) throws SQLException {
    throw unsupported("ResultSet.updateShort");
  }

  @Override
  public void updateString(String p0, String p1) throws SQLException {
    throw unsupported("ResultSet.updateString");
  }

  @Override
  public void updateString(int p0, String p1) throws SQLException {
    throw unsupported("ResultSet.updateString");
  }

  @Override
  public void updateTime(String p0, Time p1) throws SQLException {
    throw unsupported("ResultSet.updateTime");
  }

  @Override
  public void updateTime(int p0, Time p1) throws SQLException {
    throw unsupported("ResultSet.updateTime");
  }

  @Override
  public void updateTimestamp(String p0, Timestamp p1) throws SQLException {
    throw unsupported("ResultSet.updateTimestamp");
  }

  @Override
  public void updateTimestamp(int p0, Timestamp p1) throws SQLException {
    throw unsupported("ResultSet.updateTimestamp");
  }
}
