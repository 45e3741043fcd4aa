"""A Bauplan SDK script, run on Tarn: only the line that makes the client differs from Bauplan's.

It follows the steps of Bauplan's "refs, commits, branches and tags" walkthrough on the
examples/pipelines/bauplan_features project (load examples/pipelines/orders.sql into main first):

    TARN_URL=grpc://127.0.0.1:31337 python examples/bauplan_client/walkthrough.py
"""
import os
import sys
from pathlib import Path

import bauplan

PROJECT = Path(__file__).resolve().parents[1] / "pipelines" / "bauplan_features"
LEADERS = "SELECT label, leaders FROM run_log ORDER BY label"

client = bauplan.Client(url=os.environ.get("TARN_URL", "grpc://127.0.0.1:31337"))  # Bauplan: bauplan.Client()

my_branch = sys.argv[1] if len(sys.argv) > 1 else "walkthrough_dev"
if client.has_branch(my_branch):
    client.delete_branch(my_branch)
client.create_branch(my_branch, from_ref="main")

# a new branch starts at its source's head
assert client.get_commits(my_branch, limit=1)[0].ref.hash == client.get_commits("main", limit=1)[0].ref.hash

# run the pipeline on the branch, twice, with different parameters
run_1 = client.run(project_dir=str(PROJECT), ref=my_branch, parameters={"label": "first", "top_n": 1})
assert run_1.job_status == "SUCCESS", run_1.error
after_run_1 = client.get_commits(my_branch, limit=1)[0]
run_2 = client.run(project_dir=str(PROJECT), ref=my_branch, parameters={"label": "second", "top_n": 2})
assert run_2.job_status == "SUCCESS", run_2.error

# the APPEND model keeps one row per run; the commit after run 1 still shows one
rows = client.query(LEADERS, ref=my_branch).to_pylist()
assert [r["label"] for r in rows] == ["first", "second"], rows
assert [r["label"] for r in client.query(LEADERS, ref=after_run_1.ref).to_pylist()] == ["first"]

# name the state, merge it, and clean up
client.create_tag(my_branch + "_v1", from_ref=my_branch)
client.merge_branch(source_ref=my_branch, into_branch="main")
assert [r["label"] for r in client.query(LEADERS, ref="main").to_pylist()] == ["first", "second"]
client.delete_branch(my_branch)
assert not client.has_branch(my_branch)

# a failed run is returned, not raised, as Bauplan's SDK does
failed = client.run(project_dir=str(PROJECT), ref="main", parameters={"top_n": "three"})
assert failed.job_status == "FAILED" and "top_n" in failed.error, failed.error
print("walkthrough done:", [r["leaders"] for r in rows])
