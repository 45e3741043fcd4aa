"""The boundary between clients and DuckDB, through Python ADBC: hostile texts, limits, shared state."""
import adbc_driver_manager
import pytest


def refused(cur, sql, *expected):
    with pytest.raises(adbc_driver_manager.Error) as error:
        cur.execute(sql)
        cur.fetchall()
    message = str(error.value)
    for part in expected:
        assert part in message, message
    # the connection keeps serving
    cur.execute("SELECT 42")
    assert cur.fetchone()[0] == 42
    return message


def test_texts_duckdb_reads_otherwise_never_run_a_second_statement(conn, tmp_path):
    target = str(tmp_path / "leak.csv")
    copy = f"COPY (SELECT 1) TO '{target}'"
    with conn.cursor() as cur:
        for sql in [
            "\ufeff" + copy,
            "\u00a0" + copy,
            "\u200b" + copy,
            f"SELECT 1 -- c\r; {copy}",
            f"PREPARE q AS {copy}",
            f"EXPLAIN ANALYZE {copy}",
            f"SELECT * FROM query('{copy}')",
            "CREATE OR REPLACE MACRO abs(x) AS 999",
        ]:
            refused(cur, sql)
        cur.execute("SELECT abs(-1)")
        assert cur.fetchone()[0] == 1
        cur.execute("  ;;; SELECT 7 ;;; ")  # empty statements around one statement, as DuckDB reads it
        assert cur.fetchone()[0] == 7
    assert list(tmp_path.iterdir()) == []


def test_statements_past_the_limits_get_errors_naming_the_flag(conn):
    with conn.cursor() as cur:
        nested = "SELECT " + "(SELECT " * 700 + "1" + ")" * 700
        refused(cur, nested, "--max-nesting-depth")
        refused(cur, "SELECT 1 WHERE 1 IN (" + ", ".join(["1"] * 800_000) + ")", "--max-statement-bytes")
        deep_but_allowed = "SELECT " + "(SELECT " * 100 + "1" + ")" * 100
        cur.execute(deep_but_allowed)
        assert cur.fetchone()[0] == 1


@pytest.mark.parametrize("depth", [700, 3000])
def test_deep_subqueries_past_a_raised_nesting_limit_get_an_answer_or_an_error(tmp_path, depth):
    """With --max-nesting-depth raised, DuckDB itself meets the depth: its own error, never a crash."""
    import adbc_driver_flightsql.dbapi as flight_sql
    from conftest import running_tarn

    nested = "SELECT * FROM (" * depth + "SELECT * FROM range(1)" + ") x" * depth
    with running_tarn("--max-nesting-depth", "100000", warehouse=tmp_path / "warehouse") as uri:
        with flight_sql.connect(uri, autocommit=True) as conn, conn.cursor() as cur:
            try:
                cur.execute(nested)
                assert cur.fetchall() == [(0,)]
            except adbc_driver_manager.Error as e:
                assert "depth" in str(e).lower() or "recursion" in str(e).lower(), str(e)
            cur.execute("SELECT 42")
            assert cur.fetchone()[0] == 42


def test_temporary_tables_are_the_sessions_own(tarn_server, conn):
    import adbc_driver_flightsql.dbapi as flight_sql

    with conn.cursor() as cur:
        cur.execute("CREATE TEMP TABLE mine AS SELECT 1 AS x")
        cur.execute("INSERT INTO mine VALUES (2)")
        cur.execute("UPDATE mine SET x = x * 10 WHERE x = 2")
        cur.execute("SELECT sum(x) FROM mine")
        assert cur.fetchone()[0] == 21
    other = flight_sql.connect(tarn_server, db_kwargs={"adbc.flight.sql.rpc.with_cookie_middleware": "true"})
    try:
        with other.cursor() as cur:
            refused(cur, "SELECT * FROM mine")
            refused(cur, "SELECT * FROM temp.main.mine")
    finally:
        other.close()
