"""Exact data at the client boundary, through ADBC with its default settings.

Every Arrow type a client can ingest is stored exactly (possibly in a wider type, as the README
lists) or refused with a message naming the column and the type; results of any width reach a
client with gRPC's default 16 MiB message limit; plain scans return rows in insertion order.
"""
import datetime
import decimal
import itertools

import adbc_driver_manager
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

_names = itertools.count()


def fresh(prefix):
    return f"{prefix}_{next(_names)}"


# ---- column generators: an Arrow type and a strategy for a list of its values (None = null) ----

def nullable(values):
    return st.one_of(st.none(), values)


INT_RANGES = {
    pa.int8(): (-2**7, 2**7 - 1), pa.int16(): (-2**15, 2**15 - 1), pa.int32(): (-2**31, 2**31 - 1),
    pa.int64(): (-2**63, 2**63 - 1), pa.uint8(): (0, 2**8 - 1), pa.uint16(): (0, 2**16 - 1),
    pa.uint32(): (0, 2**32 - 1), pa.uint64(): (0, 2**64 - 1),
}
TEXT = st.text(max_size=40)
BYTES = st.binary(max_size=40)
MICROS = st.integers(min_value=-6_000_000_000_000_000, max_value=9_000_000_000_000_000)  # ~1780..2255: fits ns in int64
DAYS = st.integers(min_value=-60_000, max_value=100_000)


def decimal_values(precision, scale):
    bound = 10 ** precision - 1
    # from the digits as text: Decimal arithmetic (scaleb) would round to the context's 28 digits
    return st.integers(min_value=-bound, max_value=bound).map(lambda n: decimal.Decimal(f"{n}E-{scale}"))


@st.composite
def decimal_column(draw, bit_width):
    precision = draw(st.integers(min_value=1, max_value=38))
    scale = draw(st.integers(min_value=0, max_value=precision))
    make = pa.decimal128 if bit_width == 128 else pa.decimal256
    return make(precision, scale), decimal_values(precision, scale)


def plain(type_, values):
    return st.just((type_, values))


STORABLE = st.one_of(
    *[plain(t, st.integers(min_value=lo, max_value=hi)) for t, (lo, hi) in INT_RANGES.items()],
    plain(pa.float32(), st.floats(width=32, allow_nan=False)),
    plain(pa.float64(), st.floats(allow_nan=False)),
    plain(pa.bool_(), st.booleans()),
    plain(pa.string(), TEXT), plain(pa.large_string(), TEXT), plain(pa.string_view(), TEXT),
    plain(pa.binary(), BYTES), plain(pa.large_binary(), BYTES), plain(pa.binary_view(), BYTES),
    plain(pa.binary(4), st.binary(min_size=4, max_size=4)),
    plain(pa.date32(), DAYS.map(lambda d: datetime.date(1970, 1, 1) + datetime.timedelta(days=d))),
    plain(pa.date64(), DAYS.map(lambda d: datetime.date(1970, 1, 1) + datetime.timedelta(days=d))),
    plain(pa.time32("s"), st.times().map(lambda t: t.replace(microsecond=0))),
    plain(pa.time32("ms"), st.times().map(lambda t: t.replace(microsecond=t.microsecond // 1000 * 1000))),
    plain(pa.time64("us"), st.times()),
    plain(pa.time64("ns"), st.times()),
    *[plain(pa.timestamp(unit, tz), MICROS) for unit in ("s", "ms", "us", "ns")
      for tz in (None, "UTC", "Europe/Rome")],
    decimal_column(128), decimal_column(256),
    plain(pa.dictionary(pa.int32(), pa.string()), st.sampled_from(["red", "green", "blue", "ü"])),
    plain(pa.run_end_encoded(pa.int32(), pa.int64()), st.integers(min_value=-3, max_value=3)),
    plain(pa.list_(pa.int32()), st.lists(nullable(st.integers(-2**31, 2**31 - 1)), max_size=4)),
    plain(pa.large_list(pa.string()), st.lists(nullable(TEXT), max_size=4)),
    plain(pa.list_(pa.int64(), 2), st.lists(nullable(st.integers(-2**63, 2**63 - 1)), min_size=2, max_size=2)),
    plain(pa.struct([("a", pa.int16()), ("b c", pa.string())]),
          st.fixed_dictionaries({"a": nullable(st.integers(-2**15, 2**15 - 1)), "b c": nullable(TEXT)})),
    plain(pa.map_(pa.string(), pa.int32()),
          st.dictionaries(TEXT, nullable(st.integers(-2**31, 2**31 - 1)), max_size=3).map(lambda d: list(d.items()))),
)

# Types Tarn refuses, with the word the refusal must name.
REFUSED = [
    (pa.array([None, None], pa.null()), "null"),
    (pa.array([1, None], pa.duration("s")), "duration"),
    (pa.array([pa.MonthDayNano([1, 2, 3]), None], pa.month_day_nano_interval()), "interval"),
    (pa.array([decimal.Decimal("1.5"), None], pa.decimal256(50, 1)), "decimal256(50, 1)"),
    (pa.array([decimal.Decimal("100"), None], pa.decimal128(5, -2)), "decimal128(5, -2)"),
    (pa.UnionArray.from_sparse(pa.array([0, 1], pa.int8()), [pa.array([1, 2]), pa.array(["a", "b"])]), "union"),
    (pa.array([["a"], None], pa.list_(pa.dictionary(pa.int32(), pa.string()))), "dictionary"),
    (pa.array([[1], None], pa.list_(pa.timestamp("ns"))), "timestamp[ns]"),
]


def to_arrow(type_, values):
    """An array of the values (timestamps given as microseconds since the epoch) in the type."""
    if pa.types.is_timestamp(type_):
        unit = {"s": 1_000_000, "ms": 1_000, "us": 1, "ns": 1}[type_.unit]
        micros = [None if v is None else v // unit * unit for v in values]
        array = pa.array(micros, pa.timestamp("us", type_.tz))
        return array.cast(type_) if type_.unit != "ns" else pc.multiply(array.cast(pa.int64()), 1000).cast(type_)
    if pa.types.is_dictionary(type_):
        return pa.array(values, pa.string()).dictionary_encode()
    if pa.types.is_run_end_encoded(type_):
        return pc.run_end_encode(pa.array(values, pa.int64()), run_end_type=pa.int32())
    return pa.array(values, type_)


def expected(column):
    """What the table holds for a column: its values, decoded (dictionary, run-end) and widened."""
    if pa.types.is_dictionary(column.type):
        column = column.cast(column.type.value_type)
    elif pa.types.is_run_end_encoded(column.type):
        column = pc.run_end_decode(column) if hasattr(pc, "run_end_decode") else column.cast(column.type.value_type)
    elif pa.types.is_timestamp(column.type) and column.type.unit == "ns":
        column = column.cast(pa.timestamp("us", column.type.tz))
    elif pa.types.is_time64(column.type) and column.type.unit == "ns":
        column = column.cast(pa.time64("us"))
    return column.to_pylist()


@st.composite
def tables(draw):
    names = draw(st.lists(st.sampled_from(["a", "Col B", "ü列", "x-y", "n"]), min_size=1, max_size=3, unique=True))
    rows = draw(st.integers(min_value=1, max_value=6))
    columns = {}
    for name in names:
        type_, values = draw(STORABLE)
        columns[name] = to_arrow(type_, draw(st.lists(nullable(values), min_size=rows, max_size=rows)))
    return pa.table(columns)


def read_back(cur, table):
    cur.execute(f"SELECT * FROM exact.{table}")
    return cur.fetch_arrow_table()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=tables(), split=st.integers(min_value=0, max_value=6))
def test_ingest_round_trip_is_exact(conn, data, split):
    """Ingest (create, then append the rest), SELECT: the same values, in the same order."""
    table = fresh("rt")
    first, rest = data.slice(0, split), data.slice(split)
    with conn.cursor() as cur:
        cur.execute("CREATE SCHEMA IF NOT EXISTS exact")
        cur.adbc_ingest(table, first if first.num_rows else data, mode="create", db_schema_name="exact")
        if first.num_rows and rest.num_rows:
            cur.adbc_ingest(table, rest, mode="append", db_schema_name="exact")
        back = read_back(cur, table)
    assert back.column_names == data.column_names
    for name in data.column_names:
        assert back.column(name).to_pylist() == expected(data.column(name)), name


@pytest.mark.parametrize("array, type_word", REFUSED, ids=[w for _, w in REFUSED])
def test_types_tarn_cannot_store_are_refused_by_name(conn, array, type_word):
    table = fresh("refused")
    with conn.cursor() as cur:
        cur.execute("CREATE SCHEMA IF NOT EXISTS exact")
        with pytest.raises(adbc_driver_manager.Error) as refused:
            cur.adbc_ingest(table, pa.table({"odd col": array, "id": pa.array(range(len(array)))}),
                            mode="create", db_schema_name="exact")
        message = str(refused.value)
        assert '"odd col"' in message and type_word in message, message
        with pytest.raises(adbc_driver_manager.Error, match="does not exist"):
            cur.execute(f"SELECT count(*) FROM exact.\"{table}\"")
        cur.execute("SELECT 1")
        assert cur.fetchone() == (1,), "the connection keeps serving"


def test_values_that_would_change_are_refused(conn):
    with conn.cursor() as cur:
        cur.execute("CREATE SCHEMA IF NOT EXISTS exact")
        nanos = pa.table({"ts": pa.array([1_000, 1_000_000_001], pa.timestamp("ns"))})
        with pytest.raises(adbc_driver_manager.Error, match=r'"ts".*timestamp\[ns\].*1000000001'):
            cur.adbc_ingest(fresh("nanos"), nanos, mode="create", db_schema_name="exact")
        table = fresh("ints")
        cur.adbc_ingest(table, pa.table({"n": pa.array([1, 2], pa.int32())}), mode="create", db_schema_name="exact")
        with pytest.raises(adbc_driver_manager.Error, match=r'"n".*DOUBLE.*INTEGER'):
            cur.adbc_ingest(table, pa.table({"n": pa.array([1.5])}), mode="append", db_schema_name="exact")
        cur.adbc_ingest(table, pa.table({"n": pa.array([3], pa.int8())}), mode="append", db_schema_name="exact")
        assert read_back(cur, table).column("n").to_pylist() == [1, 2, 3]


def test_categorical_ingest_stores_the_categories(conn):
    """Issue 10 item 9: a dictionary-encoded column (pandas/polars Categorical) stored wrong values."""
    table = fresh("cat")
    codes = pa.array(["b", "a", "b", None, "c"]).dictionary_encode()
    with conn.cursor() as cur:
        cur.execute("CREATE SCHEMA IF NOT EXISTS exact")
        cur.adbc_ingest(table, pa.table({"c": codes}), mode="create", db_schema_name="exact")
        assert read_back(cur, table).column("c").to_pylist() == ["b", "a", "b", None, "c"]


def test_wide_result_reaches_a_default_adbc_client(conn):
    """Issue 10 item 10: a DuckDB batch (131072 rows) of five 40-byte strings is ~23 MiB."""
    with conn.cursor() as cur:
        cur.execute("SELECT repeat('a', 39) || (i % 10) AS a, repeat('b', 40) AS b, repeat('c', 40) AS c,"
                    " repeat('d', 40) AS d, repeat('e', 40) AS e FROM range(200000) t(i)")
        result = cur.fetch_arrow_table()
    assert result.num_rows == 200_000
    assert result.nbytes > 32 << 20
    assert result.column("a")[199_999].as_py() == "a" * 39 + "9"


def test_rows_come_back_in_insertion_order(conn):
    """Issue 10 item 11: four one-row INSERTs read back newest file first."""
    table = fresh("ord")
    with conn.cursor() as cur:
        cur.execute("CREATE SCHEMA IF NOT EXISTS exact")
        cur.execute(f"CREATE TABLE exact.{table} (x INTEGER)")
        for i in range(4):
            cur.execute(f"INSERT INTO exact.{table} VALUES ({i})")
        cur.execute(f"INSERT INTO exact.{table} SELECT 10 + i FROM range(3) t(i)")
        cur.execute(f"SELECT x FROM exact.{table}")
        assert [r[0] for r in cur.fetchall()] == [0, 1, 2, 3, 10, 11, 12]
        # DELETE keeps the order of what remains; rows an UPDATE or DELETE rewrites come back as of
        # the rewriting commit (after older rows), the rest keeps its order (README, "Row order")
        cur.execute(f"DELETE FROM exact.{table} WHERE x = 2")
        cur.execute(f"SELECT x FROM exact.{table}")
        assert [r[0] for r in cur.fetchall()] == [0, 1, 3, 10, 11, 12]
        cur.execute(f"DELETE FROM exact.{table} WHERE x = 11")
        cur.execute(f"UPDATE exact.{table} SET x = 100 WHERE x = 1")
        cur.execute(f"INSERT INTO exact.{table} VALUES (4)")
        cur.execute(f"SELECT x FROM exact.{table}")
        assert [r[0] for r in cur.fetchall()] == [0, 3, 10, 12, 100, 4]


def test_enum_and_bound_parameter_results(conn):
    """Issue 10 item 12: ENUM results crashed the stream; SELECT ? + 1 announced another schema."""
    with conn.cursor() as cur:
        cur.execute("SELECT 'x'::ENUM('x', 'y') AS e")
        assert cur.fetchone() == ("x",)
        cur.execute("SELECT ? + 1 AS v", (41,))
        assert cur.fetchone() == (42,)
        params = pa.record_batch([pa.array([200], pa.uint8()), pa.array([2**64 - 1], pa.uint64()),
                                  pa.array(["b"]).dictionary_encode()], names=["a", "b", "c"])
        cur.execute("SELECT ? AS a, ? AS b, ? AS c", params)
        assert cur.fetchone() == (200, 2**64 - 1, "b")
        with pytest.raises(adbc_driver_manager.Error, match=r"parameter 1.*sub-microsecond"):
            cur.execute("SELECT ? AS t", pa.record_batch([pa.array([1], pa.timestamp("ns"))], names=["t"]))
            cur.fetchall()
