"""Spark 3.5 (pyspark from PyPI, with Iceberg's Spark runtime) and Tarn on the same tables, through
both doors engines have:

- Iceberg's NessieCatalog on the Nessie server Tarn uses (--catalog-uri): Spark reads Tarn's tables on
  main and on a branch (`t@branch`) and appends to them; Tarn reads what Spark wrote, including a table
  Spark created with Iceberg's default layout (<warehouse>/<namespace>/<table>), and shows Spark's
  commits in its log.
- Tarn's own Iceberg REST catalog (--iceberg-rest-port) over that Nessie-backed catalog: Spark reads a
  Tarn branch, creates and writes a table there, and Tarn queries it.
"""
import contextlib
import tempfile
from pathlib import Path

import adbc_driver_flightsql.dbapi as flight_sql
import pytest

from conftest import start_tarn, stop_process
from lake_servers import ROOT, free_port, start_nessie

SPARK_RUNTIME = ROOT / "test-support" / "target" / "spark" / "iceberg-spark-runtime.jar"


@pytest.fixture(scope="module")
def shared():
    """A Nessie server, a warehouse folder, a Tarn server on both, and a Spark session on both."""
    if not SPARK_RUNTIME.is_file():
        pytest.skip(f"no Iceberg Spark runtime at {SPARK_RUNTIME.relative_to(ROOT)} (the Maven build copies it)")
    from pyspark.sql import SparkSession

    work = Path(tempfile.mkdtemp(prefix="tarn-spark-"))
    warehouse = work / "warehouse"
    with contextlib.ExitStack() as stack:  # whatever fails to start, what did start is stopped
        nessie = start_nessie()
        stack.callback(nessie.stop)
        rest_port = free_port()
        proc, uri = start_tarn("--catalog-uri", nessie.address, "--iceberg-rest-port", str(rest_port),
                               warehouse=warehouse)
        stack.callback(stop_process, proc)
        spark = (SparkSession.builder.master("local[1]").appName("tarn-spark-test")
                 .config("spark.jars", str(SPARK_RUNTIME))
                 .config("spark.sql.extensions", "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions")
                 .config("spark.sql.catalog.nessie", "org.apache.iceberg.spark.SparkCatalog")
                 .config("spark.sql.catalog.nessie.catalog-impl", "org.apache.iceberg.nessie.NessieCatalog")
                 .config("spark.sql.catalog.nessie.uri", nessie.address)
                 .config("spark.sql.catalog.nessie.ref", "main")
                 .config("spark.sql.catalog.nessie.warehouse", warehouse.as_uri())
                 # Tarn's REST catalog, on branch spark_rest (created by the test before first use)
                 .config("spark.sql.catalog.tarn", "org.apache.iceberg.spark.SparkCatalog")
                 .config("spark.sql.catalog.tarn.type", "rest")
                 .config("spark.sql.catalog.tarn.uri", f"http://127.0.0.1:{rest_port}")
                 .config("spark.sql.catalog.tarn.warehouse", "spark_rest")
                 .config("spark.sql.catalog.tarn.header.User-Agent", "Spark")
                 .config("spark.ui.enabled", "false")
                 .config("spark.driver.host", "127.0.0.1")
                 .config("spark.driver.bindAddress", "127.0.0.1")
                 .config("spark.sql.shuffle.partitions", "1")
                 .getOrCreate())
        stack.callback(spark.stop)
        yield spark, uri, warehouse


def tarn_rows(uri, sql):
    with flight_sql.connect(uri, db_kwargs={"adbc.flight.sql.rpc.with_cookie_middleware": "true"},
                            autocommit=True) as conn, conn.cursor() as cur:
        cur.execute(sql)
        return cur.fetchall()


def test_spark_reads_tarns_tables_on_main_and_on_a_branch_and_tarn_reads_spark_appends(shared):
    spark, uri, _ = shared
    tarn_rows(uri, "CREATE TABLE orders (id BIGINT, country VARCHAR, usd DOUBLE)")
    tarn_rows(uri, "INSERT INTO orders VALUES (1, 'IT', 10.5), (2, 'FR', 20.0)")
    tarn_rows(uri, "CREATE BRANCH spark_dev")
    tarn_rows(uri, "INSERT INTO spark_dev.public.orders VALUES (3, 'DE', 7.25)")

    on_main = spark.sql("SELECT id, country, usd FROM nessie.public.orders ORDER BY id").collect()
    assert [tuple(r) for r in on_main] == [(1, "IT", 10.5), (2, "FR", 20.0)]
    on_branch = spark.sql("SELECT id FROM nessie.public.`orders@spark_dev` ORDER BY id").collect()
    assert [r.id for r in on_branch] == [1, 2, 3], "a Tarn branch is a Nessie branch Spark reads as t@branch"

    spark.sql("INSERT INTO nessie.public.orders VALUES (10, 'ES', 1.0), (11, 'PT', 2.0)")
    assert tarn_rows(uri, "SELECT id, country FROM orders ORDER BY id") == [
        (1, "IT"), (2, "FR"), (10, "ES"), (11, "PT")]
    assert tarn_rows(uri, "SELECT count(*) FROM spark_dev.public.orders") == [(3,)], "Spark's append went to main"
    with flight_sql.connect(uri, autocommit=True) as conn, conn.cursor() as cur:
        cur.execute("SHOW LOG main")
        messages = cur.fetch_arrow_table().column("message").to_pylist()
    assert any(m.startswith("Iceberg") and "public.orders" in m for m in messages), messages


def test_tarn_reads_and_changes_a_table_spark_created_with_its_default_layout(shared):
    spark, uri, warehouse = shared
    spark.sql("CREATE NAMESPACE IF NOT EXISTS nessie.sparky")
    spark.sql("CREATE TABLE nessie.sparky.events (id BIGINT, name STRING) USING iceberg")
    spark.sql("INSERT INTO nessie.sparky.events VALUES (1, 'a'), (2, 'b'), (3, 'c')")
    data = list((warehouse / "sparky").rglob("*.parquet"))
    assert data and all("tables" not in p.relative_to(warehouse).parts for p in data), data

    assert tarn_rows(uri, "SELECT id, name FROM sparky.events ORDER BY id") == [(1, "a"), (2, "b"), (3, "c")]
    tarn_rows(uri, "DELETE FROM sparky.events WHERE id = 2")
    tarn_rows(uri, "INSERT INTO sparky.events VALUES (4, 'd')")
    spark.sql("REFRESH TABLE nessie.sparky.events")
    back = spark.sql("SELECT id FROM nessie.sparky.events ORDER BY id").collect()
    assert [r.id for r in back] == [1, 3, 4], "Spark reads what Tarn changed in its table"


def test_spark_reads_a_branch_through_tarns_rest_catalog_and_writes_a_table_tarn_queries(shared):
    spark, uri, _ = shared
    tarn_rows(uri, "CREATE TABLE rest_orders (id BIGINT, country VARCHAR)")
    tarn_rows(uri, "INSERT INTO rest_orders VALUES (1, 'IT')")
    tarn_rows(uri, "CREATE BRANCH spark_rest")
    tarn_rows(uri, "INSERT INTO spark_rest.public.rest_orders VALUES (2, 'FR')")

    branch = spark.sql("SELECT id, country FROM tarn.public.rest_orders ORDER BY id").collect()
    assert [tuple(r) for r in branch] == [(1, "IT"), (2, "FR")], "the REST catalog's warehouse is the branch"

    spark.sql("CREATE TABLE tarn.public.spark_made (id BIGINT, label STRING) USING iceberg")
    spark.sql("INSERT INTO tarn.public.spark_made SELECT id, concat('from spark ', country) FROM tarn.public.rest_orders")
    assert tarn_rows(uri, "SELECT id, label FROM spark_rest.public.spark_made ORDER BY id") == [
        (1, "from spark IT"), (2, "from spark FR")]
    with pytest.raises(Exception) as absent:
        tarn_rows(uri, "SELECT * FROM main.public.spark_made")
    assert "spark_made" in str(absent.value), "main is untouched until a merge"
    with flight_sql.connect(uri, autocommit=True) as conn, conn.cursor() as cur:
        cur.execute("SHOW LOG spark_rest")
        log = cur.fetch_arrow_table().to_pylist()
    assert any("via Spark" in str(entry.get("author")) and "spark_made" in entry["message"] for entry in log), log
