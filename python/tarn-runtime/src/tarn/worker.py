"""``python -m tarn.worker``: a warm model process, running one request after another.

Starting Python and importing pyarrow (and pandas, polars...) costs more than most models run, so
the server keeps a few of these per environment. Each line on stdin is the path of a request file,
as ``tarn.run`` takes, plus a ``"worker"`` object with what a fresh process would have had::

    {"cwd": "/project", "environment": {"HOME": "/dev/shm/tarn-x", ...},
     "stdout": "/dev/shm/tarn-x/stdout.log", "stderr": "/dev/shm/tarn-x/stderr.log"}

The request runs exactly as ``python -m tarn.run`` would run it (the same result file and exit
codes), with file descriptors 1 and 2 on the run's log files, its environment variables, and its
folder as the current one; the exit code is then written as one line to the worker's stdout.

Between requests the state a model leaves is undone: the modules loaded from its project folder
(its file included) are forgotten, ``sys.path``, the environment and the current folder are put
back, and the standard streams point at nothing. Packages of the environment stay imported: that
is the warmth. Processes the model started are stopped, those it detached too. The answer line says
``threads`` after the code when the model left threads running, ``processes`` when it left
processes (which were stopped). The server keeps workers per user, and retires one after a failed
request, a model that left threads or processes, a number of runs, or when it has grown: what a
model leaves in a package's global state reaches only its user's next models, and not for long.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import threading


def _redirect(fd, path):
    target = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(target, fd)
    os.close(target)


def _forget_project_modules(folder, before):
    prefix = folder.rstrip(os.sep) + os.sep
    for name in [n for n in sys.modules if n not in before]:
        module = sys.modules.get(name)
        path = getattr(module, "__file__", None) or ""
        if name.startswith("tarn_models_") or os.path.abspath(path).startswith(prefix):
            del sys.modules[name]


def main() -> int:
    requests = os.fdopen(os.dup(0), "r")
    replies = os.fdopen(os.dup(1), "w")
    nothing = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(nothing, fd)  # a model reading stdin or printing between runs reaches nothing

    import pyarrow  # noqa: F401  every model's hand-off needs it: import it once, before any request
    from tarn import run as runner
    from tarn._processes import adopt_orphans, stop_descendants

    adopt_orphans()  # so what a model starts, detached or not, stays this worker's to stop

    modules = set(sys.modules)
    threads = threading.active_count()
    path = list(sys.path)
    environment = dict(os.environ)
    for line in requests:
        request_file = line.strip()
        if not request_file:
            break
        with open(request_file) as f:
            setup = json.load(f).get("worker") or {}
        folder = setup.get("cwd") or os.getcwd()
        _redirect(1, setup["stdout"])
        _redirect(2, setup["stderr"])
        os.environ.clear()
        os.environ.update(setup.get("environment") or environment)
        tempfile.tempdir = None  # TMPDIR is the run's now
        stopped = False
        try:
            os.chdir(folder)
            code = runner.main(["tarn.run", request_file])
        finally:
            try:
                stopped = stop_descendants()  # nothing a model started outlives it
            finally:
                sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__  # a model may have swapped them
            sys.stdout.flush()
            sys.stderr.flush()
            for fd in (1, 2):
                os.dup2(nothing, fd)
            _forget_project_modules(folder, modules)
            sys.path[:] = path
            os.environ.clear()
            os.environ.update(environment)
            tempfile.tempdir = None
        # threads a model left running would see the next model's files, and the libraries of a model
        # whose processes were stopped may still count on them: the server retires this worker
        left = " threads" if threading.active_count() > threads else " processes" if stopped else ""
        replies.write("%d%s\n" % (code, left))
        replies.flush()
    stop_descendants()
    return 0


if __name__ == "__main__":
    sys.exit(main())
