"""B4's baseline model process: the same model, handed its table as Parquet files on disk.

    python parquet_run.py MODEL_FILE MODEL INPUT.parquet OUTPUT.parquet RESULT.json

Like ``tarn.run`` it loads the model file with the runtime's loader, calls the model and normalizes
what it returns with the runtime's ``to_arrow_table``; instead of memory-mapping Arrow IPC it reads
its input with ``pyarrow.parquet.read_table`` and writes its output with ``write_table`` (pyarrow's
defaults: Snappy). It reports the same timings as ``tarn.run``, in seconds.
"""

import json
import sys
import time

import pyarrow.parquet as pq
from tarn._arrow import to_arrow_table
from tarn._load import load_module


def main(module_file, model, input_path, output_path, result_path):
    fn = getattr(load_module(module_file), model)
    opened = time.monotonic()
    table = pq.read_table(input_path)
    started = time.monotonic()
    value = fn(table)
    writing = time.monotonic()
    output = to_arrow_table(value, "model %s" % model)
    pq.write_table(output, output_path)
    written = time.monotonic()
    with open(result_path, "w") as f:
        json.dump({"rows": output.num_rows, "inputs_seconds": started - opened,
                   "seconds": writing - started, "output_seconds": written - writing}, f)


if __name__ == "__main__":
    if len(sys.argv) != 6:
        print("usage: python parquet_run.py MODEL_FILE MODEL INPUT.parquet OUTPUT.parquet RESULT.json",
              file=sys.stderr)
        sys.exit(3)
    main(*sys.argv[1:])
