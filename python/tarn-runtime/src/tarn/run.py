"""``python -m tarn.run REQUEST.json``: runs one model (or expectation) in this process.

The request is a JSON object:

    {"module": "/project/models.py",          # the file defining the model
     "model": "usd_by_country",               # its model name (or expectation function name)
     "inputs": {"euro_selection": "/dev/shm/tarn-x/in-0.arrow"},   # input name -> Arrow IPC file
     # or, for an input in parts (the scan cache's files plus the rest), input name ->
     #   {"parts": [{"file": "...", "columns": ["f_1", "f_3"]}, ...], "names": ["id", "usd"]}
     # each part's columns, in order, get the names; the parts are concatenated without copying
     "parameters": {"country": "IT"},          # run parameters, by Parameter name
     "output": "/dev/shm/tarn-x/out.arrow",    # where the output table goes (Arrow IPC file)
     "result": "/dev/shm/tarn-x/result.json",  # where the outcome goes
     "memory_limit_bytes": 4294967296}         # optional address-space limit of this process

Inputs are memory-mapped (``pa.memory_map`` + ``pa.ipc.open_file``): the tables handed to the
model point into the shared-memory files, nothing is copied or deserialized row by row.

On success the result file holds ``{"status": "ok", "model", "kind", "rows", "seconds"}`` (the
model function's own time) and ``inputs_seconds`` / ``output_seconds``: how long opening the
inputs and writing the output took, so the cost of the hand-off can be told from the model's.

Exit codes: 0 success, 1 the model raised or its file failed to load, 2 an expectation returned
false, 3 the request was invalid. On 1-3 the result file holds
``{"status", "model", "phase", "type", "message", "traceback"}``.
"""

from __future__ import annotations

import json
import os
import sys
import time
import traceback

OK, MODEL_ERROR, EXPECTATION_FAILED, BAD_REQUEST = 0, 1, 2, 3


class _Failure(Exception):
    def __init__(self, code, phase, message, exc=None):
        super().__init__(message)
        self.code, self.phase, self.exc = code, phase, exc


_RUNTIME_DIR = os.path.dirname(os.path.abspath(__file__))


def _format(exc):
    """The traceback of ``exc`` without the runner's and importlib's own frames."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        filename = tb.tb_frame.f_code.co_filename
        if not (filename.startswith(_RUNTIME_DIR) or filename.startswith("<frozen importlib")):
            break
        tb = tb.tb_next
    return "".join(traceback.format_exception(type(exc), exc, tb))


def _write_json(path, value):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(value, f)
    os.replace(tmp, path)


def _limit_memory(limit):
    if not limit:
        return
    import resource
    resource.setrlimit(resource.RLIMIT_AS, (int(limit), int(limit)))


def _find(module, name):
    from tarn._api import functions_of, _spec_of
    candidates = functions_of(module)
    for fn in candidates:
        if _spec_of(fn).name == name:
            return fn
    names = ", ".join(sorted(_spec_of(fn).name for fn in candidates)) or "none"
    raise _Failure(BAD_REQUEST, "load", "%s defines no model or expectation named %r (found: %s)"
                   % (module.__file__, name, names))


def _arguments(fn, request):
    import pyarrow as pa
    from tarn._api import inputs_of, parameters_of
    files, params = request.get("inputs") or {}, request.get("parameters") or {}
    kwargs = {}
    for arg, declared in inputs_of(fn).items():
        if declared.name not in files:
            raise _Failure(BAD_REQUEST, "inputs", "no data was handed over for input %r (argument %r)"
                           % (declared.name, arg))
        kwargs[arg] = _open_input(files[declared.name])
    for arg, declared in parameters_of(fn).items():
        if declared.name not in params:
            raise _Failure(BAD_REQUEST, "inputs", "run parameter %r (argument %r) is not set"
                           % (declared.name, arg))
        kwargs[arg] = params[declared.name]
    return kwargs


def _map(path):
    import pyarrow as pa
    source = pa.memory_map(path, "r")
    return pa.ipc.open_file(source).read_all()  # zero-copy: buffers point into the map


def _open_input(spec):
    if isinstance(spec, str):
        return _map(spec)
    import pyarrow as pa
    names = spec["names"]
    tables = [_map(part["file"]).select(part["columns"]).rename_columns(names) for part in spec["parts"]]
    try:
        return pa.concat_tables(tables)  # zero-copy: the result's chunks are the parts' batches
    except pa.ArrowInvalid:
        # the same columns read with different nullability or metadata
        return pa.concat_tables(tables, promote_options="permissive")


def _check_columns(name, declared, produced):
    """Fails the model when its output's columns differ from ``@model(columns=[...])``."""
    if declared is None:
        return
    missing = [c for c in declared if c not in produced]
    extra = [c for c in produced if c not in declared]
    if missing or extra:
        parts = []
        if missing:
            parts.append("lacks %s" % missing)
        if extra:
            parts.append("has columns it does not declare: %s" % extra)
        raise _Failure(MODEL_ERROR, "output", "model %s declares columns %s, but its output %s"
                       % (name, list(declared), " and ".join(parts)))


def _write_table(table, path):
    import pyarrow as pa
    with pa.OSFile(path, "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)


def run(request):
    from tarn._api import EXPECTATION, _spec_of
    from tarn._arrow import to_arrow_table
    from tarn._load import load_module
    name = request["model"]
    try:
        module = load_module(request["module"])
    except Exception as e:  # the model's file itself raised: that is the model's error
        raise _Failure(MODEL_ERROR, "load", "loading %s failed: %s" % (request["module"], e), e)
    fn = _find(module, name)
    opened = time.monotonic()
    kwargs = _arguments(fn, request)
    started = time.monotonic()
    inputs_seconds = started - opened
    try:
        value = fn(**kwargs)
    except Exception as e:
        raise _Failure(MODEL_ERROR, "run", str(e), e)
    seconds = time.monotonic() - started
    if _spec_of(fn).kind == EXPECTATION:
        if not isinstance(value, bool) and type(value).__name__ != "bool_":
            raise _Failure(MODEL_ERROR, "run", "expectation %s returned %s, not a bool"
                           % (name, type(value).__name__))
        if not value:
            raise _Failure(EXPECTATION_FAILED, "expectation", "expectation %s returned False" % name)
        return {"status": "ok", "model": name, "kind": EXPECTATION, "rows": 0, "seconds": seconds,
                "inputs_seconds": inputs_seconds, "output_seconds": 0.0}
    writing = time.monotonic()
    try:
        table = to_arrow_table(value, "model %s" % name)
    except Exception as e:
        raise _Failure(MODEL_ERROR, "output", str(e), e)
    _check_columns(name, _spec_of(fn).columns, table.column_names)
    _write_table(table, request["output"])
    return {"status": "ok", "model": name, "kind": "model", "rows": table.num_rows, "seconds": seconds,
            "inputs_seconds": inputs_seconds, "output_seconds": time.monotonic() - writing}


def main(argv) -> int:
    if len(argv) != 2:
        print("usage: python -m tarn.run REQUEST.json", file=sys.stderr)
        return BAD_REQUEST
    with open(argv[1]) as f:
        request = json.load(f)
    result_path = request["result"]
    try:
        _limit_memory(request.get("memory_limit_bytes"))
        outcome, code = run(request), OK
    except _Failure as failure:
        exc = failure.exc
        code = failure.code
        outcome = {
            "status": {MODEL_ERROR: "error", EXPECTATION_FAILED: "expectation_failed"}.get(code, "invalid"),
            "model": request.get("model"),
            "phase": failure.phase,
            "type": type(exc).__name__ if exc else "TarnError",
            "message": str(failure),
            "traceback": _format(exc) if exc else "",
        }
        if failure.code == MODEL_ERROR:
            sys.stderr.write(outcome["traceback"])
        else:
            print(str(failure), file=sys.stderr)
    except BaseException as exc:  # MemoryError, SystemExit, KeyboardInterrupt inside the model
        code = MODEL_ERROR
        outcome = {"status": "error", "model": request.get("model"), "phase": "run",
                   "type": type(exc).__name__, "message": str(exc) or type(exc).__name__,
                   "traceback": _format(exc)}
        sys.stderr.write(outcome["traceback"])
    sys.stdout.flush()
    _write_json(result_path, outcome)
    return code


if __name__ == "__main__":
    import atexit

    from tarn._processes import adopt_orphans, stop_descendants

    adopt_orphans()
    # what the model starts, detached or not, ends with it: registered first, so it runs last at
    # exit, after the model's own threads and exit handlers
    atexit.register(stop_descendants)
    sys.exit(main(sys.argv))
