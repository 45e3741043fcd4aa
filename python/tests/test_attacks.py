"""Attacks on the promises of the trust model (security.md) that currently succeed.

Each test states a promise and attacks it through Python ADBC against a real server. They are
marked xfail(strict=True): they document holes that are still open, and fail as soon as a hole
closes, so that whoever closes it removes the mark.
"""
import decimal
import pathlib
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


def refusal(cur, sql):
    with pytest.raises(Exception) as refused:  # noqa: PT011 - any refusal; its text is checked by the caller
        rows(cur, sql)
    return str(refused.value)


def test_open_transaction_is_invisible_to_others(tarn_server):
    table = f"tx_{uuid.uuid4().hex[:8]}"
    with connect(tarn_server) as other, connect(tarn_server) as owner, \
            other.cursor() as spy, owner.cursor() as cur:
        cur.execute(f"CREATE TABLE {table} (s VARCHAR)")
        cur.execute("BEGIN")
        cur.execute(f"INSERT INTO {table} VALUES ('uncommitted')")
        assert rows(cur, f"SELECT * FROM {table}") == [("uncommitted",)]
        commit = rows(cur, "SHOW LOG")[0][0]
        assert rows(cur, f"SELECT * FROM {table} AT COMMIT '{commit}'") == [("uncommitted",)]
        for listing in ("SELECT database_name FROM duckdb_databases()", "SELECT * FROM duckdb_tables()",
                        "SELECT * FROM information_schema.tables", "SHOW ALL TABLES", "SHOW DATABASES"):
            assert "not allowed" in refusal(spy, listing), listing
        missing = ("f" if commit.startswith("0") else "0") * len(commit)
        for length in (8, 16, len(commit)):
            for template in ("SELECT * FROM {t} AT COMMIT '{h}'", "CREATE BRANCH spy_{h} FROM main AT COMMIT '{h}'",
                             "USE REFERENCE main AT COMMIT '{h}'"):
                hidden = refusal(spy, template.format(t=table, h=commit[:length]))
                absent = refusal(spy, template.format(t=table, h=missing[:length]))
                assert hidden.replace(commit[:length], "<hash>") == absent.replace(missing[:length], "<hash>")
        assert rows(spy, f"SELECT * FROM {table}") == []
        cur.execute("ROLLBACK")
        assert "lake_" not in refusal(spy, f"SELECT * FROM {table} AT COMMIT '{commit}'")


def test_read_parquet_of_bound_files_cannot_name_other_files(tarn_server, tarn_warehouse):
    table = f"rp_{uuid.uuid4().hex[:8]}"
    with connect(tarn_server) as conn, conn.cursor() as cur:
        cur.execute(f"CREATE TABLE {table} (a INT)")
        cur.execute(f"INSERT INTO {table} VALUES (1)")
        cur.execute(f"INSERT INTO {table} VALUES (2)")
        plan = rows(cur, f"EXPLAIN ANALYZE SELECT * FROM {table} WHERE a = 1")[0][1]
        assert tarn_warehouse not in plan, "EXPLAIN shows no storage path"
        shown = re.search(r"(\S+\.parquet)", plan).group(1)
        # The attacker who knows where the server keeps its files (here: the test's own folder)
        # names the scan's file exactly as Tarn binds it, and adds every other file.
        bound = next(str(p) for p in pathlib.Path(tarn_warehouse).rglob(pathlib.Path(shown).name))
        assert bound.endswith(shown)
        everything = bound.split(f"/{table}")[0] + "/**/*.parquet"
        built = "||".join(f"chr({ord(c)})" for c in everything)
        sql = (f"SELECT NULL AS f FROM {table} WHERE a = 1 UNION ALL SELECT filename FROM "
               f"read_parquet(ARRAY['{bound}', {built}], filename => true, union_by_name => true)")
        with pytest.raises(Exception, match="not allowed"):
            rows(cur, sql)


def test_explain_keeps_operators_and_counts_but_no_paths(conn, tarn_warehouse):
    table = f"ex_{uuid.uuid4().hex[:8]}"
    with conn.cursor() as cur:
        cur.execute(f"CREATE TABLE {table} (a INT)")
        cur.execute(f"INSERT INTO {table} VALUES (1), (2), (3)")
        for sql in (f"EXPLAIN SELECT * FROM {table} WHERE a > 1", f"EXPLAIN ANALYZE SELECT * FROM {table} WHERE a > 1",
                    f"EXPLAIN ANALYZE SELECT a, count(*) FROM {table} GROUP BY a"):
            plan = "\n".join(str(cell) for row in rows(cur, sql) for cell in row)
            assert tarn_warehouse not in plan and "/tables/" not in plan, plan
            assert "READ_PARQUET" in plan.upper() or "SCAN" in plan.upper(), plan
        analyzed = rows(cur, f"EXPLAIN ANALYZE SELECT * FROM {table} WHERE a > 1")[0][1]
        assert "Total Time" in analyzed and ".parquet" in analyzed, analyzed
        lines = analyzed.splitlines()
        files = next(i for i, line in enumerate(lines) if ".parquet" in line)
        assert len(lines[files]) == len(lines[files - 1]), "the plan's box stays aligned:\n" + analyzed


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
        with pytest.raises(flight_sql.Error, match="not allowed"):
            cur.execute("SELECT database_name FROM duckdb_databases()")  # its name cannot be listed
    # nor used, even by someone who guessed the internal name's shape
    temporary = ["tarn_temp_" + "0" * 24, "tarn_temp_" + uuid.uuid4().hex[:24]]
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
