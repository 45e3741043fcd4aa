"""``python -m tarn.discover FILE.py ...``: prints the models and expectations of files as JSON.

``python -m tarn.discover --serve`` is the same discovery kept warm: starting Python and importing
pyarrow cost about 0.1 s, more than reading a project's files, and every edit to a model file needs
a discovery. Each line on stdin is one request, a JSON object::

    {"files": ["/project/models.py"], "folder": "/tmp/tarn-discover-x",
     "stdout": "/tmp/tarn-discover-x/models.json", "stderr": "/tmp/tarn-discover-x/stderr.log",
     "environment": {"HOME": "/tmp/tarn-discover-x", ...}}

For each, the process forks. The child runs the discovery exactly as ``python -m tarn.discover``
would, in the request's folder and environment, with file descriptors 1 and 2 on the request's
files, and exits; so nothing a model file does on import outlives its request, and the warm process
itself never runs a model file's code. The child's exit status is then written as one line to the
process's stdout.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import traceback

from tarn._api import describe, functions_of
from tarn._load import load_module


def discover(path: str):
    return [dict(describe(fn), file=path) for fn in functions_of(load_module(path))]


def main(argv) -> int:
    if len(argv) < 2:
        print("usage: python -m tarn.discover FILE.py ...", file=sys.stderr)
        return 3
    if argv[1] == "--serve":
        return serve()
    found = []
    for path in argv[1:]:
        found.extend(discover(path))
    json.dump(found, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


def serve() -> int:
    requests = os.fdopen(os.dup(0), "r")
    replies = os.fdopen(os.dup(1), "w")
    nothing = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(nothing, fd)
    os.close(nothing)

    import pyarrow  # noqa: F401  what model files import first: imported once, before any request

    start_folder = os.getcwd()
    for line in requests:
        if not line.strip():
            break
        request = json.loads(line)
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            _discover_in_child(request, (requests.fileno(), replies.fileno()), start_folder)
        _, status = os.waitpid(pid, 0)
        replies.write("%d\n" % os.waitstatus_to_exitcode(status))
        replies.flush()
    return 0


def _discover_in_child(request, protocol, start_folder):
    """Never returns: runs one request in a forked child and exits with its status."""
    code = 1
    try:
        for fd in protocol:  # a model file's code must not reach the server's channel
            os.close(fd)
        _redirect(1, request["stdout"])
        _redirect(2, request["stderr"])
        os.environ.clear()
        os.environ.update(request["environment"])
        tempfile.tempdir = None  # TMPDIR is the request's now
        folder = request["folder"]
        os.chdir(folder)
        if sys.path and sys.path[0] == start_folder:
            sys.path[0] = folder  # as "python -m" started in the request's folder would have it
        code = main(["tarn.discover", *request["files"]])
    except SystemExit as e:
        if e.code is None:
            code = 0
        elif isinstance(e.code, int):
            code = e.code
        else:
            print(e.code, file=sys.stderr)
            code = 1
    except BaseException:
        traceback.print_exc()
        code = 1
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code & 0xFF if code >= 0 else 1)


def _redirect(fd, path):
    target = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(target, fd)
    os.close(target)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
