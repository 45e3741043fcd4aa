"""Attacks on the promises of the trust model (security.md) that currently succeed.

Each test states a promise and attacks it through Python ADBC against a real server. They are
marked xfail(strict=True): they document holes that are still open, and fail as soon as a hole
closes, so that whoever closes it removes the mark.
"""
import decimal
import re
import uuid

import adbc_driver_flightsql.dbapi as flight_sql
import pytest

COOKIES = {"adbc.flight.sql.rpc.with_cookie_middleware": "true"}


def connect(uri):
    return flight_sql.connect(uri, db_kwargs=dict(COOKIES), autocommit=True)


def rows(cur, sql, parameters=None):
    if parameters is None:
        cur.execute(sql)
    else:
        cur.execute(sql, parameters)
    return cur.fetchall()


def catalogs(cur):
    return {r[0] for r in rows(cur, "SELECT database_name FROM duckdb_databases()") if r[0].startswith("lake_")}


@pytest.mark.xfail(strict=True, reason="duckdb_databases() names an open transaction's commit, and AT COMMIT"
                   " or CREATE BRANCH ... AT COMMIT resolves it (promise 4)")
def test_open_transaction_is_invisible_to_others(tarn_server):
    table = f"tx_{uuid.uuid4().hex[:8]}"
    with connect(tarn_server) as other, connect(tarn_server) as owner, \
            other.cursor() as spy, owner.cursor() as cur:
        cur.execute(f"CREATE TABLE {table} (s VARCHAR)")
        before = catalogs(spy)
        cur.execute("BEGIN")
        cur.execute(f"INSERT INTO {table} VALUES ('uncommitted')")
        assert rows(cur, f"SELECT * FROM {table}") == [("uncommitted",)]
        seen = []
        for catalog in catalogs(spy) - before:
            try:
                seen += rows(spy, f"SELECT * FROM {table} AT COMMIT '{catalog[len('lake_'):]}'")
            except Exception:  # noqa: BLE001 - a refusal is the expected outcome
                pass
        cur.execute("ROLLBACK")
        assert seen == []


def test_read_parquet_of_bound_files_cannot_name_other_files(tarn_server):
    table = f"rp_{uuid.uuid4().hex[:8]}"
    with connect(tarn_server) as conn, conn.cursor() as cur:
        cur.execute(f"CREATE TABLE {table} (a INT)")
        cur.execute(f"INSERT INTO {table} VALUES (1)")
        cur.execute(f"INSERT INTO {table} VALUES (2)")
        plan = rows(cur, f"EXPLAIN ANALYZE SELECT * FROM {table} WHERE a = 1")[0][1]
        bound = re.search(r"(/\S+\.parquet)", plan).group(1)
        everything = bound.split("/tables/")[0] + "/tables/**/*.parquet"
        built = "||".join(f"chr({ord(c)})" for c in everything)
        sql = (f"SELECT NULL AS f FROM {table} WHERE a = 1 UNION ALL SELECT filename FROM "
               f"read_parquet(ARRAY['{bound}', {built}], filename => true, union_by_name => true)")
        with pytest.raises(Exception, match="not allowed"):
            rows(cur, sql)


# decimal parameters: every value DuckDB's 38 digits hold is stored exactly, the others are refused
DECIMALS_STORED = ["99999999999999999999999999999999999999", "-12345678901234567890.123456789012345678",
                   "1e-38", "-0.00000000000000000000000000000000000001", "1e37", "0e-40", "123.450"]
DECIMALS_REFUSED = ["1e-40", "1e38", "-1e38", "1.5e-38", "123456789012345678901234567890123456789.5"]


@pytest.mark.parametrize("value", DECIMALS_STORED + DECIMALS_REFUSED)
def test_decimal_parameter_is_stored_exactly_or_refused(conn, value):
    table = f"dp_{uuid.uuid4().hex[:8]}"
    with conn.cursor() as cur:
        cur.execute(f"CREATE TABLE {table} (d VARCHAR)")
        insert = f"INSERT INTO {table} VALUES (?::VARCHAR)"
        if value in DECIMALS_REFUSED:
            with pytest.raises(Exception, match=r"parameter 1 .*decimal256\(\d+, \d+\).*at most 38"):
                cur.execute(insert, (decimal.Decimal(value),))
            assert rows(cur, f"SELECT count(*) FROM {table}") == [(0,)]
            return
        cur.execute(insert, (decimal.Decimal(value),))
        [(stored,)] = rows(cur, f"SELECT d FROM {table}")
        assert stored is not None and decimal.Decimal(stored) == decimal.Decimal(value)


def test_wide_decimal_parameter_type_with_a_value_that_fits_is_stored_exactly(conn):
    import pyarrow as pa

    table = f"dw_{uuid.uuid4().hex[:8]}"
    with conn.cursor() as cur:
        cur.execute(f"CREATE TABLE {table} (d VARCHAR)")
        values = [decimal.Decimal("1.5"), decimal.Decimal("-98765432109876543210.25"), None]
        params = pa.record_batch([pa.array(values, pa.decimal256(60, 20))], names=["d"])
        cur.executemany(f"INSERT INTO {table} VALUES (?::VARCHAR)", params)
        stored = [r[0] for r in rows(cur, f"SELECT d FROM {table}")]
        assert [None if s is None else decimal.Decimal(s) for s in stored] == values


@pytest.mark.xfail(strict=True, reason="a statement run while a result streams leases a second engine connection,"
                   " which has none of the session's temporary tables (EngineSession.lease)")
def test_temporary_table_survives_a_statement_during_a_streaming_result(conn):
    with conn.cursor() as cur, conn.cursor() as streaming:
        cur.execute("CREATE TEMP TABLE keep_me AS SELECT 42 AS v")
        streaming.execute("SELECT * FROM range(50000000)")
        streaming.fetchone()
        during = rows(cur, "SELECT * FROM keep_me")
        streaming.close()
        assert during == [(42,)]
        assert rows(cur, "SELECT * FROM keep_me") == [(42,)]
