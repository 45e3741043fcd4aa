"""Limits are explicit: bound parameter uploads (ADBC executemany) past the server's limits are
refused while they are read, with an error naming the limit and its flag, and the connection keeps
serving."""
import uuid

import adbc_driver_flightsql.dbapi as flight_sql
import pyarrow as pa
import pytest

from conftest import running_tarn

MAX_ROWS = 50


@pytest.fixture(scope="module")
def small_limits():
    with running_tarn("--max-parameter-mb", "1", "--max-parameter-rows", str(MAX_ROWS)) as uri:
        yield uri


@pytest.fixture()
def cur(small_limits):
    with flight_sql.connect(small_limits, db_kwargs={"adbc.flight.sql.rpc.with_cookie_middleware": "true"},
                            autocommit=True) as connection, connection.cursor() as cursor:
        yield cursor


def count(cur, table):
    cur.execute(f"SELECT count(*) FROM {table}")
    return cur.fetchone()[0]


def new_table(cur, columns):
    table = f"lim_{uuid.uuid4().hex[:8]}"
    cur.execute(f"CREATE TABLE {table} ({columns})")
    return table


def test_rows_past_the_row_limit_are_refused_naming_the_flag(cur):
    table = new_table(cur, "i BIGINT")
    with pytest.raises(flight_sql.Error, match=rf"limit of {MAX_ROWS} rows per upload \(--max-parameter-rows\)"):
        cur.executemany(f"INSERT INTO {table} VALUES (?)", [(i,) for i in range(MAX_ROWS + 1)])
    assert count(cur, table) == 0, "no row of a refused upload runs"
    cur.executemany(f"INSERT INTO {table} VALUES (?)", [(1,), (2,), (3,)])
    assert count(cur, table) == 3


def test_bytes_past_the_data_limit_are_refused_naming_the_flag(cur):
    table = new_table(cur, "s VARCHAR")
    big = "é" * 300_000  # 600 KB of UTF-8 a row; two rows pass 1 MiB
    with pytest.raises(flight_sql.Error, match=r"limit of 1 MiB of parameter data per upload \(--max-parameter-mb\)"):
        cur.executemany(f"INSERT INTO {table} VALUES (?)", [(big,), (big,), (big,)])
    assert count(cur, table) == 0
    cur.executemany(f"INSERT INTO {table} VALUES (?)", [(big,)])
    cur.execute(f"SELECT length(s) FROM {table}")
    assert cur.fetchall() == [(300_000,)]


def test_a_large_upload_is_refused_and_the_server_keeps_serving(cur, small_limits):
    table = new_table(cur, "b BLOB")
    # 64 batches of 1 MiB: far past the limit; the server stops keeping rows at the first one past it
    chunk = pa.record_batch([pa.array([b"x" * (1 << 20)], pa.binary())], names=["b"])
    upload = pa.Table.from_batches([chunk] * 64)
    with pytest.raises(flight_sql.Error, match=r"--max-parameter-mb"):
        cur.executemany(f"INSERT INTO {table} VALUES (?)", upload)
    cur.execute("SELECT 42")
    assert cur.fetchone() == (42,)
    with flight_sql.connect(small_limits, db_kwargs={"adbc.flight.sql.rpc.with_cookie_middleware": "true"}) as other, \
            other.cursor() as fresh:
        fresh.execute(f"SELECT count(*) FROM {table}")
        assert fresh.fetchone() == (0,)


def test_a_query_bound_past_the_limit_is_refused(cur):
    big = "x" * (2 << 20)
    with pytest.raises(flight_sql.Error, match=r"--max-parameter-mb"):
        cur.execute("SELECT length(?)", (big,))
    cur.execute("SELECT length(?)", ("x" * 1000,))
    assert cur.fetchone() == (1000,)
