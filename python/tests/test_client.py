"""tarn.connect and bauplan.Client against a real server: queries, references, ingest, runs."""
import os
import subprocess
import sys

import pyarrow as pa
import pytest

from conftest import ROOT, running_tarn

sys.path.insert(0, str(ROOT / "python" / "tarn-runtime" / "src"))
import bauplan  # noqa: E402
import tarn  # noqa: E402


def load(client, script):
    for statement in (ROOT / script).read_text().split(";"):
        if any(line.strip() and not line.strip().startswith("--") for line in statement.splitlines()):
            client.execute(statement)


@pytest.fixture(scope="module")
def server():
    with running_tarn() as uri:
        yield uri


@pytest.fixture(scope="module")
def client(server):
    with tarn.connect(server) as c:
        load(c, "examples/pipelines/orders.sql")
        yield c


def test_connect_in_one_line_and_query(client):
    assert client.query("SELECT 1 AS one").to_pylist() == [{"one": 1}]
    assert client.query("SELECT ? * 2 AS twice", params=[21]).to_pylist() == [{"twice": 42}]
    assert client.query_pandas("SELECT 7 AS n")["n"].tolist() == [7]
    assert client.query_polars("SELECT 'x' AS s")["s"].to_list() == ["x"]
    uuid = client.query("SELECT 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::UUID AS u")
    assert uuid.column("u").to_pylist() == ["a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"]
    assert uuid.schema.field("u").metadata == {b"ARROW:FLIGHT:SQL:TYPE_NAME": b"UUID"}


def test_a_bad_statement_raises_and_the_client_keeps_working(client):
    with pytest.raises(tarn.TarnError, match="no_such_table"):
        client.query("SELECT * FROM no_such_table")
    with pytest.raises(tarn.TarnError):
        client.query("SELEC 1")
    assert client.query("SELECT 2 AS two").to_pylist() == [{"two": 2}]


def test_results_beyond_grpc_default_message_size(client):
    # ~40 MiB in one column: more than ADBC's 16 MiB default message limit
    table = client.query("SELECT repeat('x', 4000) AS s FROM range(10000)")
    assert table.num_rows == 10000 and table.nbytes > 32 * 1024 * 1024
    streamed = sum(batch.num_rows for batch in client.query_stream("SELECT * FROM range(300000)"))
    assert streamed == 300000


def test_branches_tags_merge_log_and_diff(client):
    client.create_branch("client_dev", from_ref="main")
    assert client.has_branch("client_dev")
    client.ingest("public.client_rows", pa.table({"x": [1, 2, 3]}), mode="create", branch="client_dev")
    assert client.query("SELECT sum(x) AS s FROM client_rows", ref="client_dev").to_pylist() == [{"s": 6}]
    with pytest.raises(tarn.TarnError, match="client_rows"):
        client.query("SELECT * FROM client_rows")  # only on the branch; the client stays on main
    assert [c.table for c in client.diff("client_dev", "main")] == ["public.client_rows"]

    preview = client.merge("client_dev", into="main", dry_run=True)
    assert preview.dry_run and preview.would_apply and preview.tables_changed == ["public.client_rows"]
    assert client.query("SELECT count(*) AS n FROM client_dev.public.client_rows").to_pylist() == [{"n": 3}]
    merged = client.merge("client_dev", into="main")
    assert merged.commit_hash and client.log("main", limit=1)[0].hash == merged.commit_hash

    tag = client.create_tag("client_v1", from_ref="main")
    assert tag.name in [t.name for t in client.tags()] and tag.hash == merged.commit_hash
    client.ingest("public.client_rows", pa.table({"x": [10]}), mode="append")
    assert client.query("SELECT sum(x) AS s FROM client_rows", ref="client_v1").to_pylist() == [{"s": 6}]
    assert client.query("SELECT sum(x) AS s FROM client_rows").to_pylist() == [{"s": 16}]
    before_append = client.log("main", limit=2)[1]
    assert client.query("SELECT sum(x) AS s FROM client_rows", ref=before_append).to_pylist() == [{"s": 6}]

    client.delete_branch("client_dev")
    assert not client.has_branch("client_dev")


def test_names_are_quoted_never_read_as_sql(client):
    with pytest.raises(tarn.TarnError, match="not a valid branch name"):
        client.create_branch('x"; DROP TABLE orders; --', from_ref="main")
    assert client.query("SELECT count(*) AS n FROM orders").to_pylist()[0]["n"] > 0
    with pytest.raises(tarn.TarnError, match="does not exist"):
        client.query("SELECT 1", ref="no_such_branch")
    assert client.query("SELECT 1 AS one").to_pylist() == [{"one": 1}]


def test_ingest_pandas_and_polars(client):
    import pandas as pd
    import polars as pl

    assert client.ingest("public.from_pandas", pd.DataFrame({"a": [1, 2]}), mode="create") == 2
    assert client.ingest("public.from_polars", pl.DataFrame({"a": [3]}), mode="create") == 1
    assert client.query("SELECT a FROM from_pandas UNION ALL SELECT a FROM from_polars ORDER BY a")["a"] \
        .to_pylist() == [1, 2, 3]
    with pytest.raises(ValueError, match="mode"):
        client.ingest("public.from_pandas", pd.DataFrame({"a": [1]}), mode="upsert")
    with pytest.raises(TypeError, match="ingest"):
        client.ingest("public.from_pandas", {"a": [1]})


def test_run_shows_progress_live_and_is_recorded(client):
    client.create_branch("client_runs", from_ref="main")
    events = []
    result = client.run(ROOT / "examples/pipelines/bauplan_features", branch="client_runs",
                        params={"label": "from-client", "top_n": 2}, on_event=events.append)
    assert result.status == "succeeded" and result.commit_hash
    kinds = [e["event"] for e in events]
    assert kinds[-1] == "run" and "step" in kinds
    finished = [e["step"] for e in events if e["event"] == "step" and e["status"] == "succeeded"]
    assert finished.index("big_orders") < finished.index("country_totals") < finished.index("run_log")
    logged = client.query("SELECT label, top_n FROM run_log", ref="client_runs").to_pylist()
    assert logged == [{"label": "from-client", "top_n": 2}]

    recorded = client.run_info(result.id)
    assert recorded.status == "succeeded" and recorded.target_branch == "client_runs" and recorded.steps
    assert result.id in [r.id for r in client.runs()]

    with pytest.raises(tarn.RunFailed, match="top_n"):
        client.run(ROOT / "examples/pipelines/bauplan_features", branch="client_runs", params={"top_n": "many"},
                   on_event=lambda e: None)
    assert client.query("SELECT count(*) AS n FROM run_log", ref="client_runs").to_pylist() == [{"n": 1}]


def test_a_run_the_caller_stops_following_is_cancelled(client):
    import time

    seen = []

    def stop(event):
        seen.append(event)
        raise KeyboardInterrupt  # as Ctrl-C would, at the first event

    client.create_branch("client_stopped", from_ref="main")
    head = client.log("client_stopped", limit=1)[0].hash
    with pytest.raises(KeyboardInterrupt):
        client.run(ROOT / "examples/pipelines/bauplan_features", branch="client_stopped", on_event=stop)
    run_id = seen[0]["run_id"]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and client.run_info(run_id).status == "running":
        time.sleep(0.5)
    assert client.run_info(run_id).status == "cancelled"
    assert client.log("client_stopped", limit=1)[0].hash == head
    assert client.query("SELECT 1 AS one").to_pylist() == [{"one": 1}]  # the client keeps working


def test_wrong_credentials_are_clear():
    from conftest import SERVER_SECRETS

    password = SERVER_SECRETS["TARN_PASSWORD"]
    with running_tarn("--user", "admin", "--password-env", "TARN_PASSWORD") as uri:
        with pytest.raises(tarn.TarnError, match="wrong user name or password"):
            tarn.connect(uri, user="admin", password="nope").query("SELECT 1")
        with pytest.raises(tarn.TarnError, match="API token"):
            tarn.connect(uri, token="tarn_not-a-token").query("SELECT 1")
        with tarn.connect(uri, user="admin", password=password) as admin:
            admin.execute("CREATE USER ci PASSWORD 'ci-password-1'")
            admin.execute("GRANT READ ON BRANCH 'main' TO USER ci")
            secret = admin.query("CREATE TOKEN client_ci FOR USER ci").to_pylist()[0]["secret"]
        with tarn.connect(uri, token=secret) as ci:
            assert ci.query("SELECT 5 AS five").to_pylist() == [{"five": 5}]
            assert [b.name for b in ci.branches()] == ["main"]
            with pytest.raises(tarn.TarnError, match="user ci lacks"):
                ci.create_branch("ci_branch", from_ref="main")
    with pytest.raises(ValueError, match="grpc://"):
        tarn.connect("http://localhost:1")


def test_a_token_clients_stream_at_another_ref_leaves_the_shared_session_on_its_branch():
    """An API token's session is shared by its clients: a stream at another ref must not leave it there."""
    from conftest import SERVER_SECRETS

    password = SERVER_SECRETS["TARN_PASSWORD"]
    with running_tarn("--user", "admin", "--password-env", "TARN_PASSWORD") as uri:
        with tarn.connect(uri, user="admin", password=password) as admin:
            admin.execute("CREATE TABLE where_am_i AS SELECT 'main' AS branch FROM range(300000)")
            admin.create_branch("stream_dev", from_ref="main")
            admin.execute("UPDATE stream_dev.public.where_am_i SET branch = 'stream_dev'")
            secret = admin.query("CREATE TOKEN streamer FOR USER admin").to_pylist()[0]["secret"]
        with tarn.connect(uri, token=secret) as job:
            batches = job.query_stream("SELECT branch FROM where_am_i", ref="stream_dev")
            assert next(batches).to_pylist()[0] == {"branch": "stream_dev"}
            assert job.query("SELECT DISTINCT branch FROM where_am_i").to_pylist() == [{"branch": "main"}]
            rest = list(batches)
            assert len(rest) >= 1, "the result comes in several batches"
            assert {row["branch"] for batch in rest for row in batch.to_pylist()} == {"stream_dev"}
            assert job.query("SELECT DISTINCT branch FROM where_am_i").to_pylist() == [{"branch": "main"}]
            empty = list(job.query_stream("SELECT * FROM where_am_i WHERE false", ref="stream_dev"))
            assert sum(b.num_rows for b in empty) == 0
            with pytest.raises(tarn.TarnError, match="no_such_ref"):
                list(job.query_stream("SELECT 1", ref="no_such_ref"))
        with tarn.connect(uri, token=secret) as again:
            assert again.query("SELECT DISTINCT branch FROM where_am_i").to_pylist() == [{"branch": "main"}]


def test_tls_by_url_with_a_trusted_certificate(tmp_path):
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
                   check=True, capture_output=True)
    with running_tarn("--tls-cert", str(cert), "--tls-key", str(key)) as uri:
        assert uri.startswith("grpc+tls://")
        with tarn.connect(uri, tls_root_certs=cert) as secure:
            assert secure.query("SELECT 'sealed' AS word").to_pylist() == [{"word": "sealed"}]
            secure.create_branch("tls_dev", from_ref="main")
            assert secure.has_branch("tls_dev")
        with pytest.raises(tarn.TarnError):
            tarn.connect(uri).query("SELECT 1")  # the certificate is not one a system authority signed
        with pytest.raises(tarn.TarnError):
            tarn.connect(uri.replace("grpc+tls://", "grpc://")).query("SELECT 1")  # plain to a TLS server


def test_a_bauplan_sdk_script_runs_with_only_its_client_changed(server, client):
    env = {**os.environ, "TARN_URL": server,
           "PYTHONPATH": str(ROOT / "python" / "tarn-runtime" / "src")}
    done = subprocess.run([sys.executable, str(ROOT / "examples/bauplan_client/walkthrough.py"), "bpln_walk"],
                          env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "walkthrough done" in done.stdout
    assert "bpln_walk_v1" in [t.name for t in client.tags()]
    facade = bauplan.Client(url=server)
    assert facade.has_branch("main") and not facade.has_branch("bpln_walk")
    assert [b.name for b in facade.get_branches(name="mai")] == ["main"]
