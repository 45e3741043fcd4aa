"""RUN PIPELINE from Python ADBC and `./tarn run`, against the real server, real uv environments and
real model processes: the seed pipeline of pipelines.md, and failures that leave the branch as it was."""
import shutil
import subprocess
import textwrap

import adbc_driver_flightsql.dbapi  # noqa: F401  (the driver the tests use)
import pytest

from conftest import ROOT, SERVER_SECRETS

EURO_SUMS = """
    SELECT country, round(sum(usd), 6) AS usd FROM transactions
    WHERE eventTime BETWEEN '2023-01-01' AND '2023-02-01' AND country IN ('IT', 'FR', 'DE', 'ES')
    GROUP BY country ORDER BY country"""


def run_script(cur, path):
    for statement in path.read_text().split(";"):
        if any(line.strip() and not line.strip().startswith("--") for line in statement.splitlines()):
            cur.execute(statement)


def head(cur, branch):
    cur.execute("SHOW BRANCHES")
    refs = cur.fetch_arrow_table().to_pylist()
    return next(r["commit_hash"] for r in refs if r["name"] == branch)


@pytest.fixture(scope="module")
def seed_data(conn, projects_dir):
    shutil.copytree(ROOT / "examples/pipelines/seed", projects_dir / "seed")
    with conn.cursor() as cur:
        run_script(cur, ROOT / "examples/pipelines/transactions.sql")
        cur.execute(EURO_SUMS)
        return cur.fetch_arrow_table().to_pylist()


@pytest.fixture(scope="module")
def conn(tarn_server):
    import adbc_driver_flightsql.dbapi as flight_sql

    connection = flight_sql.connect(
        tarn_server, db_kwargs={"adbc.flight.sql.rpc.with_cookie_middleware": "true"}, autocommit=True)
    yield connection
    connection.close()


def test_seed_pipeline_from_adbc(conn, seed_data):
    with conn.cursor() as cur:
        cur.execute("CREATE BRANCH adbc_dev FROM main")
        main_before = head(cur, "main")
        cur.execute("RUN PIPELINE 'seed' ON BRANCH adbc_dev")
        result = cur.fetch_arrow_table().to_pylist()
        assert [r["model"] for r in result] == ["euro_selection", "usd_by_country"]
        assert all(r["status"] == "succeeded" for r in result)
        assert result[1]["materialized_as"] == "public.usd_by_country"

        cur.execute("SELECT country, round(usd, 6) AS usd FROM adbc_dev.public.usd_by_country ORDER BY country")
        assert cur.fetch_arrow_table().to_pylist() == seed_data
        assert head(cur, "main") == main_before

        cur.execute(f"SHOW RUN '{result[0]['run_id']}'")
        scan = next(s for s in cur.fetch_arrow_table().to_pylist() if s["kind"] == "scan")
        assert "id, usd, country" in scan["detail"] and "1 of 3" in scan["detail"], scan


def test_missing_package_fails_before_any_model_runs(conn, seed_data, projects_dir):
    project = projects_dir / "missing_package"
    project.mkdir()
    (project / "models.py").write_text(textwrap.dedent("""
        import tarn

        @tarn.model(materialize=True)
        @tarn.python("3.11", pip={"polars": "0.0.999"})
        def needs_polars(data=tarn.Model("transactions", columns=["id"])):
            return data
        """))
    with conn.cursor() as cur:
        before = head(cur, "main")
        with pytest.raises(Exception) as failure:
            cur.execute("RUN PIPELINE 'missing_package'")
            cur.fetch_arrow_table()
        assert "polars" in str(failure.value) and "0.0.999" in str(failure.value)
    with conn.cursor() as cur:
        assert head(cur, "main") == before
        cur.execute("SHOW RUNS")
        run = next(r for r in cur.fetch_arrow_table().to_pylist() if r["project"] == "missing_package")
        assert run["status"] == "failed"


def test_tarn_run_cli_shows_progress_and_fails_non_zero(tarn_server, conn, seed_data, tmp_path):
    with conn.cursor() as cur:
        cur.execute("CREATE BRANCH cli_py FROM main")
    done = subprocess.run(
        [str(ROOT / "tarn"), "run", "--url", tarn_server, "--branch", "cli_py", str(ROOT / "examples/pipelines/seed")],
        capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "usd_by_country" in done.stdout and "merged into cli_py" in done.stdout, done.stdout
    with conn.cursor() as cur:
        cur.execute("SELECT country, round(usd, 6) AS usd FROM cli_py.public.usd_by_country ORDER BY country")
        assert cur.fetch_arrow_table().to_pylist() == seed_data
        before = head(cur, "cli_py")

    (tmp_path / "raises.py").write_text(textwrap.dedent("""
        import tarn

        @tarn.model(materialize=True)
        @tarn.python("3.11")
        def totals(data=tarn.Model("transactions", columns=["usd"])):
            raise RuntimeError("rates service unavailable")
        """))
    failed = subprocess.run(
        [str(ROOT / "tarn"), "run", "--url", tarn_server, "--branch", "cli_py", str(tmp_path)],
        capture_output=True, text=True, timeout=600)
    assert failed.returncode == 1
    assert "totals" in failed.stderr and "rates service unavailable" in failed.stderr, failed.stderr
    with conn.cursor() as cur:
        assert head(cur, "cli_py") == before


ENVIRONMENT_MODEL = """
import os
import pyarrow as pa
import tarn

@tarn.model(materialize=True)
@tarn.python("3.11")
def model_environment(data=tarn.Model("transactions", columns=["id"])):
    names = sorted(os.environ)
    return pa.table({"name": names, "value": [os.environ[n] for n in names]})
"""

# What a model process may see (README, Pipelines); Python itself may add LC_CTYPE.
MODEL_VARIABLES = {"PATH", "HOME", "TMPDIR", "TMP", "TEMP", "LANG", "LC_ALL", "LC_CTYPE", "TZ"}


def test_models_see_no_server_secret(conn, seed_data, projects_dir):
    project = projects_dir / "environment"
    project.mkdir()
    (project / "models.py").write_text(ENVIRONMENT_MODEL)
    with conn.cursor() as cur:
        cur.execute("CREATE BRANCH env_check FROM main")
        cur.execute("RUN PIPELINE 'environment' ON BRANCH env_check")
        cur.fetch_arrow_table()
        cur.execute("SELECT name, value FROM env_check.public.model_environment")
        seen = {r["name"]: r["value"] for r in cur.fetch_arrow_table().to_pylist()}
    assert set(seen) <= MODEL_VARIABLES, sorted(set(seen) - MODEL_VARIABLES)
    for name, secret in SERVER_SECRETS.items():
        assert name not in seen and secret not in seen.values()
    assert seen["HOME"] == seen["TMPDIR"] and "tarn-" in seen["HOME"], seen["HOME"]


STREAMED_MODELS = """
import tarn

@tarn.model(materialize=True)
@tarn.python("3.11")
def quick(data=tarn.Model("transactions", columns=["id"])):
    return data

@tarn.model()
@tarn.python("3.11")
def slow(data=tarn.Model("quick")):
    import time
    time.sleep(4)
    return data
"""


def test_run_pipeline_rows_stream_to_adbc_as_models_end(tarn_server, conn, seed_data, projects_dir):
    import adbc_driver_flightsql.dbapi as flight_sql

    project = projects_dir / "streamed_adbc"
    project.mkdir()
    (project / "models.py").write_text(STREAMED_MODELS)
    watcher = flight_sql.connect(
        tarn_server, db_kwargs={"adbc.flight.sql.rpc.with_cookie_middleware": "true"}, autocommit=True)
    try:
        with conn.cursor() as cur, watcher.cursor() as watch:
            cur.execute("CREATE BRANCH streamed_adbc FROM main")
            cur.execute("RUN PIPELINE 'streamed_adbc' ON BRANCH streamed_adbc")
            reader = cur.fetch_record_batch()
            first = reader.read_next_batch().to_pylist()
            assert [r["model"] for r in first] == ["quick"]
            watch.execute("SHOW RUNS")
            run = next(r for r in watch.fetch_arrow_table().to_pylist() if r["run_id"] == first[0]["run_id"])
            assert run["status"] == "running", "the first row arrives while the slow model still runs"
            rest = reader.read_all().to_pylist()
            assert [(r["model"], r["status"]) for r in rest] == [("slow", "succeeded")]
    finally:
        watcher.close()


def test_failed_run_branch_hidden_from_adbc_catalogs(conn, seed_data, projects_dir):
    import re

    project = projects_dir / "failing_adbc"
    project.mkdir()
    (project / "models.py").write_text(textwrap.dedent("""
        import tarn

        @tarn.model(materialize=True)
        @tarn.python("3.11")
        def broken(data=tarn.Model("transactions", columns=["id"])):
            raise ValueError("no rates for GBP")
        """))
    with conn.cursor() as cur:
        with pytest.raises(Exception) as failure:
            cur.execute("RUN PIPELINE 'failing_adbc'")
            cur.fetch_arrow_table()
        kept = re.search(r"branch '(tarn_run_[0-9a-f]{12})' is kept", str(failure.value)).group(1)
    catalogs = conn.adbc_get_objects(depth="catalogs").read_all().column("catalog_name").to_pylist()
    assert kept not in catalogs and "main" in catalogs
    with conn.cursor() as cur:
        cur.execute("SHOW BRANCHES")
        assert kept not in [r["name"] for r in cur.fetch_arrow_table().to_pylist()]
        cur.execute("SHOW BRANCHES ALL")
        assert kept in [r["name"] for r in cur.fetch_arrow_table().to_pylist()]
