"""Another engine on Tarn's branches: PyIceberg through the Iceberg REST catalog (`--iceberg-rest-port`)."""
import math
import socket

import pyarrow as pa
import pytest

from conftest import running_tarn

pyiceberg_catalog = pytest.importorskip("pyiceberg.catalog")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    port = free_port()
    with running_tarn("--iceberg-rest-port", str(port)) as uri:
        yield uri, f"http://127.0.0.1:{port}"


def sql(uri, *statements):
    import adbc_driver_flightsql.dbapi as flight_sql

    with flight_sql.connect(uri, db_kwargs={"adbc.flight.sql.rpc.with_cookie_middleware": "true"},
                            autocommit=True) as conn:
        cur = conn.cursor()
        result = None
        for statement in statements:
            cur.execute(statement)
            result = cur.fetch_arrow_table()
        return result


def test_pyiceberg_reads_and_appends_to_a_branch(server):
    uri, rest = server
    sql(uri,
        "CREATE SCHEMA shop",
        "CREATE TABLE shop.orders AS SELECT * FROM (VALUES (1, 'apple'), (2, 'pear')) t(id, item)",
        "CREATE BRANCH dev FROM main")

    catalog = pyiceberg_catalog.load_catalog("tarn", type="rest", uri=rest, warehouse="dev")
    assert ("shop",) in catalog.list_namespaces()
    assert ("shop", "orders") in catalog.list_tables("shop")
    table = catalog.load_table("shop.orders")
    rows = table.scan().to_arrow().sort_by("id").to_pylist()
    assert rows == [{"id": 1, "item": "apple"}, {"id": 2, "item": "pear"}]

    appended = pa.Table.from_pylist([{"id": 3, "item": "plum"}], schema=table.schema().as_arrow())
    table.append(appended)

    on_dev = sql(uri, "SELECT id, item FROM shop.orders AT BRANCH dev ORDER BY id").to_pylist()
    assert on_dev == [{"id": 1, "item": "apple"}, {"id": 2, "item": "pear"}, {"id": 3, "item": "plum"}]
    on_main = sql(uri, "SELECT count(*) AS n FROM shop.orders").to_pylist()
    assert on_main == [{"n": 2}]

    # one Tarn commit, naming the engine and the user
    log = sql(uri, "SHOW LOG dev LIMIT 1").to_pylist()[0]
    assert "PyIceberg" in log["author"] and "anonymous" in log["author"], log
    assert "append shop.orders" in log["message"], log


def test_pyiceberg_creates_a_table_tarn_queries(server):
    uri, rest = server
    sql(uri, "CREATE BRANCH IF NOT EXISTS made FROM main")
    catalog = pyiceberg_catalog.load_catalog("tarn", type="rest", uri=rest, warehouse="made")
    catalog.create_namespace("lab")
    data = pa.table({"k": pa.array([1, 2, 3], pa.int64()), "v": pa.array(["a", "b", "ü"], pa.string())})
    created = catalog.create_table("lab.readings", schema=data.schema)
    created.append(data)
    rows = sql(uri, "SELECT k, v FROM lab.readings AT BRANCH made ORDER BY k").to_pylist()
    assert rows == [{"k": 1, "v": "a"}, {"k": 2, "v": "b"}, {"k": 3, "v": "ü"}]
    with pytest.raises(Exception, match="(?i)lab"):
        sql(uri, "SELECT * FROM lab.readings")  # main never saw it


def test_tarns_bounds_hold_both_zeros_for_engines_that_prune_with_them(server):
    # SQL has -0.0 = 0.0, while Iceberg's Java library orders -0.0 below 0.0: Spark or Trino pruning
    # "d = 0" would skip a file whose bounds were -0.0 to -0.0. Tarn's bounds at zero take both zeros.
    uri, rest = server
    sql(uri,
        "CREATE TABLE zeros (id INTEGER, d DOUBLE, f FLOAT)",
        "INSERT INTO zeros VALUES (1, '-0.0', '-0.0')",  # one row of constants: a file of its own
        "INSERT INTO zeros SELECT * FROM (VALUES (2, -1.0, -1.0), (3, '-0.0'::DOUBLE, '-0.0'::FLOAT)) t(i, d, f)",
        "INSERT INTO zeros VALUES (4, 0.0, 0.0)",
        "INSERT INTO zeros VALUES (5, 2.0, 2.0)")
    assert sql(uri, "SELECT list(id ORDER BY id) AS ids FROM zeros WHERE d = 0").to_pylist() == [{"ids": [1, 3, 4]}]
    table = pyiceberg_catalog.load_catalog("tarn", type="rest", uri=rest, warehouse="main").load_table("public.zeros")
    files = table.inspect.files().column("readable_metrics").to_pylist()
    assert len(files) == 4
    bounds = sorted((m[c]["lower_bound"], m[c]["upper_bound"]) for m in files for c in ("d", "f"))
    assert bounds == [(-1.0, 0.0)] * 2 + [(0.0, 0.0)] * 4 + [(2.0, 2.0)] * 2, bounds
    for lower, upper in bounds:
        if upper == 0.0:
            assert math.copysign(1, upper) == 1, bounds  # the largest zero
        if lower == 0.0:
            assert math.copysign(1, lower) == -1, bounds  # the smallest zero


def test_a_required_column_of_another_engines_table_never_gets_a_null(server):
    from pyiceberg.schema import Schema
    from pyiceberg.types import LongType, NestedField, StringType

    uri, rest = server
    catalog = pyiceberg_catalog.load_catalog("tarn", type="rest", uri=rest, warehouse="main")
    catalog.create_namespace("strict")
    catalog.create_table("strict.people", schema=Schema(
        NestedField(1, "id", LongType(), required=True),
        NestedField(2, "name", StringType(), required=False)))
    sql(uri, "INSERT INTO strict.people VALUES (1, 'ada')")
    for statement in ["INSERT INTO strict.people VALUES (NULL, 'bob')",  # one row of constants
                      "INSERT INTO strict.people (name) VALUES ('cy')",  # the column left out
                      "INSERT INTO strict.people SELECT * FROM (VALUES (2, 'di'), (NULL, 'ed')) t(i, n)",
                      "UPDATE strict.people SET id = NULL WHERE name = 'ada'"]:
        with pytest.raises(Exception, match=r"column id of strict\.people is required \(NOT NULL\)"):
            sql(uri, statement)
    sql(uri, "INSERT INTO strict.people VALUES (3, NULL)")
    assert sql(uri, "SELECT id, name FROM strict.people ORDER BY id").to_pylist() == [
        {"id": 1, "name": "ada"}, {"id": 3, "name": None}]
    # and the other engine reads what it wrote its schema for
    rows = catalog.load_table("strict.people").scan().to_arrow().sort_by("id").to_pylist()
    assert rows == [{"id": 1, "name": "ada"}, {"id": 3, "name": None}]


def test_a_rewrite_may_keep_the_nulls_a_required_column_already_held(server):
    # a column made required after it got a null (another engine may): rewrites of that file carry
    # the null along, new nulls are still refused
    uri, rest = server
    sql(uri,
        "CREATE TABLE legacy (id BIGINT, name VARCHAR)",
        "INSERT INTO legacy VALUES (1, 'a'), (NULL, 'b')",
        "INSERT INTO legacy VALUES (2, 'c')")
    table = pyiceberg_catalog.load_catalog("tarn", type="rest", uri=rest, warehouse="main").load_table("public.legacy")
    with table.update_schema(allow_incompatible_changes=True) as update:
        update.update_column("id", required=True)
    sql(uri, "UPDATE legacy SET name = 'bb' WHERE name = 'b'")
    sql(uri, "OPTIMIZE TABLE legacy")
    with pytest.raises(Exception, match=r"column id of public\.legacy is required \(NOT NULL\), and the statement"
                                        r" would write 1 more row"):
        sql(uri, "UPDATE legacy SET id = NULL WHERE name = 'a'")
    assert sql(uri, "SELECT id, name FROM legacy ORDER BY name").to_pylist() == [
        {"id": 1, "name": "a"}, {"id": None, "name": "bb"}, {"id": 2, "name": "c"}]


def test_tags_are_read_only_and_unknown_objects_are_named(server):
    from pyiceberg.exceptions import ForbiddenError, NoSuchTableError

    uri, rest = server
    sql(uri, "CREATE SCHEMA IF NOT EXISTS frozen",
        "CREATE TABLE IF NOT EXISTS frozen.t AS SELECT 1 AS x",
        "CREATE TAG v1 FROM main")
    catalog = pyiceberg_catalog.load_catalog("tarn", type="rest", uri=rest, warehouse="v1")
    table = catalog.load_table("frozen.t")
    assert table.scan().to_arrow().to_pylist() == [{"x": 1}]
    with pytest.raises(ForbiddenError, match="tag v1"):
        table.append(pa.Table.from_pylist([{"x": 2}], schema=table.schema().as_arrow()))
    with pytest.raises(NoSuchTableError, match="frozen.nope"):
        catalog.load_table("frozen.nope")
    with pytest.raises(Exception, match="reference nowhere"):
        pyiceberg_catalog.load_catalog("tarn", type="rest", uri=rest, warehouse="nowhere")
