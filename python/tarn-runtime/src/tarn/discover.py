"""``python -m tarn.discover FILE.py ...``: prints the models and expectations of files as JSON."""

from __future__ import annotations

import json
import sys

from tarn._api import describe, functions_of
from tarn._load import load_module


def discover(path: str):
    return [dict(describe(fn), file=path) for fn in functions_of(load_module(path))]


def main(argv) -> int:
    if len(argv) < 2:
        print("usage: python -m tarn.discover FILE.py ...", file=sys.stderr)
        return 3
    found = []
    for path in argv[1:]:
        found.extend(discover(path))
    json.dump(found, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
