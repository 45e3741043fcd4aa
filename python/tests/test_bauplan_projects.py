"""A project written for Bauplan (examples/pipelines/bauplan_features) run unchanged by a real server:
bauplan_project.yml with typed parameters, a SQL model reading $parameters, Python models with
columns= and materialization_strategy REPLACE / APPEND, expectations from bauplan.standard_expectations,
and internet_access=False. Every assertion reads the lakehouse tables the runs leave."""
import base64
import errno
import json
import shutil
import subprocess
import textwrap

import pyarrow as pa
import pyarrow.flight as flight
import pytest

from conftest import ROOT

PROJECT = ROOT / "examples/pipelines/bauplan_features"
EU = ("IT", "FR", "DE", "ES")


def run_script(cur, path):
    for statement in path.read_text().split(";"):
        if any(line.strip() and not line.strip().startswith("--") for line in statement.splitlines()):
            cur.execute(statement)


def rows(cur, sql):
    cur.execute(sql)
    return cur.fetch_arrow_table().to_pylist()


def head(cur, branch):
    return next(r["commit_hash"] for r in rows(cur, "SHOW BRANCHES") if r["name"] == branch)


def expected_totals(cur, min_usd, excluded, eu_only):
    countries = [c for c in ("IT", "FR", "DE", "ES", "US", "GB") if c != excluded and (c in EU or not eu_only)]
    listed = ", ".join("'%s'" % c for c in countries)
    return rows(cur, f"""SELECT country, sum(usd) AS usd, count(*) AS orders FROM main.public.orders
                         WHERE usd >= {min_usd} AND country IN ({listed}) GROUP BY country ORDER BY country""")


@pytest.fixture(scope="module")
def orders(tarn_server, projects_dir):
    import adbc_driver_flightsql.dbapi as flight_sql

    shutil.copytree(PROJECT, projects_dir / "bauplan_features")
    connection = flight_sql.connect(
        tarn_server, db_kwargs={"adbc.flight.sql.rpc.with_cookie_middleware": "true"}, autocommit=True)
    with connection.cursor() as cur:
        run_script(cur, ROOT / "examples/pipelines/orders.sql")
    yield connection
    connection.close()


def test_typed_parameters_sql_parameters_replace_and_append(orders):
    with orders.cursor() as cur:
        cur.execute("CREATE BRANCH bp_dev FROM main")
        main_before = head(cur, "main")
        first = rows(cur, "RUN PIPELINE 'bauplan_features' ON BRANCH bp_dev")
        assert all(r["status"] == "succeeded" for r in first), first
        assert {r["materialized_as"] for r in first} >= {
            "public.big_orders", "public.country_totals", "public.run_log"}, first

        # the SQL model bound $min_usd (float 50) and $excluded_country ('US')
        assert rows(cur, "SELECT count(*) AS n FROM bp_dev.public.big_orders WHERE usd < 50 OR country = 'US'") \
            == [{"n": 0}]
        assert rows(cur, "SELECT count(*) AS n FROM bp_dev.public.big_orders") == rows(
            cur, "SELECT count(*) AS n FROM orders WHERE usd >= 50 AND country <> 'US'")
        totals = rows(cur, "SELECT country, usd, orders FROM bp_dev.public.country_totals ORDER BY country")
        assert totals == expected_totals(cur, 50, "US", eu_only=True)

        # the parameters reached Python with their declared types, and the table keeps them
        log = rows(cur, "SELECT label, top_n, min_usd, eu_only, countries FROM bp_dev.public.run_log")
        assert log == [{"label": "nightly", "top_n": 3, "min_usd": 50.0, "eu_only": True, "countries": 4}]
        types = {r["column_name"]: r["column_type"] for r in rows(cur, "DESCRIBE bp_dev.public.run_log")}
        assert (types["top_n"], types["min_usd"], types["eu_only"]) == ("BIGINT", "DOUBLE", "BOOLEAN"), types
        assert head(cur, "main") == main_before

        # run again with other values: APPEND doubles run_log, REPLACE keeps one version of the others
        second = rows(cur, "RUN PIPELINE 'bauplan_features' ON BRANCH bp_dev WITH (param.min_usd = '90', "
                           "param.eu_only = 'FALSE', param.top_n = '2', param.label = 'second', "
                           "param.excluded_country = 'GB')")
        assert all(r["status"] == "succeeded" for r in second), second
        log = rows(cur, "SELECT label, top_n, min_usd, eu_only, countries, leaders FROM bp_dev.public.run_log "
                        "ORDER BY label")
        assert [(r["label"], r["top_n"], r["min_usd"], r["eu_only"], r["countries"]) for r in log] == [
            ("nightly", 3, 50.0, True, 4), ("second", 2, 90.0, False, 5)]
        assert len(log[0]["leaders"].split(",")) == 3 and len(log[1]["leaders"].split(",")) == 2
        assert rows(cur, "SELECT country, usd, orders FROM bp_dev.public.country_totals ORDER BY country") \
            == expected_totals(cur, 90, "GB", eu_only=False)
        assert rows(cur, "SELECT count(*) AS n FROM bp_dev.public.big_orders") == rows(
            cur, "SELECT count(*) AS n FROM orders WHERE usd >= 90 AND country <> 'GB'")


def test_a_value_that_does_not_fit_its_type_names_the_parameter(orders):
    with orders.cursor() as cur:
        cur.execute("CREATE BRANCH bp_types FROM main")
        before = head(cur, "bp_types")
        for option, words in [("param.top_n = 'three'", ["top_n", "int", "three"]),
                              ("param.top_n = '2.5'", ["top_n", "int", "2.5"]),
                              ("param.min_usd = 'lots'", ["min_usd", "float", "lots"]),
                              ("param.eu_only = 'yes please'", ["eu_only", "bool", "yes please"])]:
            with pytest.raises(Exception) as failure:
                cur.execute(f"RUN PIPELINE 'bauplan_features' ON BRANCH bp_types WITH ({option})")
                cur.fetch_arrow_table()
            assert all(w in str(failure.value) for w in words), (option, str(failure.value))
        assert head(cur, "bp_types") == before
        assert rows(cur, "SELECT 1 AS still_serving") == [{"still_serving": 1}]


def test_sql_parameters_are_values_never_sql(orders):
    with orders.cursor() as cur:
        cur.execute("CREATE BRANCH bp_quote FROM main")
        hostile = "x'' OR ''1''=''1"  # the value x' OR '1'='1, quoted for SQL
        rows(cur, f"RUN PIPELINE 'bauplan_features' ON BRANCH bp_quote WITH (param.excluded_country = '{hostile}', "
                  "param.min_usd = '0')")
        # no country is named x' OR '1'='1: every order is kept, none filtered by injected SQL
        assert rows(cur, "SELECT count(*) AS n FROM bp_quote.public.big_orders") == [{"n": 600}]


def test_failing_standard_expectation_fails_the_run_and_names_it(orders):
    with orders.cursor() as cur:
        cur.execute("CREATE BRANCH bp_expect FROM main")
        before = head(cur, "bp_expect")
        with pytest.raises(Exception) as failure:
            cur.execute("RUN PIPELINE 'bauplan_features' ON BRANCH bp_expect WITH (param.max_mean_usd = '10')")
            cur.fetch_arrow_table()
        assert "mean_order_is_plausible" in str(failure.value), str(failure.value)
        assert "orders_are_big_enough" not in str(failure.value)
        assert head(cur, "bp_expect") == before


def action(tarn_server, request):
    client = flight.FlightClient(tarn_server)
    try:
        return [json.loads(r.body.to_pybytes()) for r in
                client.do_action(flight.Action("tarn.run_pipeline", json.dumps(request).encode()))]
    finally:
        client.close()


def sent_project(branch, parameters):
    files = {p.name: base64.b64encode(p.read_bytes()).decode() for p in PROJECT.iterdir() if p.is_file()}
    return {"project": "bauplan_features", "branch": branch, "dry_run": False, "parameters": parameters,
            "files": files}


def test_action_json_parameters_keep_their_types(tarn_server, orders):
    with orders.cursor() as cur:
        cur.execute("CREATE BRANCH bp_action FROM main")
    events = action(tarn_server, sent_project("bp_action", {"top_n": 1, "min_usd": 75, "eu_only": False,
                                                           "label": "json"}))
    assert events[-1]["event"] == "run" and events[-1]["status"] == "succeeded", events[-1]
    with orders.cursor() as cur:
        assert rows(cur, "SELECT label, top_n, min_usd, eu_only FROM bp_action.public.run_log") == [
            {"label": "json", "top_n": 1, "min_usd": 75.0, "eu_only": False}]
        before = head(cur, "bp_action")
    with pytest.raises(pa.ArrowException) as failure:
        action(tarn_server, sent_project("bp_action", {"top_n": 2.5}))
    assert "top_n" in str(failure.value) and "int" in str(failure.value) and "2.5" in str(failure.value)
    with pytest.raises(pa.ArrowException) as failure:
        action(tarn_server, sent_project("bp_action", {"eu_only": [True]}))
    assert "eu_only" in str(failure.value)
    with orders.cursor() as cur:
        assert head(cur, "bp_action") == before


def test_tarn_run_sends_bauplan_project_file_and_typed_params(tarn_server, orders):
    with orders.cursor() as cur:
        cur.execute("CREATE BRANCH bp_cli FROM main")
    done = subprocess.run(
        [str(ROOT / "tarn"), "run", "--url", tarn_server, "--branch", "bp_cli", "--param", "top_n=5",
         "--param", "label=cli", str(PROJECT)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    with orders.cursor() as cur:
        assert rows(cur, "SELECT label, top_n FROM bp_cli.public.run_log") == [{"label": "cli", "top_n": 5}]


NETWORK_PROBE = """
import socket
import pyarrow as pa
import bauplan

def _connect():
    s = socket.socket()
    s.settimeout(5)
    try:
        return s.connect_ex(("127.0.0.1", {port}))
    finally:
        s.close()

@bauplan.model(materialization_strategy="REPLACE", internet_access=False)
@bauplan.python("3.11")
def offline(data=bauplan.Model("orders", columns=["id"])):
    return pa.table({{"errno": [_connect()]}})

@bauplan.model(materialization_strategy="REPLACE")
@bauplan.python("3.11", internet_access=True)
def online(data=bauplan.Model("orders", columns=["id"])):
    return pa.table({{"errno": [_connect()]}})
"""


def test_internet_access_false_runs_the_model_without_network(tarn_server, orders, projects_dir):
    port = int(tarn_server.rsplit(":", 1)[1])
    project = projects_dir / "network_probe"
    project.mkdir()
    (project / "models.py").write_text(NETWORK_PROBE.format(port=port))
    with orders.cursor() as cur:
        cur.execute("CREATE BRANCH bp_net FROM main")
        rows(cur, "RUN PIPELINE 'network_probe' ON BRANCH bp_net")
        assert rows(cur, "SELECT errno FROM bp_net.public.online") == [{"errno": 0}]  # the server's own port
        assert rows(cur, "SELECT errno FROM bp_net.public.offline") == [{"errno": errno.ENETUNREACH}]


def test_declared_columns_are_checked(orders, projects_dir):
    project = projects_dir / "wrong_columns"
    project.mkdir()
    (project / "models.py").write_text(textwrap.dedent("""
        import bauplan

        @bauplan.model(columns=["id", "missing"], materialization_strategy="REPLACE")
        @bauplan.python("3.11")
        def wrong_columns(data=bauplan.Model("orders", columns=["id", "usd"])):
            return data
        """))
    with orders.cursor() as cur:
        with pytest.raises(Exception) as failure:
            cur.execute("RUN PIPELINE 'wrong_columns'")
            cur.fetch_arrow_table()
    message = str(failure.value)
    assert "wrong_columns" in message and "'missing'" in message and "'usd'" in message, message


def test_two_project_files_are_refused(orders, projects_dir):
    project = projects_dir / "two_files"
    shutil.copytree(PROJECT, project)
    (project / "tarn_project.yml").write_text("name: two_files\n")
    with orders.cursor() as cur:
        with pytest.raises(Exception) as failure:
            cur.execute("RUN PIPELINE 'two_files'")
            cur.fetch_arrow_table()
    assert "tarn_project.yml" in str(failure.value) and "bauplan_project.yml" in str(failure.value)


def test_unquoted_numbers_and_booleans_in_with(orders):
    with orders.cursor() as cur:
        cur.execute("CREATE BRANCH bp_literals FROM main")
        rows(cur, "RUN PIPELINE 'bauplan_features' ON BRANCH bp_literals "
                  "WITH (param.top_n = 4, param.min_usd = 12.5, param.eu_only = false)")
        assert rows(cur, "SELECT top_n, min_usd, eu_only FROM bp_literals.public.run_log") == [
            {"top_n": 4, "min_usd": 12.5, "eu_only": False}]
