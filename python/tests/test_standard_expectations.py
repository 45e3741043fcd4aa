"""bauplan.standard_expectations on its edge cases: nulls, empty tables, NaN, wrong names and types.
The functions are those model processes import, from the runtime package itself."""
import math
import sys

import pyarrow as pa
import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "python/tarn-runtime/src"))

import bauplan  # noqa: E402
from bauplan import standard_expectations as se  # noqa: E402

TABLE = pa.table({
    "id": [1, 2, 3, 4],
    "dup": [1, 1, 2, None],
    "nulls": pa.array([None, None, None, None], pa.int64()),
    "some": [1.0, None, 3.0, 5.0],
    "status": ["paid", "paid", "shipped", None],
    "first": ["a", "b", None, "d"],
    "second": [1, 2, 3, None],
    "joined": ["a-1", "b-2", None, None],
})
EMPTY = TABLE.slice(0, 0)


def test_bauplan_and_tarn_share_the_module():
    import tarn
    assert bauplan.standard_expectations is tarn.standard_expectations is se


def test_nulls():
    assert se.expect_column_no_nulls(TABLE, "id") and not se.expect_column_no_nulls(TABLE, "some")
    assert se.expect_column_some_null(TABLE, "some") and not se.expect_column_some_null(TABLE, "id")
    assert se.expect_column_all_null(TABLE, "nulls") and not se.expect_column_all_null(TABLE, "some")


def test_nan_is_a_value_not_a_null():
    floats = pa.table({"x": [math.nan, 1.0]})
    assert se.expect_column_no_nulls(floats, "x") and not se.expect_column_some_null(floats, "x")


def test_uniqueness_counts_null_as_a_value():
    assert se.expect_column_all_unique(TABLE, "id") and not se.expect_column_not_unique(TABLE, "id")
    assert se.expect_column_not_unique(TABLE, "dup") and not se.expect_column_all_unique(TABLE, "dup")
    assert not se.expect_column_all_unique(TABLE, "nulls")  # four nulls: duplicates
    one_null = pa.table({"x": pa.array([1, None])})
    assert se.expect_column_all_unique(one_null, "x")


def test_accepted_values():
    assert not se.expect_column_accepted_values(TABLE, "status", ["paid", "shipped"])  # a null is not listed
    assert se.expect_column_accepted_values(TABLE, "status", ["paid", "shipped", None])
    assert not se.expect_column_accepted_values(TABLE, "status", ["paid"])
    assert se.expect_column_accepted_values(TABLE, "id", [1, 2, 3, 4, 5])
    with pytest.raises(TypeError, match="do not fit column 'id'"):
        se.expect_column_accepted_values(TABLE, "id", ["one"])
    with pytest.raises(TypeError, match="list of values"):
        se.expect_column_accepted_values(TABLE, "status", "paid")


def test_means_ignore_nulls():
    # mean of 1, 3, 5 is 3
    assert se.expect_column_mean_greater_than(TABLE, "some", 2.9) and not se.expect_column_mean_greater_than(
        TABLE, "some", 3)
    assert se.expect_column_mean_greater_or_equal_than(TABLE, "some", 3)
    assert se.expect_column_mean_smaller_than(TABLE, "some", 3.1) and not se.expect_column_mean_smaller_than(
        TABLE, "some", 3)
    assert se.expect_column_mean_smaller_or_equal_than(TABLE, "some", 3)
    # no non-null value: no mean, no comparison holds
    assert not se.expect_column_mean_greater_than(TABLE, "nulls", -1e300)
    assert not se.expect_column_mean_smaller_than(TABLE, "nulls", 1e300)
    with pytest.raises(TypeError, match="numeric"):
        se.expect_column_mean_greater_than(TABLE, "status", 0)
    with pytest.raises(TypeError, match="must be a number"):
        se.expect_column_mean_greater_than(TABLE, "some", "3")


def test_equal_concatenation():
    assert se.expect_column_equal_concatenation(TABLE, "joined", ["first", "second"], separator="-")
    assert not se.expect_column_equal_concatenation(TABLE, "joined", ["first", "second"])  # no separator
    assert not se.expect_column_equal_concatenation(TABLE, "status", ["first", "second"], separator="-")
    with pytest.raises(TypeError, match="non-empty list"):
        se.expect_column_equal_concatenation(TABLE, "joined", "first")


def test_empty_table():
    assert se.expect_column_no_nulls(EMPTY, "some")
    assert not se.expect_column_some_null(EMPTY, "some")
    assert se.expect_column_all_null(EMPTY, "some")
    assert se.expect_column_all_unique(EMPTY, "dup") and not se.expect_column_not_unique(EMPTY, "dup")
    assert se.expect_column_accepted_values(EMPTY, "status", [])
    assert not se.expect_column_mean_greater_than(EMPTY, "some", 0)
    assert se.expect_column_equal_concatenation(EMPTY, "joined", ["first", "second"], "-")


@pytest.mark.parametrize("check", [se.expect_column_no_nulls, se.expect_column_some_null,
                                   se.expect_column_all_null, se.expect_column_all_unique,
                                   se.expect_column_not_unique])
def test_a_wrong_column_name_names_it_and_the_columns(check):
    with pytest.raises(KeyError) as failure:
        check(TABLE, "Status")
    assert str(failure.value) == "the table has no column 'Status' (its columns: %s)" % ", ".join(TABLE.column_names)


def test_other_table_kinds_and_wrong_inputs():
    batch = TABLE.to_batches()[0]
    assert se.expect_column_all_unique(batch, "id")
    assert se.expect_column_all_unique(pa.RecordBatchReader.from_batches(TABLE.schema, [batch]), "id")
    with pytest.raises(TypeError, match="checks a table: .*; got list"):
        se.expect_column_no_nulls([1, 2], "id")
    with pytest.raises(TypeError, match="column name must be a str"):
        se.expect_column_no_nulls(TABLE, 0)
    with pytest.raises(KeyError, match="naïve"):
        se.expect_column_no_nulls(TABLE, "naïve ☃")
