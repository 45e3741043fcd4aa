"""Normalizes what a model returns into a ``pyarrow.Table``."""

from __future__ import annotations

import pyarrow as pa


def _widen(t: pa.DataType) -> pa.DataType:
    # View types (polars' native strings) are not yet readable everywhere; hand out the large forms.
    if hasattr(pa.types, "is_string_view") and pa.types.is_string_view(t):
        return pa.large_string()
    if hasattr(pa.types, "is_binary_view") and pa.types.is_binary_view(t):
        return pa.large_binary()
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        inner = _widen(t.value_type)
        if inner != t.value_type:
            return pa.large_list(t.value_field.with_type(inner))
    if pa.types.is_struct(t):
        fields = [t.field(i) for i in range(t.num_fields)]
        widened = [f.with_type(_widen(f.type)) for f in fields]
        if any(a.type != b.type for a, b in zip(fields, widened)):
            return pa.struct(widened)
    return t


def _portable(table: pa.Table) -> pa.Table:
    schema = table.schema
    target = pa.schema([f.with_type(_widen(f.type)) for f in schema], metadata=schema.metadata)
    return table if target.equals(schema) else table.cast(target)


def to_arrow_table(value, what: str = "the model") -> pa.Table:
    """A pyarrow Table from a pyarrow Table/RecordBatch/reader, a pandas or polars DataFrame,
    or any object exporting ``__arrow_c_stream__``; a TypeError naming the type otherwise."""
    if isinstance(value, pa.Table):
        table = value
    elif isinstance(value, pa.RecordBatch):
        table = pa.Table.from_batches([value])
    elif isinstance(value, pa.RecordBatchReader):
        table = value.read_all()
    else:
        module = type(value).__module__ or ""
        if module.startswith("polars") and hasattr(value, "to_arrow"):
            table = value.to_arrow()
        elif module.startswith("pandas") and type(value).__name__ == "DataFrame":
            table = pa.Table.from_pandas(value, preserve_index=False)
        elif hasattr(value, "__arrow_c_stream__"):
            table = pa.RecordBatchReader.from_stream(value).read_all()
        else:
            raise TypeError(
                "%s: got a %s; it must be a pyarrow.Table, a pandas or polars DataFrame, "
                "or an object exporting __arrow_c_stream__" % (what, type(value).__name__))
    return _portable(table)
