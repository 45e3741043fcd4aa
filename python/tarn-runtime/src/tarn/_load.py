"""Loads a model file as a module."""

from __future__ import annotations

import importlib.util
import os
import sys


def load_module(path: str):
    path = os.path.abspath(path)
    if not os.path.isfile(path):
        raise FileNotFoundError("model file %s does not exist" % path)
    folder = os.path.dirname(path)
    if folder not in sys.path:
        sys.path.insert(0, folder)  # sibling helper modules of the project import normally
    name = "tarn_models_" + os.path.splitext(os.path.basename(path))[0]
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    # Compiled from the source every time, never from cached bytecode: a cached file is trusted when
    # the source's size and whole-second time match, which an edit saved within the same second can.
    with open(path, "rb") as f:
        code = compile(f.read(), path, "exec", dont_inherit=True)
    exec(code, module.__dict__)
    return module
