"""Tarn's model API: declare models as functions from tables to a table.

    import tarn

    @tarn.model(materialize=True)
    @tarn.python("3.11", pip={"polars": "1.33.0"})
    def usd_by_country(data=tarn.Model("euro_selection")):
        ...
"""

from tarn._api import (
    EXPECTATION,
    MODEL,
    FunctionSpec,
    Model,
    Parameter,
    PythonSpec,
    describe,
    expectation,
    functions_of,
    inputs_of,
    model,
    parameters_of,
    python,
)
from tarn._arrow import to_arrow_table
from tarn import standard_expectations

__version__ = "0.1.0"

__all__ = [
    "Model",
    "Parameter",
    "model",
    "python",
    "expectation",
    "to_arrow_table",
    "standard_expectations",
    "describe",
    "functions_of",
    "inputs_of",
    "parameters_of",
    "FunctionSpec",
    "PythonSpec",
    "MODEL",
    "EXPECTATION",
]

# The client (tarn.connect) needs adbc-driver-flightsql, imported only when a client connects; the
# model API above needs nothing but pyarrow, so model environments import tarn without it.
from tarn.client import (  # noqa: E402
    Branch,
    Client,
    Commit,
    MergeResult,
    Ref,
    RunFailed,
    RunInfo,
    RunResult,
    TableChange,
    Tag,
    TarnError,
    connect,
    to_polars,
)

__all__ += ["connect", "Client", "TarnError", "RunFailed", "Ref", "Branch", "Tag", "Commit", "MergeResult",
            "TableChange", "RunResult", "RunInfo", "to_polars"]
