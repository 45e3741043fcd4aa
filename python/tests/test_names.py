"""Names are data, never paths: Flight SQL ingest refuses table and column names that could leave
their folder, with an error naming the identifier and the rule, and the connection keeps serving."""
import pyarrow as pa
import pytest


@pytest.mark.parametrize("name", ["../../escape", "a/b", "back\\slash", "..", "tab\there"])
def test_ingest_refuses_table_names_that_are_paths(conn, name):
    with conn.cursor() as cur:
        with pytest.raises(Exception) as refused:
            cur.adbc_ingest(name, pa.table({"id": [1]}), mode="create")
        assert "table name" in str(refused.value) and "is not allowed" in str(refused.value), str(refused.value)
        cur.execute("SELECT 1 AS ok")
        assert cur.fetch_arrow_table().to_pylist() == [{"ok": 1}]


def test_ingest_refuses_column_names_that_are_paths(conn):
    with conn.cursor() as cur:
        with pytest.raises(Exception) as refused:
            cur.adbc_ingest("columns_checked", pa.table({"../up": [1]}), mode="create")
        assert 'column name "../up"' in str(refused.value), str(refused.value)
        with pytest.raises(Exception) as missing:
            cur.execute("SELECT * FROM columns_checked")
        assert "columns_checked" in str(missing.value), "the refused table was not created"


def test_names_in_any_script_ingest_and_read_back(conn):
    table = pa.table({"naïve": [1, 2], "名前": ["a", "b"]})
    with conn.cursor() as cur:
        cur.adbc_ingest("日本_café", table, mode="create")
        cur.execute('SELECT "naïve", "名前" FROM "日本_café" ORDER BY 1')
        assert cur.fetch_arrow_table().to_pylist() == [{"naïve": 1, "名前": "a"}, {"naïve": 2, "名前": "b"}]


@pytest.mark.parametrize("names", [["a", "a"], ["id", "ID"], ["x", "y", "X"]])
def test_ingest_refuses_a_repeated_column_name(conn, names):
    table = pa.table([pa.array([i]) for i in range(len(names))], names=names)
    with conn.cursor() as cur:
        with pytest.raises(Exception) as refused:
            cur.adbc_ingest("repeated_names", table, mode="create")
        assert f'column name "{names[-1]}" appears twice' in str(refused.value), str(refused.value)
        with pytest.raises(Exception, match="repeated_names"):
            cur.execute("SELECT * FROM repeated_names")


def test_names_differing_only_beyond_ascii_case_are_two_columns(conn):
    # DuckDB folds ASCII case only: é and É are distinct names, as they are in Arrow
    table = pa.table([pa.array([1]), pa.array([2])], names=["é", "É"])
    with conn.cursor() as cur:
        cur.adbc_ingest("accented_pair", table, mode="create")
        cur.execute('SELECT "é", "É" FROM accented_pair')
        assert cur.fetch_arrow_table().to_pylist() == [{"é": 1, "É": 2}]


@pytest.mark.parametrize("column, where", [
    (pa.array([{"x": 1}], pa.struct([("x", pa.int32()), ("x", pa.int64())])), 'column "c" is a struct'),
    (pa.array([[{"k": 1}]], pa.list_(pa.struct([("k", pa.int32()), ("K", pa.int64())]))),
     'column "c" (list element) is a struct'),
    (pa.array([{"o": {"y": 1}}], pa.struct([("o", pa.struct([("y", pa.int8()), ("y", pa.int8())]))])),
     'column "c" (field "o") is a struct'),
])
def test_ingest_refuses_a_struct_with_a_repeated_field_name(conn, column, where):
    with conn.cursor() as cur:
        with pytest.raises(Exception) as refused:
            cur.adbc_ingest("repeated_fields", pa.table({"c": column}), mode="create")
        message = str(refused.value)
        assert where in message and "twice" in message and "INTERNAL" not in message, message
        cur.execute("SELECT 1")
        assert cur.fetchone() == (1,)
