"""Several Tarn servers on one lake, as in production (docker/compose.yaml), run here as processes:
a Nessie server holds the catalog, s3proxy the bucket, and two `./tarn serve` processes share both.
Clients are ADBC, one per server.
"""
import contextlib
import shutil
import tempfile
import threading
import time
from pathlib import Path

import adbc_driver_flightsql.dbapi as flight_sql
import pytest

from conftest import ROOT, start_tarn, stop_process
from lake_servers import shared_lake_flags, start_nessie, start_s3proxy

WAREHOUSE = "s3://lake/warehouse"
EURO_SUMS = ("SELECT country, round(sum(usd), 6) FROM {t} WHERE eventTime BETWEEN '2023-01-01' AND '2023-02-01'"
             " AND country IN ('IT', 'FR', 'DE', 'ES') GROUP BY country ORDER BY country")


@pytest.fixture(scope="module")
def lake():
    work = Path(tempfile.mkdtemp(prefix="tarn-one-lake-"))
    shutil.copytree(ROOT / "examples" / "pipelines" / "seed", work / "projects" / "seed")
    with contextlib.ExitStack() as stack:  # whatever fails to start, what did start is stopped
        nessie = start_nessie()
        stack.callback(nessie.stop)
        s3proxy = start_s3proxy(work)
        stack.callback(s3proxy.stop)
        yield nessie, s3proxy, work


def start_server(lake, name):
    nessie, s3proxy, work = lake
    flags, env = shared_lake_flags(nessie, s3proxy, work / f"{name}-cache")
    # Each server keeps its own state folder (users, audit) and cache; the catalog and bucket are shared.
    return start_tarn(*flags, "--catalog-dir", str(work / f"{name}-state"), "--scan-cache-mb", "64",
                      warehouse=WAREHOUSE, projects=work / "projects", env=env)


@pytest.fixture(scope="module")
def servers(lake):
    with contextlib.ExitStack() as stack:
        uris = []
        for name in ("a", "b"):
            proc, uri = start_server(lake, name)
            stack.callback(stop_process, proc)
            uris.append(uri)
        yield uris


def connect(uri):
    return flight_sql.connect(uri, db_kwargs={"adbc.flight.sql.rpc.with_cookie_middleware": "true"},
                              autocommit=True)


def rows(conn, sql):
    with conn.cursor() as cur:
        cur.execute(sql)
        return cur.fetchall()


def run(conn, sql):
    with conn.cursor() as cur:
        cur.execute(sql)


def test_a_commit_on_one_server_is_visible_on_the_other_at_once(servers):
    with connect(servers[0]) as a, connect(servers[1]) as b:
        run(a, "CREATE TABLE visible (id BIGINT)")
        run(a, "INSERT INTO visible VALUES (1)")
        assert rows(b, "SELECT id FROM visible") == [(1,)]

        run(b, "CREATE BRANCH visible_dev")
        assert "visible_dev" in [r[0] for r in rows(a, "SHOW BRANCHES")]
        run(a, "INSERT INTO visible_dev.public.visible VALUES (2)")
        assert rows(b, "SELECT id FROM visible_dev.public.visible ORDER BY id") == [(1,), (2,)]
        run(b, "MERGE BRANCH visible_dev INTO main")
        assert rows(a, "SELECT id FROM visible ORDER BY id") == [(1,), (2,)]


def test_concurrent_appends_from_both_servers_all_land(servers):
    with connect(servers[0]) as setup:
        run(setup, "CREATE TABLE appends (server VARCHAR, n BIGINT)")
    acknowledged, refused = [], []
    lock = threading.Lock()

    def writer(uri, name):
        with connect(uri) as conn:
            for n in range(12):
                try:
                    run(conn, f"INSERT INTO appends VALUES ('{name}', {n})")
                    with lock:
                        acknowledged.append((name, n))
                except Exception as e:  # a refusal must say why; it must not lose an acknowledged row
                    with lock:
                        refused.append(str(e))

    threads = [threading.Thread(target=writer, args=(uri, f"{i}-{t}"))
               for i, uri in enumerate(servers) for t in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for message in refused:
        assert "conflict" in message.lower() or "moved" in message.lower(), message
    assert len(acknowledged) >= 40, f"appends commute and are retried: {len(refused)} refused: {refused[:3]}"
    with connect(servers[1]) as b:
        assert sorted(rows(b, "SELECT server, n FROM appends")) == sorted(acknowledged)


def test_reads_in_a_transaction_stay_pinned_and_its_writes_check_the_head_they_read(servers):
    with connect(servers[0]) as a, connect(servers[1]) as b:
        run(a, "CREATE TABLE pinned (id BIGINT, v VARCHAR)")
        run(a, "INSERT INTO pinned VALUES (1, 'one'), (2, 'two')")

        run(a, "BEGIN")
        assert rows(a, "SELECT count(*) FROM pinned") == [(2,)]
        run(b, "INSERT INTO pinned VALUES (3, 'three')")
        assert rows(a, "SELECT count(*) FROM pinned") == [(2,)], "the transaction reads the commit it began at"
        run(a, "UPDATE pinned SET v = 'uno' WHERE id = 1")
        # The commit checks the head the transaction read: it rewrote a file of a table that moved
        # underneath it, so it is refused as a whole, naming the table, rather than overwriting.
        with pytest.raises(Exception) as refused:
            run(a, "COMMIT")
        assert "public.pinned was changed on both branches" in str(refused.value), str(refused.value)
        assert "not only by appends" in str(refused.value), str(refused.value)
        assert sorted(rows(b, "SELECT id, v FROM pinned")) == [(1, "one"), (2, "two"), (3, "three")], \
            "nothing of the transaction landed"
        assert sorted(rows(a, "SELECT id FROM pinned")) == [(1,), (2,), (3,)], "the session reads the new head"

        # A transaction that only appended lands over the other server's appends: both sides' rows, each once.
        run(a, "BEGIN")
        run(a, "INSERT INTO pinned VALUES (4, 'four')")
        run(b, "INSERT INTO pinned VALUES (5, 'five')")
        run(a, "INSERT INTO pinned VALUES (6, 'six')")
        run(a, "COMMIT")
        assert sorted(rows(b, "SELECT id FROM pinned")) == [(i,) for i in range(1, 7)]


def test_a_run_merges_while_the_other_server_moves_its_branch_and_caches_follow(servers):
    with connect(servers[0]) as a, connect(servers[1]) as b:
        for statement in (ROOT / "examples" / "pipelines" / "transactions.sql").read_text().split(";"):
            if any(line.strip() and not line.strip().startswith("--") for line in statement.splitlines()):
                run(a, statement)
        run(a, "CREATE BRANCH lake_runs")
        outcome = {}

        def pipeline():
            with connect(servers[0]) as runner:
                outcome["rows"] = rows(runner, "RUN PIPELINE 'seed' ON BRANCH lake_runs")

        thread = threading.Thread(target=pipeline)
        thread.start()
        deadline = time.monotonic() + 120
        while not any(r[0].startswith("tarn_run_") for r in rows(b, "SHOW BRANCHES ALL")):
            assert thread.is_alive() and time.monotonic() < deadline, "the run's branch never appeared"
            time.sleep(0.05)
        # While the run works on its own branch, the other server commits to the run's target.
        run(b, "CREATE TABLE lake_runs.public.side (x BIGINT)")
        run(b, "INSERT INTO lake_runs.public.side VALUES (1)")
        thread.join(timeout=300)
        assert "rows" in outcome, "the run finished"
        assert rows(b, "SELECT count(*) FROM lake_runs.public.side") == [(1,)], "the other server's commit stands"
        assert rows(b, "SELECT country, round(usd, 6) FROM lake_runs.public.usd_by_country ORDER BY country") == \
            rows(b, EURO_SUMS.format(t="lake_runs.public.transactions"))

        # New rows from the other server reach the next run on this one, scan cache or not.
        run(b, "INSERT INTO lake_runs.public.transactions VALUES (999, 1000.0, 'IT', TIMESTAMP '2023-01-15 12:00:00')")
        rows(a, "RUN PIPELINE 'seed' ON BRANCH lake_runs")
        after = rows(b, "SELECT country, round(usd, 6) FROM lake_runs.public.usd_by_country ORDER BY country")
        assert after == rows(b, EURO_SUMS.format(t="lake_runs.public.transactions"))
        assert after != rows(b, EURO_SUMS.format(t="main.public.transactions")), "the new row counted"


def test_a_server_killed_mid_write_loses_nothing_acknowledged_and_the_other_keeps_serving(lake, servers):
    proc, uri = start_server(lake, "doomed")
    with connect(servers[1]) as b:
        run(b, "CREATE TABLE survivors (n BIGINT)")
    acknowledged = []
    stop = threading.Event()

    def writer():
        try:
            with connect(uri) as conn:
                n = 0
                while not stop.is_set():
                    run(conn, f"INSERT INTO survivors VALUES ({n})")
                    acknowledged.append(n)
                    n += 1
        except Exception:
            pass  # the server died under the writer

    thread = threading.Thread(target=writer)
    thread.start()
    deadline = time.monotonic() + 60
    while len(acknowledged) < 5 and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.kill()  # SIGKILL, mid-write
    proc.wait(timeout=20)
    stop.set()
    thread.join(timeout=30)
    assert len(acknowledged) >= 5
    with connect(servers[1]) as b:
        landed = {r[0] for r in rows(b, "SELECT n FROM survivors")}
        assert set(acknowledged) <= landed, f"lost: {sorted(set(acknowledged) - landed)}"
        assert len(landed) <= len(acknowledged) + 1, "at most the one unacknowledged write may have landed"
        run(b, "INSERT INTO survivors VALUES (-1)")
        assert rows(b, "SELECT count(*) FROM survivors WHERE n = -1") == [(1,)]
