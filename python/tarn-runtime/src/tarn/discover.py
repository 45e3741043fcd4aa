"""``python -m tarn.discover FILE.py ...``: prints the models and expectations of files as JSON.

``python -m tarn.discover --wait`` is the same process started before its files are known: it
imports pyarrow and Tarn's runtime (about 0.1 s, more than reading a project's files), then waits for
a line on stdin, reads the files' list from ``files.json`` in its folder, and discovers them exactly
as if they had been its arguments. The server keeps one such process waiting, so a run after an
edit does not wait for Python to start. Each process serves one discovery and exits, as one started
with the files would.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import sys

from tarn._api import describe, functions_of
from tarn._load import load_module
from tarn._processes import adopt_orphans, stop_descendants


def discover(path: str):
    return [dict(describe(fn), file=path) for fn in functions_of(load_module(path))]


def main(argv) -> int:
    if len(argv) < 2:
        print("usage: python -m tarn.discover FILE.py ... | --wait", file=sys.stderr)
        return 3
    if argv[1:] == ["--wait"]:
        return wait_for_files(argv[0])
    found = []
    for path in argv[1:]:
        found.extend(discover(path))
    json.dump(found, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


FILES = "files.json"
"""Where ``--wait`` finds its files, in its current folder, once a line on stdin says they are there."""


def wait_for_files(program) -> int:
    import pyarrow  # noqa: F401  what model files import first: imported before they are known

    line = sys.stdin.buffer.readline()
    if not line.strip():  # the server went away before it needed this process: its folder goes too
        folder = os.getcwd()
        if os.path.basename(folder).startswith("tarn-discover-"):
            shutil.rmtree(folder, ignore_errors=True)
        return 0
    with open(FILES, "rb") as f:  # UTF-8 JSON, whatever the locale
        files = json.load(f)
    nothing = os.open(os.devnull, os.O_RDONLY)
    os.dup2(nothing, 0)  # as a process started with its files: nothing more comes on stdin
    os.close(nothing)
    sys.argv = [program, *files]
    return main(sys.argv)


if __name__ == "__main__":
    adopt_orphans()
    # what a model file's code starts, detached or not, ends with the discovery: registered first,
    # so it runs last at exit, after the file's own threads and exit handlers
    atexit.register(stop_descendants)
    sys.exit(main(sys.argv))
