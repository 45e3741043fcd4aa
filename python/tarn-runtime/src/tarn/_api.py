"""Decorators and input markers of Tarn models.

Decorators never wrap the function: they attach a ``FunctionSpec`` as ``fn.__tarn__`` and return
the function itself, so a model stays a plain callable and a loader can read its metadata.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_VERSION = re.compile(r"^3\.[0-9]+(\.[0-9]+)?$")

MODEL = "model"
EXPECTATION = "expectation"


@dataclass(frozen=True)
class Model:
    """An input of a model: another model or a lakehouse table.

    ``columns`` and ``filter`` are pushed down into the scan that produces the input.
    """

    name: str
    columns: Optional[Tuple[str, ...]] = None
    filter: Optional[str] = None

    def __init__(self, name: str, columns: Optional[List[str]] = None, filter: Optional[str] = None):
        if not isinstance(name, str) or not name.strip():
            raise ValueError("Model(name) needs the name of a model or table, got %r" % (name,))
        if columns is not None:
            if isinstance(columns, str) or not all(isinstance(c, str) and c for c in columns):
                raise ValueError("Model(%r, columns=...) must be a list of column names" % name)
            columns = tuple(columns)
        if filter is not None and not isinstance(filter, str):
            raise ValueError("Model(%r, filter=...) must be a SQL expression string" % name)
        object.__setattr__(self, "name", name.strip())
        object.__setattr__(self, "columns", columns)
        object.__setattr__(self, "filter", filter)

    def to_json(self) -> Dict[str, Any]:
        return {"name": self.name,
                "columns": list(self.columns) if self.columns is not None else None,
                "filter": self.filter}


@dataclass(frozen=True)
class Parameter:
    """A run parameter, set with ``RUN PIPELINE ... WITH (param.<name> = value)``."""

    name: str

    def __post_init__(self):
        if not isinstance(self.name, str) or not _NAME.match(self.name):
            raise ValueError("Parameter(name) needs an identifier, got %r" % (self.name,))


@dataclass(frozen=True)
class PythonSpec:
    """The interpreter version and pip pins of a model's environment."""

    version: str
    pip: Mapping[str, str] = field(default_factory=dict)
    internet_access: Optional[bool] = None

    def to_json(self) -> Dict[str, Any]:
        return {"version": self.version, "pip": dict(sorted(self.pip.items()))}


@dataclass(frozen=True)
class FunctionSpec:
    """What the decorators of one function declared."""

    kind: Optional[str] = None  # MODEL, EXPECTATION, or None while only @python was applied
    name: Optional[str] = None
    materialization_strategy: str = "NONE"  # NONE, REPLACE or APPEND
    schema: Optional[str] = None
    python: Optional[PythonSpec] = None
    columns: Optional[Tuple[str, ...]] = None  # the output's columns, checked after the model ran
    internet_access: Optional[bool] = None  # from @model; @python's applies when this is None

    @property
    def materialize(self) -> bool:
        return self.materialization_strategy != "NONE"

    def network(self) -> Optional[bool]:
        """Whether the model asked for internet access: @model's word, else @python's, else None."""
        if self.internet_access is not None:
            return self.internet_access
        return self.python.internet_access if self.python else None


def _spec_of(fn: Callable) -> FunctionSpec:
    return getattr(fn, "__tarn__", None) or FunctionSpec()


def _attach(fn: Callable, decorator: str, **changes) -> Callable:
    if not callable(fn) or not hasattr(fn, "__code__"):
        raise TypeError("@%s() decorates a function, got %r" % (decorator, fn))
    current = _spec_of(fn)
    kind = changes.get("kind")
    if kind is not None and current.kind is not None and current.kind != kind:
        raise TypeError("%s is declared both a %s and an %s" % (fn.__name__, current.kind, kind))
    fn.__tarn__ = replace(current, **changes)
    return fn


STRATEGIES = ("NONE", "REPLACE", "APPEND")



def _optional_bool(value, where):
    if value is not None and not isinstance(value, bool):
        raise ValueError("%s must be True or False, got %r" % (where, value))
    return value


def model(name: Optional[str] = None, columns: Optional[List[str]] = None, materialize: bool = False,
          schema: Optional[str] = None, materialization_strategy: Optional[str] = None,
          internet_access: Optional[bool] = None, **ignored):
    # ``ignored``: Bauplan keywords without effect on Tarn, accepted so Bauplan projects run unchanged:
    # cache_strategy (Tarn's scan cache needs no hint), partitioned_by and overwrite_filter (Tarn
    # writes unpartitioned tables).
    """Declares a model: a function from input tables (``Model`` defaults) to one table.

    ``materialization_strategy`` is ``'NONE'`` (the default: not written), ``'REPLACE'`` (the
    table becomes the output; ``materialize=True`` means the same) or ``'APPEND'`` (the output's
    rows are added to the table, which is created when absent). ``columns`` lists the output's
    columns: after the model runs, a missing or an undeclared column fails it. Other Bauplan
    keywords (``cache_strategy``, ``partitioned_by``, ...) are accepted and have no effect.
    """
    if callable(name):  # used as bare @model
        return model()(name)
    if name is not None and not _NAME.match(name):
        raise ValueError("@model(name=%r): a model name must be an identifier" % (name,))
    if schema is not None and not _NAME.match(schema):
        raise ValueError("@model(schema=%r): a schema name must be an identifier" % (schema,))
    if columns is not None:
        if isinstance(columns, str) or not all(isinstance(c, str) and c for c in columns):
            raise ValueError("@model(columns=%r): columns must be a list of column names" % (columns,))
        if len(set(columns)) != len(columns):
            raise ValueError("@model(columns=%r): a column is listed twice" % (columns,))
        columns = tuple(columns)
    strategy = "REPLACE" if materialize else "NONE"
    if materialization_strategy is not None:
        if not isinstance(materialization_strategy, str) or materialization_strategy.upper() not in STRATEGIES:
            hint = (" (Tarn does not overwrite partitions: use REPLACE or APPEND)"
                    if str(materialization_strategy).upper() == "OVERWRITE_PARTITIONS" else "")
            raise ValueError("@model(materialization_strategy=%r): use one of %s%s"
                             % (materialization_strategy, ", ".join(STRATEGIES), hint))
        if materialize and materialization_strategy.upper() == "NONE":
            raise ValueError("@model(materialize=True, materialization_strategy='NONE') contradict each other")
        strategy = materialization_strategy.upper()
    _optional_bool(internet_access, "@model(internet_access=...)")

    def decorate(fn):
        return _attach(fn, "model", kind=MODEL, name=name or fn.__name__, materialization_strategy=strategy,
                       schema=schema, columns=columns, internet_access=internet_access)

    return decorate


def python(version: str, pip: Optional[Mapping[str, str]] = None, internet_access: Optional[bool] = None):
    """Declares the Python version and the pip packages (name -> exact version) of a model.

    ``internet_access=False`` runs the model's process without a network (see the README).
    """
    version = str(version)
    if not _VERSION.match(version):
        raise ValueError("@python(%r): the version must look like '3.11'" % (version,))
    pins = dict(pip or {})
    for package, pinned in pins.items():
        if not isinstance(package, str) or not isinstance(pinned, str) or not package or not pinned:
            raise ValueError("@python(pip=...): pins map package names to version strings, got %r: %r"
                             % (package, pinned))

    _optional_bool(internet_access, "@python(internet_access=...)")

    def decorate(fn):
        return _attach(fn, "python", python=PythonSpec(version, pins, internet_access))

    return decorate


def expectation():
    """Declares an expectation: a function over model outputs returning a bool."""

    def decorate(fn):
        return _attach(fn, "expectation", kind=EXPECTATION, name=fn.__name__)

    return decorate


def inputs_of(fn: Callable) -> Dict[str, Model]:
    """Argument name -> ``Model`` for every argument whose default value is a ``Model``."""
    return {p.name: p.default for p in inspect.signature(fn).parameters.values()
            if isinstance(p.default, Model)}


def parameters_of(fn: Callable) -> Dict[str, Parameter]:
    """Argument name -> ``Parameter`` for every argument whose default value is a ``Parameter``."""
    return {p.name: p.default for p in inspect.signature(fn).parameters.values()
            if isinstance(p.default, Parameter)}


def describe(fn: Callable) -> Dict[str, Any]:
    """The metadata of a decorated function as plain JSON-ready data."""
    spec = _spec_of(fn)
    return {
        "name": spec.name or fn.__name__,
        "kind": spec.kind,
        "function": fn.__name__,
        "materialize": spec.materialize,
        "materialization_strategy": spec.materialization_strategy,
        "columns": list(spec.columns) if spec.columns is not None else None,
        "internet_access": spec.network(),
        "schema": spec.schema,
        "python": spec.python.to_json() if spec.python else None,
        "inputs": {arg: m.to_json() for arg, m in inputs_of(fn).items()},
        "parameters": {arg: p.name for arg, p in parameters_of(fn).items()},
    }


def functions_of(module) -> List[Callable]:
    """The models and expectations defined in a module, in definition order."""
    found = [v for v in vars(module).values()
             if callable(v) and _spec_of(v).kind is not None
             and getattr(v, "__module__", None) == module.__name__]
    return sorted(found, key=lambda f: f.__code__.co_firstlineno)
