"""Git for data from Python: bulk ingest, branches chosen by call header, time travel."""
import adbc_driver_flightsql.dbapi as flight_sql
import adbc_driver_manager
import pyarrow as pa
import pytest


def connect(uri, **headers):
    kwargs = {"adbc.flight.sql.rpc.with_cookie_middleware": "true"}
    for name, value in headers.items():
        kwargs[f"adbc.flight.sql.rpc.call_header.{name}"] = value
    return flight_sql.connect(uri, db_kwargs=kwargs, autocommit=True)


def test_ingest_creates_appends_and_replaces(conn):
    table = pa.table({"id": pa.array([1, 2, 3], pa.int64()),
                      "usd": pa.array([10.0, 20.0, 5.5]),
                      "country": ["IT", "FR", "US"]})
    with conn.cursor() as cur:
        cur.execute("CREATE SCHEMA IF NOT EXISTS ingest")
        assert cur.adbc_ingest("tx", table, mode="create", db_schema_name="ingest") == 3
        assert cur.adbc_ingest("tx", table.slice(0, 1), mode="append", db_schema_name="ingest") == 1
        cur.execute("SELECT count(*), sum(usd) FROM ingest.tx")
        assert cur.fetchone() == (4, 45.5)
        cur.execute("SHOW LOG LIMIT 1")
        assert "ingest.tx" in cur.fetch_arrow_table().column("tables_changed")[0].as_py()
        assert cur.adbc_ingest("tx", table.slice(0, 2), mode="replace", db_schema_name="ingest") == 2
        cur.execute("SELECT count(*) FROM ingest.tx")
        assert cur.fetchone()[0] == 2
        with pytest.raises(adbc_driver_manager.Error):
            cur.adbc_ingest("tx", table, mode="create", db_schema_name="ingest")
        cur.execute("SELECT count(*) FROM ingest.tx")
        assert cur.fetchone()[0] == 2, "a refused ingest changes nothing"


def test_branch_chosen_by_call_header(tarn_server, conn):
    with conn.cursor() as cur:
        cur.execute("CREATE SCHEMA IF NOT EXISTS hdr")
        cur.execute("CREATE OR REPLACE TABLE hdr.t AS SELECT 1 AS x")
        cur.execute("CREATE BRANCH IF NOT EXISTS py_dev")
    dev = connect(tarn_server, branch="py_dev")
    try:
        with dev.cursor() as cur:
            cur.execute("INSERT INTO hdr.t VALUES (2)")
            cur.execute("SELECT count(*) FROM hdr.t")
            assert cur.fetchone()[0] == 2
    finally:
        dev.close()
    with conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM hdr.t")
        assert cur.fetchone()[0] == 1, "main does not see the branch's insert"
        cur.execute("SELECT count(*) FROM py_dev.hdr.t")
        assert cur.fetchone()[0] == 2
        cur.execute("MERGE BRANCH py_dev INTO main")
        cur.execute("SELECT count(*) FROM hdr.t")
        assert cur.fetchone()[0] == 2


def test_tags_and_time_travel(conn):
    with conn.cursor() as cur:
        cur.execute("CREATE SCHEMA IF NOT EXISTS tt")
        cur.execute("CREATE OR REPLACE TABLE tt.t AS SELECT range AS x FROM range(3)")
        cur.execute("CREATE TAG py_v1")
        cur.execute("DELETE FROM tt.t WHERE x = 0")
        cur.execute("SELECT count(*) FROM tt.t AT TAG py_v1")
        assert cur.fetchone()[0] == 3
        cur.execute("SELECT count(*) FROM tt.t")
        assert cur.fetchone()[0] == 2
        cur.execute("SHOW TAGS")
        assert "py_v1" in cur.fetch_arrow_table().column("name").to_pylist()


def test_adbc_transactions_with_autocommit_off(tarn_server, conn):
    with conn.cursor() as cur:
        cur.execute("CREATE SCHEMA IF NOT EXISTS txn")
        cur.execute("CREATE OR REPLACE TABLE txn.t AS SELECT 1 AS x")
    tx = flight_sql.connect(tarn_server, db_kwargs={"adbc.flight.sql.rpc.with_cookie_middleware": "true"},
                            autocommit=False)
    try:
        with tx.cursor() as cur:
            cur.execute("INSERT INTO txn.t VALUES (2)")
            cur.execute("SELECT count(*) FROM txn.t")
            assert cur.fetchone()[0] == 2
        with conn.cursor() as other:
            other.execute("SELECT count(*) FROM txn.t")
            assert other.fetchone()[0] == 1, "invisible to others before commit"
        tx.rollback()
        with tx.cursor() as cur:
            cur.execute("SELECT count(*) FROM txn.t")
            assert cur.fetchone()[0] == 1
            cur.execute("INSERT INTO txn.t VALUES (3)")
        tx.commit()
    finally:
        tx.close()
    with conn.cursor() as cur:
        cur.execute("SELECT x FROM txn.t ORDER BY x")
        assert [r[0] for r in cur.fetchall()] == [1, 3]


def test_conflicting_merge_names_the_table_and_changes_nothing(conn):
    with conn.cursor() as cur:
        cur.execute("CREATE SCHEMA IF NOT EXISTS cf")
        cur.execute("CREATE OR REPLACE TABLE cf.t AS SELECT range AS x FROM range(3)")
        cur.execute("CREATE BRANCH py_conflict")
        cur.execute("INSERT INTO py_conflict.cf.t VALUES (10)")
        cur.execute("DELETE FROM cf.t WHERE x = 0")
        cur.execute("SHOW LOG main LIMIT 1")
        before = cur.fetch_arrow_table().column("commit_hash")[0].as_py()
        with pytest.raises(adbc_driver_manager.Error) as conflict:
            cur.execute("MERGE BRANCH py_conflict INTO main")
        assert "cf.t" in str(conflict.value)
        cur.execute("SHOW LOG main LIMIT 1")
        assert cur.fetch_arrow_table().column("commit_hash")[0].as_py() == before


def test_tags_are_read_only_and_commits_travel(conn):
    with conn.cursor() as cur:
        cur.execute("CREATE SCHEMA IF NOT EXISTS ro")
        cur.execute("CREATE OR REPLACE TABLE ro.t AS SELECT 1 AS x")
        cur.execute("SHOW LOG main LIMIT 1")
        commit = cur.fetch_arrow_table().column("commit_hash")[0].as_py()
        cur.execute("CREATE TAG py_ro")
        cur.execute("INSERT INTO ro.t VALUES (2)")
        cur.execute(f"SELECT count(*) FROM ro.t AT COMMIT '{commit[:10]}'")
        assert cur.fetchone()[0] == 1
        cur.execute("USE TAG py_ro")
        with pytest.raises(adbc_driver_manager.Error) as read_only:
            cur.execute("INSERT INTO ro.t VALUES (3)")
        assert "tag py_ro is read-only" in str(read_only.value)
        cur.execute("USE BRANCH main")
        cur.execute("SELECT count(*) FROM ro.t")
        assert cur.fetchone()[0] == 2
