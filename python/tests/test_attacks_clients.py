"""Attacks on the clients and followable runs: streamed runs, kept run branches,
network isolation of models, run log events and the JDBC driver's URL.

Each test drives a real server (or the real driver jar) and reproduces an attack that once
succeeded; each now checks that the hole stays closed.
"""
import glob
import re
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import adbc_driver_flightsql.dbapi as flight_sql
import pytest

from conftest import ROOT, running_tarn

sys.path.insert(0, str(ROOT / "python" / "tarn-runtime" / "src"))
import tarn  # noqa: E402

COOKIES = {"adbc.flight.sql.rpc.with_cookie_middleware": "true"}

FAILING_MODEL = """
import tarn

@tarn.model(materialize=True)
@tarn.python("3.11")
def broken(data=tarn.Model("seed_rows", columns=["id"])):
    raise ValueError("no rates for GBP")
"""


def rows(cur, sql):
    cur.execute(sql)
    return cur.fetch_arrow_table().to_pylist()


def branch_names(cur, sql="SHOW BRANCHES ALL"):
    return [r["name"] for r in rows(cur, sql)]


@pytest.fixture(scope="module")
def short_ttl_server():
    """A server whose failed runs' branches expire after 2 seconds, with its own projects folder."""
    projects = Path(tempfile.mkdtemp(prefix="tarn-attacks12-projects-"))
    with running_tarn("--failed-run-branch-ttl", "2s", projects=projects) as uri:
        yield uri, projects


def test_a_users_branch_named_after_an_expired_run_branch_is_left_alone(short_ttl_server):
    uri, projects = short_ttl_server
    (projects / "failing").mkdir()
    (projects / "failing" / "models.py").write_text(FAILING_MODEL)
    with flight_sql.connect(uri, db_kwargs=dict(COOKIES), autocommit=True) as conn, conn.cursor() as cur:
        rows(cur, "CREATE TABLE seed_rows AS SELECT 1 AS id")
        with pytest.raises(Exception) as failure:
            rows(cur, "RUN PIPELINE 'failing'")
        kept = re.search(r"(tarn_run_[0-9a-f]{12})", str(failure.value)).group(1)
        deadline = time.monotonic() + 30
        while kept in branch_names(cur) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert kept not in branch_names(cur), "the run's own branch expires after 2 s"

        # a user cannot take the (free again) name: run branch names are reserved, so the sweeper
        # never mistakes a user's branch for a run's
        with pytest.raises(Exception, match="reserved for the branches of pipeline runs"):
            rows(cur, f'CREATE BRANCH "{kept}" FROM main')
        rows(cur, "CREATE BRANCH run_notes FROM main")
        time.sleep(4)  # two TTLs: a sweep has run
        assert "run_notes" in branch_names(cur), "a user's own branch is never dropped by the run-branch sweeper"


ESCAPES = "\x1b]0;owned-title\x07\x1b[2J\x1b[31mred"

ESCAPING_MODEL = f"""
import tarn

@tarn.model()
@tarn.python("3.11")
def noisy(data=tarn.Model("seed_rows", columns=["id"])):
    print({ESCAPES!r}, flush=True)
    return data
"""


def test_python_client_does_not_pass_a_models_terminal_escapes_to_the_terminal(short_ttl_server, tmp_path, capsys):
    uri, _ = short_ttl_server
    project = tmp_path / "noisy"
    project.mkdir()
    (project / "models.py").write_text(ESCAPING_MODEL)
    with flight_sql.connect(uri, db_kwargs=dict(COOKIES), autocommit=True) as conn, conn.cursor() as cur:
        rows(cur, "CREATE TABLE IF NOT EXISTS seed_rows AS SELECT 1 AS id")
    client = tarn.connect(uri)
    try:
        events = []

        def show(event):
            events.append(event)
            tarn.client.print_event(event)

        client.run(project, on_event=show)
    finally:
        client.close()
    assert any(e.get("event") == "log" and "owned-title" in e.get("line", "") for e in events), events
    printed = capsys.readouterr().out
    assert "owned-title" in printed
    assert "\x1b" not in printed and "\x07" not in printed, repr(printed)


PROBING_MODULE = """
import socket
import tarn

def _probe():
    try:
        socket.create_connection(("127.0.0.1", {port}), timeout=3).close()
        outcome = "connected"
    except OSError as e:
        outcome = "refused: " + type(e).__name__
    with open({log!r}, "a") as f:
        f.write(outcome + "\\n")

_probe()  # top-level code: runs wherever the file is imported

@tarn.model()
@tarn.python("3.11", internet_access=False)
def offline(data=tarn.Model("seed_rows", columns=["id"])):
    return data
"""


def test_an_offline_models_code_never_reaches_the_network(short_ttl_server, tmp_path):
    uri, _ = short_ttl_server
    port = int(uri.rsplit(":", 1)[1])
    log = tmp_path / "probes.log"
    project = tmp_path / "offline"
    project.mkdir()
    (project / "models.py").write_text(PROBING_MODULE.format(port=port, log=str(log)))
    with flight_sql.connect(uri, db_kwargs=dict(COOKIES), autocommit=True) as conn, conn.cursor() as cur:
        rows(cur, "CREATE TABLE IF NOT EXISTS seed_rows AS SELECT 1 AS id")
    client = tarn.connect(uri)
    try:
        client.run(project, on_event=lambda event: None)
    finally:
        client.close()
    probes = log.read_text().splitlines()
    assert any(p.startswith("refused") for p in probes), probes  # the model's own process is offline
    assert "connected" not in probes, probes


URL_PROBE = """
import dev.tarn.jdbc.TarnUrl;

public class UrlProbe {
  public static void main(String[] args) throws Exception {
    for (String url : args) {
      try {
        TarnUrl parsed = TarnUrl.parse(url, null);
        System.out.println("tls=" + parsed.tls() + " password=" + parsed.password().orElse("-"));
      } catch (java.sql.SQLException e) {
        System.out.println("SQLException: " + e.getMessage());
      } catch (RuntimeException e) {
        System.out.println("unchecked " + e.getClass().getName() + ": " + e.getMessage());
      }
    }
  }
}
"""


def parse_urls(tmp_path, *urls):
    """What Tarn's JDBC driver jar makes of each URL, one line each."""
    jars = [j for j in glob.glob(str(ROOT / "jdbc-driver/target/tarn-jdbc-driver-*.jar")) if "original" not in j]
    assert jars, "build the jdbc-driver module first"
    source = tmp_path / "UrlProbe.java"
    source.write_text(URL_PROBE)
    done = subprocess.run(["java", "-cp", jars[0], str(source), *urls], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_jdbc_url_sends_no_password_in_clear_to_a_host_named_like_loopback(tmp_path):
    seen = parse_urls(tmp_path, "jdbc:tarn://127.0.0.1.nip.io:443/?user=ana&password=secret",
                      "jdbc:tarn://127.example.net:31337/")
    assert seen == ["tls=true password=secret", "tls=true password=-"], seen


def test_jdbc_url_password_is_taken_exactly_or_refused_clearly(tmp_path):
    seen = parse_urls(tmp_path, "jdbc:tarn://localhost/?password=a+b", "jdbc:tarn://localhost/?password=100%")
    assert seen[0] == "tls=false password=a+b", seen
    assert seen[1].startswith("SQLException:") and "password" in seen[1], seen


def test_jdbc_url_errors_do_not_repeat_the_password(tmp_path):
    seen = parse_urls(tmp_path, "jdbc:tarn://db.example:31337x/?password=hunter2",
                      "jdbc:tarn://[::1:31337/?password=hunter2")
    assert all(line.startswith("SQLException:") for line in seen), seen
    assert not any("hunter2" in line for line in seen), seen


ROOT_USER, ROOT_PASSWORD = "root", "attacks12-root-password"

SLOW_MODEL = """
import tarn

@tarn.model(materialize=True)
@tarn.python("3.11")
def slow_copy(data=tarn.Model("ledger", columns=["id"])):
    import time
    time.sleep(8)
    return data
"""


@pytest.fixture(scope="module")
def password_server():
    """A server with a bootstrap admin, so privileges are enforced, and its own projects folder."""
    import os

    projects = Path(tempfile.mkdtemp(prefix="tarn-attacks12-acl-projects-"))
    os.environ["TARN_ATTACKS12_PASSWORD"] = ROOT_PASSWORD
    with running_tarn("--user", ROOT_USER, "--password-env", "TARN_ATTACKS12_PASSWORD", projects=projects) as uri:
        yield uri, projects


def login(uri, user, password):
    return flight_sql.connect(uri, db_kwargs={**COOKIES, "username": user, "password": password}, autocommit=True)


def test_a_running_runs_branch_is_no_back_door_into_protected_main(password_server):
    import threading

    uri, projects = password_server
    (projects / "slow").mkdir()
    (projects / "slow" / "models.py").write_text(SLOW_MODEL)
    with login(uri, ROOT_USER, ROOT_PASSWORD) as admin, admin.cursor() as root:
        rows(root, "CREATE TABLE ledger AS SELECT 1 AS id")
        rows(root, "CREATE USER mallory PASSWORD 'mallory-password'")
        rows(root, "GRANT READ ON ALL BRANCHES TO USER mallory")
        rows(root, "GRANT WRITE ON ALL BRANCHES TO USER mallory")
        rows(root, "PROTECT BRANCH main")
        with login(uri, "mallory", "mallory-password") as attacker, attacker.cursor() as cur:
            with pytest.raises(Exception, match="protected"):
                rows(cur, "INSERT INTO ledger VALUES (666)")

            outcome = {}

            def run():
                try:
                    outcome["rows"] = rows(root, "RUN PIPELINE 'slow' ON BRANCH main")
                except Exception as e:  # noqa: BLE001 - reported below
                    outcome["error"] = str(e)

            runner = threading.Thread(target=run)
            runner.start()
            try:
                run_branch = None
                deadline = time.monotonic() + 60
                while run_branch is None and time.monotonic() < deadline:
                    run_branch = next((n for n in branch_names(cur) if n.startswith("tarn_run_")), None)
                    time.sleep(0.2)
                assert run_branch is not None, "the running run's branch is listed by SHOW BRANCHES ALL"
                try:
                    rows(cur, f'INSERT INTO "{run_branch}".public.ledger VALUES (666)')
                except Exception:  # noqa: BLE001 - refused: the hole is closed
                    pass
            finally:
                runner.join(timeout=120)
        assert "rows" in outcome, outcome
        assert rows(root, "SELECT id FROM main.public.ledger ORDER BY id") == [{"id": 1}]


def test_python_client_writes_land_on_its_branch_while_a_stream_at_another_ref_is_open(short_ttl_server):
    uri, _ = short_ttl_server
    table = "written_mid_stream"
    client = tarn.connect(uri)
    try:
        client.create_branch("stream_elsewhere", "main")
        batches = client.query_stream("SELECT * FROM range(3) r(i)", ref="stream_elsewhere")
        next(batches)
        client.execute(f"CREATE TABLE {table} AS SELECT 1 AS i")  # on the client's branch, main
        for _ in batches:
            pass

        def exists(branch):
            try:
                client.query(f'SELECT * FROM "{branch}".public.{table}')
                return True
            except tarn.client.TarnError:
                return False

        assert (exists("main"), exists("stream_elsewhere")) == (True, False)
        # inside a transaction too: the stream's own session reads the ref, the transaction stays
        client.execute("BEGIN")
        try:
            assert [b.num_rows for b in client.query_stream("SELECT 1 AS one", ref="stream_elsewhere")] == [1]
            assert client.query("SELECT count(*) AS n FROM " + table).to_pylist() == [{"n": 1}]
        finally:
            client.execute("ROLLBACK")
    finally:
        client.close()


def test_python_client_sends_a_bauplan_project_yaml(short_ttl_server, tmp_path):
    uri, _ = short_ttl_server
    project = tmp_path / "yaml_spelling"
    project.mkdir()
    (project / "bauplan_project.yaml").write_text(textwrap.dedent("""
        project:
          id: 7
          name: yaml_spelling
        parameters:
          min_id: {type: int, default: 0}
        """))
    (project / "picked.sql").write_text("SELECT id FROM seed_rows WHERE id >= $min_id\n")
    with flight_sql.connect(uri, db_kwargs=dict(COOKIES), autocommit=True) as conn, conn.cursor() as cur:
        rows(cur, "CREATE TABLE IF NOT EXISTS seed_rows AS SELECT 1 AS id")
    client = tarn.connect(uri)
    try:
        result = client.run(project, on_event=lambda event: None)
    finally:
        client.close()
    assert result.status == "succeeded"


def run_action(uri, body):
    """The tarn.run_pipeline action as any Flight client may send it: returns its JSON events."""
    import json

    import pyarrow.flight as flight

    client = flight.FlightClient(uri)
    try:
        return [json.loads(r.body.to_pybytes()) for r in client.do_action(flight.Action("tarn.run_pipeline", body))]
    finally:
        client.close()


def sent_project(parameters_json, branch_json='"main"'):
    import base64
    import json

    project_file = b"parameters:\n  label: {type: str, default: 'x'}\n"
    model = b"-- tarn: materialize=true\nSELECT $label AS label\n"
    files = json.dumps({"tarn_project.yml": base64.b64encode(project_file).decode(),
                        "labelled.sql": base64.b64encode(model).decode()})
    return ('{"project": "labels", "branch": %s, "parameters": %s, "files": %s}'
            % (branch_json, parameters_json, files)).encode()


def test_a_str_parameter_sent_as_a_json_number_keeps_its_digits(short_ttl_server):
    uri, _ = short_ttl_server
    seen = []
    with flight_sql.connect(uri, db_kwargs=dict(COOKIES), autocommit=True) as conn, conn.cursor() as cur:
        for written in ["1.10", "1e2"]:
            try:
                run_action(uri, sent_project('{"label": %s}' % written))
            except Exception as refused:  # noqa: BLE001 - a clear refusal is a fine answer
                assert "label" in str(refused) and "str" in str(refused)
                continue
            seen.append((written, rows(cur, "SELECT label FROM labelled")[0]["label"]))
    # exact decimals: 1.10 keeps its digits; 1e2 is the number 100, written out
    assert seen == [("1.10", "1.10"), ("1e2", "100")], seen


def test_a_run_whose_branch_is_not_text_is_refused_not_run_into_main(short_ttl_server):
    uri, _ = short_ttl_server
    try:
        events = run_action(uri, sent_project("{}", branch_json="5"))
    except Exception as refused:  # noqa: BLE001
        assert "branch" in str(refused)
        return
    landed = [(e["status"], e["target_branch"]) for e in events if e.get("event") == "run"]
    assert landed == [], landed


def test_a_sent_file_that_is_not_base64_is_a_clear_error(short_ttl_server):
    import pyarrow as pa

    uri, _ = short_ttl_server
    body = b'{"project": "p", "branch": "main", "parameters": {}, "files": {"m.sql": "!!! not base64"}}'
    with pytest.raises(pa.ArrowException) as refused:
        run_action(uri, body)
    assert "m.sql" in str(refused.value) and "internal error" not in str(refused.value), str(refused.value)


RAISING_ESCAPES_MODEL = """
import tarn

@tarn.model()
@tarn.python("3.11")
def shouting(data=tarn.Model("seed_rows", columns=["id"])):
    raise ValueError("\\x1b]0;owned-title\\x07\\x1b[2Jboom")
"""


def test_tarn_run_does_not_pass_a_failed_models_escapes_to_the_terminal(short_ttl_server, tmp_path):
    uri, _ = short_ttl_server
    project = tmp_path / "shouting"
    project.mkdir()
    (project / "models.py").write_text(RAISING_ESCAPES_MODEL)
    with flight_sql.connect(uri, db_kwargs=dict(COOKIES), autocommit=True) as conn, conn.cursor() as cur:
        rows(cur, "CREATE TABLE IF NOT EXISTS seed_rows AS SELECT 1 AS id")
    done = subprocess.run([str(ROOT / "tarn"), "run", "--url", uri, str(project)], capture_output=True, timeout=300)
    assert done.returncode != 0 and b"owned-title" in done.stderr, done
    assert b"\x1b" not in done.stdout + done.stderr and b"\x07" not in done.stdout + done.stderr, done.stderr
