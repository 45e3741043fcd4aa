"""Common data checks for ``@tarn.expectation()`` functions (Bauplan's ``bauplan.standard_expectations``).

Each check takes a table (a ``pyarrow.Table`` or anything a model may return: a pandas or polars
DataFrame, a RecordBatch, an object exporting ``__arrow_c_stream__``) and a column name, and returns
a bool, so that the expectation can return it, combine it or ``assert`` it::

    import bauplan
    from bauplan.standard_expectations import expect_column_no_nulls

    @bauplan.expectation()
    @bauplan.python("3.11")
    def ids_are_set(data=bauplan.Model("orders")):
        return expect_column_no_nulls(data, "id")

The checks run in pyarrow.compute, so a model environment needs nothing beyond pyarrow.

What nulls do: a null is a missing value (NaN in a float column is a value, as in Arrow). Uniqueness
counts null as a value (two nulls are a duplicate). ``accepted_values`` accepts a null only when the
list holds ``None``. The mean is over the non-null values; a column with no such value has no mean,
and every comparison of it is False. On an empty table every check that speaks of "all values" is
True, and ``expect_column_some_null`` and the mean checks are False.

A column name the table does not have raises ``KeyError`` naming it and the table's columns.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from tarn._arrow import to_arrow_table

__all__ = [
    "expect_column_accepted_values",
    "expect_column_all_null",
    "expect_column_all_unique",
    "expect_column_equal_concatenation",
    "expect_column_mean_greater_or_equal_than",
    "expect_column_mean_greater_than",
    "expect_column_mean_smaller_or_equal_than",
    "expect_column_mean_smaller_than",
    "expect_column_no_nulls",
    "expect_column_not_unique",
    "expect_column_some_null",
]


class ColumnNotFound(KeyError):
    """The table has no column of that name."""

    def __str__(self):  # KeyError would show the message quoted
        return self.args[0]


def _table(table) -> pa.Table:
    try:
        return to_arrow_table(table)
    except TypeError:
        raise TypeError("a standard expectation checks a table: a pyarrow Table or RecordBatch, a pandas or "
                        "polars DataFrame, or an object exporting __arrow_c_stream__; got %s"
                        % type(table).__name__) from None


def _column(table: pa.Table, column_name: str) -> pa.ChunkedArray:
    if not isinstance(column_name, str):
        raise TypeError("a column name must be a str, got %r" % (column_name,))
    if column_name not in table.column_names:
        raise ColumnNotFound("the table has no column %r (its columns: %s)"
                             % (column_name, ", ".join(table.column_names) or "none"))
    return table.column(column_name)


def _all(mask) -> bool:
    # min_count=0: a check over no rows at all holds
    return bool(pc.all(mask, min_count=0).as_py())


def expect_column_no_nulls(table, column_name: str) -> bool:
    """True when the column holds no null."""
    return _column(_table(table), column_name).null_count == 0


def expect_column_some_null(table, column_name: str) -> bool:
    """True when the column holds at least one null."""
    return _column(_table(table), column_name).null_count > 0


def expect_column_all_null(table, column_name: str) -> bool:
    """True when every value of the column is null."""
    column = _column(_table(table), column_name)
    return column.null_count == len(column)


def _distinct_count(column: pa.ChunkedArray) -> int:
    return pc.count_distinct(column, mode="all").as_py()  # a null counts as one value


def expect_column_all_unique(table, column_name: str) -> bool:
    """True when no value appears twice in the column (two nulls are a duplicate)."""
    column = _column(_table(table), column_name)
    return _distinct_count(column) == len(column)


def expect_column_not_unique(table, column_name: str) -> bool:
    """True when some value appears more than once in the column."""
    column = _column(_table(table), column_name)
    return _distinct_count(column) < len(column)


def expect_column_accepted_values(table, column_name: str, accepted_values: list) -> bool:
    """True when every value of the column is one of ``accepted_values`` (a null only if it holds None)."""
    column = _column(_table(table), column_name)
    if isinstance(accepted_values, (str, bytes)) or not hasattr(accepted_values, "__iter__"):
        raise TypeError("accepted_values must be a list of values, got %r" % (accepted_values,))
    try:
        value_set = pa.array(list(accepted_values), type=column.type)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, TypeError, OverflowError) as e:
        raise TypeError("accepted_values %r do not fit column %r of type %s: %s"
                        % (accepted_values, column_name, column.type, e)) from e
    return _all(pc.is_in(column, value_set=value_set, skip_nulls=False))


def _mean(table, column_name: str):
    column = _column(_table(table), column_name)
    if not (pa.types.is_integer(column.type) or pa.types.is_floating(column.type)
            or pa.types.is_decimal(column.type)):
        raise TypeError("column %r has type %s: a mean needs a numeric column" % (column_name, column.type))
    return pc.mean(column).as_py()  # None when the column has no non-null value


def _compare(table, column_name: str, value, holds) -> bool:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError("the value to compare the mean of %r with must be a number, got %r" % (column_name, value))
    mean = _mean(table, column_name)
    return mean is not None and bool(holds(float(mean), value))


def expect_column_mean_greater_than(table, column_name: str, value: float) -> bool:
    """True when the mean of the column's non-null values is greater than ``value``."""
    return _compare(table, column_name, value, lambda mean, v: mean > v)


def expect_column_mean_greater_or_equal_than(table, column_name: str, value: float) -> bool:
    """True when the mean of the column's non-null values is at least ``value``."""
    return _compare(table, column_name, value, lambda mean, v: mean >= v)


def expect_column_mean_smaller_than(table, column_name: str, value: float) -> bool:
    """True when the mean of the column's non-null values is smaller than ``value``."""
    return _compare(table, column_name, value, lambda mean, v: mean < v)


def expect_column_mean_smaller_or_equal_than(table, column_name: str, value: float) -> bool:
    """True when the mean of the column's non-null values is at most ``value``."""
    return _compare(table, column_name, value, lambda mean, v: mean <= v)


def expect_column_equal_concatenation(table, target_column: str, columns: list, separator: str = "") -> bool:
    """True when, on every row, ``target_column`` equals the other ``columns`` as text joined by
    ``separator``. A row where a joined column is null holds only when the target is null too."""
    if isinstance(columns, str) or not columns:
        raise TypeError("columns must be a non-empty list of column names, got %r" % (columns,))
    if not isinstance(separator, str):
        raise TypeError("separator must be a str, got %r" % (separator,))
    t = _table(table)
    target = pc.cast(_column(t, target_column), pa.large_string())
    parts = [pc.cast(_column(t, name), pa.large_string()) for name in columns]
    joined = pc.binary_join_element_wise(*parts, pa.scalar(separator, pa.large_string()))
    both_null = pc.and_(pc.is_null(joined), pc.is_null(target))
    same = pc.fill_null(pc.equal(joined, target), False)
    return _all(pc.or_(both_null, same))
