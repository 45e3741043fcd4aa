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
