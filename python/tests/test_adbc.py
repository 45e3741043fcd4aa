"""Python ADBC (adbc_driver_flightsql) and pyarrow against a real Tarn server."""
import threading
import time

import adbc_driver_manager
import pyarrow as pa
import pyarrow.compute  # noqa: F401  (pa.compute)
import pytest


def test_query_to_arrow_table(conn):
    with conn.cursor() as cur:
        cur.execute("SELECT range AS id, range * 1.5 AS price FROM range(5) ORDER BY id")
        table = cur.fetch_arrow_table()
    assert table.num_rows == 5
    assert table.column("id").to_pylist() == [0, 1, 2, 3, 4]
    assert table.schema.field("id").type == pa.int64()


def test_ddl_dml_and_parameters(conn):
    with conn.cursor() as cur:
        cur.execute("CREATE SCHEMA IF NOT EXISTS py")
        cur.execute("CREATE OR REPLACE TABLE py.transactions (id BIGINT, usd DOUBLE, country VARCHAR)")
        cur.execute("INSERT INTO py.transactions VALUES (1, 10.0, 'IT'), (2, 20.0, 'FR'), (3, 5.0, 'IT')")
        cur.execute("SELECT sum(usd) AS total FROM py.transactions WHERE country = ?", parameters=("IT",))
        assert cur.fetchone()[0] == 15.0
        cur.execute("SELECT id FROM py.transactions WHERE usd > ? ORDER BY id", parameters=(6.0,))
        assert [r[0] for r in cur.fetchall()] == [1, 2]


def test_get_objects_and_table_schema(conn):
    with conn.cursor() as cur:
        cur.execute("CREATE SCHEMA IF NOT EXISTS meta")
        cur.execute("CREATE OR REPLACE TABLE meta.items (id BIGINT, name VARCHAR, price DECIMAL(10, 2))")
    objects = conn.adbc_get_objects(depth="all", catalog_filter="main").read_all().to_pylist()
    catalogs = {c["catalog_name"]: c for c in objects}
    assert "main" in catalogs
    schemas = {s["db_schema_name"]: s for s in catalogs["main"]["catalog_db_schemas"]}
    assert "meta" in schemas and "public" in schemas
    tables = {t["table_name"]: t for t in schemas["meta"]["db_schema_tables"]}
    assert [c["column_name"] for c in tables["items"]["table_columns"]] == ["id", "name", "price"]

    schema = conn.adbc_get_table_schema("items", catalog_filter="main", db_schema_filter="meta")
    assert schema.names == ["id", "name", "price"]
    assert schema.field("price").type == pa.decimal128(10, 2)


def test_errors_are_clear_and_the_connection_keeps_serving(conn):
    with conn.cursor() as cur:
        with pytest.raises(adbc_driver_manager.Error) as syntax:
            cur.execute("SELECT *\nFROM range(3) WHERE = 1")
        assert "line 2, column" in str(syntax.value)
        with pytest.raises(adbc_driver_manager.Error) as denied:
            cur.execute("SELECT * FROM read_csv('/etc/passwd')")
        assert "/etc/passwd" in str(denied.value)
        cur.execute("SELECT 42")
        assert cur.fetchone()[0] == 42


def test_cancel_interrupts_a_running_query(conn):
    cur = conn.cursor()
    outcome = {}

    def run():
        try:
            cur.execute("SELECT count(*) FROM range(100000000000)")
            outcome["rows"] = cur.fetchall()
        except adbc_driver_manager.Error as e:
            outcome["error"] = e

    worker = threading.Thread(target=run)
    worker.start()
    time.sleep(1.0)
    started = time.monotonic()
    cur.adbc_cancel()
    worker.join(timeout=10)
    assert not worker.is_alive()
    assert time.monotonic() - started < 5
    assert "error" in outcome, outcome
    cur.close()
    with conn.cursor() as again:
        again.execute("SELECT 1")
        assert again.fetchone()[0] == 1


def test_large_result_streams_as_record_batches(conn):
    with conn.cursor() as cur:
        cur.execute("SELECT range AS id FROM range(1000000)")
        reader = cur.fetch_record_batch()
        batches = 0
        rows = 0
        total = 0
        for batch in reader:
            batches += 1
            rows += batch.num_rows
            total += pa.compute.sum(batch.column(0)).as_py()
    assert rows == 1_000_000
    assert total == 999_999 * 1_000_000 // 2
    assert batches > 1
