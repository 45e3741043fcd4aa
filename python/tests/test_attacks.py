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


@pytest.mark.xfail(strict=True, reason="a DECIMAL parameter beyond DuckDB's 38 digits is bound as NULL (promise 6)")
@pytest.mark.parametrize("value", ["1e-40", "1e38"])
def test_decimal_parameter_is_stored_exactly_or_refused(conn, value):
    table = f"dp_{uuid.uuid4().hex[:8]}"
    with conn.cursor() as cur:
        cur.execute(f"CREATE TABLE {table} (d VARCHAR)")
        try:
            cur.execute(f"INSERT INTO {table} VALUES (?::VARCHAR)", (decimal.Decimal(value),))
        except Exception as e:  # noqa: BLE001 - a refusal naming the type keeps the promise
            assert "DECIMAL" in str(e).upper()
            return
        assert rows(cur, f"SELECT d FROM {table}") != [(None,)]


def test_temporary_table_survives_a_statement_during_a_streaming_result(conn):
    with conn.cursor() as cur, conn.cursor() as streaming:
        cur.execute("CREATE TEMP TABLE keep_me AS SELECT 42 AS v")
        streaming.execute("SELECT * FROM range(50000000)")
        streaming.fetchone()
        during = rows(cur, "SELECT * FROM keep_me")
        streaming.close()
        assert during == [(42,)]
        assert rows(cur, "SELECT * FROM keep_me") == [(42,)]


def test_temporary_table_takes_writes_during_a_streaming_result(conn):
    with conn.cursor() as cur, conn.cursor() as streaming:
        cur.execute("CREATE TEMP TABLE written_during AS SELECT 1 AS v")
        streaming.execute("SELECT * FROM range(50000000)")
        assert streaming.fetchone() == (0,)
        cur.execute("INSERT INTO written_during VALUES (2), (3)")
        cur.execute("UPDATE temp.written_during SET v = v * 10 WHERE v = 3")
        cur.execute("DELETE FROM temp.main.written_during WHERE v = 1")
        during = rows(cur, "SELECT v FROM written_during ORDER BY v")
        assert streaming.fetchone() == (1,), "the streaming result keeps streaming"
        streaming.close()
        assert during == [(2,), (30,)]
        assert rows(cur, "SELECT v FROM temp.main.written_during ORDER BY v") == [(2,), (30,)]
        assert rows(cur, "SELECT 1 FROM temp.written_during LIMIT 1") == [(1,)]


def test_another_session_cannot_name_a_sessions_temporary_catalog(tarn_server, conn):
    with conn.cursor() as cur:
        cur.execute("CREATE TEMP TABLE mine_alone AS SELECT 7 AS secret")
        names = {r[0] for r in rows(cur, "SELECT database_name FROM duckdb_databases()")}
    temporary = [n for n in names if n.startswith("tarn_temp_")]
    assert temporary, names
    with connect(tarn_server) as other, other.cursor() as cur:
        for name in temporary:
            for sql in (f'SELECT * FROM "{name}".main.mine_alone', f'INSERT INTO "{name}".main.mine_alone VALUES (1)',
                        f'CREATE TEMP TABLE t AS SELECT * FROM "{name}".main.mine_alone'):
                with pytest.raises(flight_sql.Error, match="internal to the Tarn server|not allowed|does not exist"):
                    cur.execute(sql)
        with pytest.raises(flight_sql.Error, match="mine_alone"):
            cur.execute("SELECT * FROM mine_alone")
        with pytest.raises(flight_sql.Error, match="mine_alone"):
            cur.execute("SELECT * FROM temp.mine_alone")
    with conn.cursor() as cur:
        assert rows(cur, "SELECT * FROM mine_alone") == [(7,)]
