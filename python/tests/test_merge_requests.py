"""Merge requests in SQL through ADBC: CREATE / SHOW / APPROVE / REJECT MERGE REQUEST under users and a protected
main. Approval merges the proposed commit as one commit, or changes nothing: without MERGE, when the source moved,
on a conflict, when the named project fails on the source; decisions race safely and survive a restart."""
import tempfile
import threading
from pathlib import Path

import pytest

from conftest import start_tarn, stop_process

ADMIN, ADMIN_PASSWORD = "root", "py-merge-requests-admin"
ADMIN_LOGIN = {"username": ADMIN, "password": ADMIN_PASSWORD}
ALICE = {"username": "alice", "password": "alice-password-1"}
BOB = {"username": "bob", "password": "bob-password-12"}
CAROL = {"username": "carol", "password": "carol-password-1"}

# a project whose expectation holds only when no amount is negative
CHECKED_PROJECT = {
    "models.py": '''import tarn


@tarn.model()
@tarn.python("3.11")
def checked_amounts(data=tarn.Model("amounts", columns=["id", "amount"])):
    return data


@tarn.expectation()
@tarn.python("3.11")
def no_negative_amounts(data=tarn.Model("checked_amounts")):
    import pyarrow.compute as pc
    return data.num_rows == 0 or pc.min(data["amount"]).as_py() >= 0
''',
}


def sql(uri, login, *statements):
    import adbc_driver_flightsql.dbapi as flight_sql

    with flight_sql.connect(uri, db_kwargs=login, autocommit=True) as conn, conn.cursor() as cur:
        result = None
        for statement in statements:
            cur.execute(statement)
            result = cur.fetchall()
        return result


def refused(uri, login, statement):
    """The error message a statement fails with."""
    with pytest.raises(Exception) as e:
        sql(uri, login, statement)
    return str(e.value)


class Server:
    """A server with users on a warehouse that outlives it, so it can be restarted."""

    def __init__(self, warehouse, projects):
        self.warehouse, self.projects = warehouse, projects
        self.proc = self.uri = None

    def start(self):
        self.proc, self.uri = start_tarn("--user", ADMIN, "--password-env", "TARN_TEST_ADMIN_PASSWORD",
                                         warehouse=self.warehouse, projects=self.projects,
                                         env={"TARN_TEST_ADMIN_PASSWORD": ADMIN_PASSWORD})
        return self.uri

    def stop(self):
        stop_process(self.proc)


@pytest.fixture(scope="module")
def server():
    projects = Path(tempfile.mkdtemp(prefix="tarn-py-mr-projects-"))
    (projects / "checked").mkdir()
    for name, text in CHECKED_PROJECT.items():
        (projects / "checked" / name).write_text(text)
    s = Server(tempfile.mkdtemp(prefix="tarn-py-mr-warehouse-"), projects)
    uri = s.start()
    sql(uri, ADMIN_LOGIN,
        "CREATE TABLE amounts AS SELECT i AS id, i * 10 AS amount FROM range(5) t(i)",
        "CREATE TABLE notes (id BIGINT, note VARCHAR)",
        f"CREATE USER alice PASSWORD '{ALICE['password']}'",
        f"CREATE USER bob PASSWORD '{BOB['password']}'",
        f"CREATE USER carol PASSWORD '{CAROL['password']}'",
        "GRANT READ ON ALL BRANCHES TO USER alice",
        "GRANT BRANCH ON BRANCH 'alice_*' TO USER alice",
        "GRANT WRITE ON BRANCH 'alice_*' TO USER alice",
        "GRANT READ ON ALL BRANCHES TO USER bob",
        "GRANT MERGE ON BRANCH 'main' TO USER bob",
        "GRANT RUN ON BRANCH 'main' TO USER bob",
        "GRANT READ ON BRANCH 'carol_*' TO USER carol",
        "PROTECT BRANCH main")
    yield s
    s.stop()


def log_size(uri):
    return len(sql(uri, ADMIN_LOGIN, "SHOW LOG main LIMIT 1000"))


def test_a_reviewer_approves_and_the_branch_lands_as_one_commit(server):
    uri = server.uri
    sql(uri, ALICE, "CREATE BRANCH alice_notes FROM main",
        "INSERT INTO alice_notes.public.notes VALUES (1, 'first')",
        "INSERT INTO alice_notes.public.notes VALUES (2, 'second')")
    (created,) = sql(uri, ALICE, "CREATE MERGE REQUEST FROM alice_notes INTO main TITLE 'two notes'")
    number, state, source, source_commit, target, title, _, author = created[:8]
    assert (state, source, target, title, author) == ("open", "alice_notes", "main", "two notes", "alice"), created
    head = sql(uri, ADMIN_LOGIN, "SHOW LOG alice_notes LIMIT 1")[0][0]
    assert source_commit == head

    # carol reads neither branch: she sees no request and cannot decide it
    assert sql(uri, CAROL, "SHOW MERGE REQUESTS") == []
    assert f"no merge request {number}" in refused(uri, CAROL, f"APPROVE MERGE REQUEST {number}")
    # alice proposed it, but only a holder of MERGE on main decides it
    assert "lacks MERGE on branch main" in refused(uri, ALICE, f"APPROVE MERGE REQUEST {number}")
    assert sql(uri, ADMIN_LOGIN, "SELECT count(*) FROM notes") == [(0,)]

    before = log_size(uri)
    (approved,) = sql(uri, BOB, f"APPROVE MERGE REQUEST {number}")
    assert approved[1] == "merged" and approved[9] == "bob" and approved[11], approved
    assert sql(uri, ADMIN_LOGIN, "SELECT count(*) FROM notes") == [(2,)]
    assert log_size(uri) == before + 1
    newest = sql(uri, ADMIN_LOGIN, "SHOW LOG main LIMIT 1")[0]
    assert newest[0] == approved[11] and newest[2] == "bob", newest
    assert newest[4] == f"Merge request {number}: two notes (alice_notes into main)", newest
    assert f"already merged by bob" in refused(uri, BOB, f"APPROVE MERGE REQUEST {number}")
    assert "already merged" in refused(uri, BOB, f"REJECT MERGE REQUEST {number}")
    shown = {row[0]: row for row in sql(uri, ALICE, "SHOW MERGE REQUESTS")}
    assert shown[number][1] == "merged" and shown[number][11] == approved[11]
    audited = sql(uri, ADMIN_LOGIN, "SHOW AUDIT LIMIT 50")
    assert any("APPROVE MERGE REQUEST" in str(r) and "bob" in r and approved[11] in r for r in audited), audited[:3]


def test_nothing_changes_when_the_source_moved_or_the_target_conflicts(server):
    uri = server.uri
    sql(uri, ALICE, "CREATE BRANCH alice_moving FROM main", "INSERT INTO alice_moving.public.notes VALUES (10, 'a')")
    (moving,) = sql(uri, ALICE, "CREATE MERGE REQUEST FROM alice_moving INTO main")
    assert moving[5] == "merge alice_moving into main"
    sql(uri, ALICE, "INSERT INTO alice_moving.public.notes VALUES (11, 'b')")
    main_before = sql(uri, ADMIN_LOGIN, "SHOW LOG main LIMIT 1")[0][0]
    message = refused(uri, BOB, f"APPROVE MERGE REQUEST {moving[0]}")
    assert "moved since it was proposed" in message and moving[3][:12] in message, message
    assert sql(uri, ADMIN_LOGIN, "SHOW LOG main LIMIT 1")[0][0] == main_before
    row = {r[0]: r for r in sql(uri, BOB, "SHOW MERGE REQUESTS")}[moving[0]]
    assert row[1] == "open" and "moved since it was proposed" in row[12], row

    # two branches change the same table; the first to reach main wins, the other is refused whole
    sql(uri, ALICE, "CREATE BRANCH alice_raise FROM main", "UPDATE alice_raise.public.amounts SET amount = amount + 1")
    sql(uri, ADMIN_LOGIN, "CREATE BRANCH ops_fix FROM main", "DELETE FROM ops_fix.public.amounts WHERE id = 4",
        "MERGE BRANCH ops_fix INTO main")
    (raise_request,) = sql(uri, ALICE, "CREATE MERGE REQUEST FROM alice_raise INTO main TITLE 'raise all'")
    main_before = sql(uri, ADMIN_LOGIN, "SHOW LOG main LIMIT 1")[0][0]
    message = refused(uri, BOB, f"APPROVE MERGE REQUEST {raise_request[0]}")
    assert "was not approved" in message and "amounts" in message, message
    assert sql(uri, ADMIN_LOGIN, "SHOW LOG main LIMIT 1")[0][0] == main_before
    assert sql(uri, ADMIN_LOGIN, "SELECT sum(amount) FROM amounts") == [(60,)]

    (rejected,) = sql(uri, BOB, f"REJECT MERGE REQUEST {raise_request[0]} REASON 'rebase on main first'")
    assert rejected[1] == "rejected" and rejected[9] == "bob" and rejected[12] == "rebase on main first", rejected
    assert "already rejected by bob" in refused(uri, BOB, f"APPROVE MERGE REQUEST {raise_request[0]}")


def test_a_failing_project_refuses_the_approval(server):
    uri = server.uri
    sql(uri, ALICE, "CREATE BRANCH alice_bad FROM main", "INSERT INTO alice_bad.public.amounts VALUES (7, -5)")
    (bad,) = sql(uri, ALICE, "CREATE MERGE REQUEST FROM alice_bad INTO main TITLE 'a refund' PROJECT 'checked'")
    assert bad[6] == "checked"
    message = refused(uri, BOB, f"APPROVE MERGE REQUEST {bad[0]}")
    assert "project checked failed on branch alice_bad" in message and "no_negative_amounts" in message, message
    assert sql(uri, ADMIN_LOGIN, "SELECT count(*) FROM amounts WHERE amount < 0") == [(0,)]

    sql(uri, ALICE, "CREATE BRANCH alice_good FROM main", "INSERT INTO alice_good.public.amounts VALUES (8, 80)")
    (good,) = sql(uri, ALICE, "CREATE MERGE REQUEST FROM alice_good INTO main PROJECT 'checked'")
    (approved,) = sql(uri, BOB, f"APPROVE MERGE REQUEST {good[0]}")
    assert approved[1] == "merged", approved
    assert sql(uri, ADMIN_LOGIN, "SELECT count(*) FROM amounts WHERE id = 8") == [(1,)]
    # a project outside the projects folder, or missing, is refused when proposed
    assert "does not exist" in refused(uri, ALICE, "CREATE MERGE REQUEST FROM alice_good INTO main PROJECT 'nope'")
    assert "outside" in refused(uri, ALICE, "CREATE MERGE REQUEST FROM alice_good INTO main PROJECT '/etc'")


def test_bad_requests_are_refused_by_name(server):
    uri = server.uri
    sql(uri, ALICE, "CREATE BRANCH IF NOT EXISTS alice_notes FROM main")
    assert "does not exist" in refused(uri, ALICE, "CREATE MERGE REQUEST FROM no_such INTO main")
    assert "both are main" in refused(uri, ALICE, "CREATE MERGE REQUEST FROM main INTO main")
    sql(uri, ADMIN_LOGIN, "CREATE TAG mr_tag FROM main")
    assert "is a tag" in refused(uri, ALICE, "CREATE MERGE REQUEST FROM mr_tag INTO main")
    assert "lacks READ" in refused(uri, CAROL, "CREATE MERGE REQUEST FROM main INTO alice_notes")
    long_title = "x" * 501
    assert "at most 500" in refused(uri, ALICE, f"CREATE MERGE REQUEST FROM alice_notes INTO main TITLE '{long_title}'")
    assert "invisible" in refused(uri, ALICE, "CREATE MERGE REQUEST FROM alice_notes INTO main TITLE 'fix \u202egnp.exe'")
    assert "no merge request 9999" in refused(uri, BOB, "APPROVE MERGE REQUEST 9999")
    assert "whole number" in refused(uri, BOB, "APPROVE MERGE REQUEST 0")
    import adbc_driver_flightsql.dbapi as flight_sql
    in_transaction = {**ALICE, "adbc.flight.sql.rpc.with_cookie_middleware": "true",
                      "adbc.flight.sql.rpc.call_header.branch": "alice_notes"}
    with flight_sql.connect(uri, db_kwargs=in_transaction) as conn:
        with conn.cursor() as cur:  # autocommit off: the driver opens a transaction on alice's branch
            with pytest.raises(Exception, match="not allowed inside a transaction"):
                cur.execute("CREATE MERGE REQUEST FROM alice_notes INTO main")
                cur.fetchall()


def test_two_approvals_at_once_merge_once(server):
    uri = server.uri
    sql(uri, ALICE, "CREATE BRANCH alice_race FROM main", "INSERT INTO alice_race.public.notes VALUES (20, 'race')")
    (race,) = sql(uri, ALICE, "CREATE MERGE REQUEST FROM alice_race INTO main")
    before = log_size(uri)
    outcomes = []

    def approve():
        try:
            outcomes.append(sql(uri, BOB, f"APPROVE MERGE REQUEST {race[0]}")[0][1])
        except Exception as e:  # noqa: BLE001 - the loser's error is the point
            outcomes.append(str(e))

    threads = [threading.Thread(target=approve) for _ in range(4)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert outcomes.count("merged") == 1, outcomes
    assert all("already merged" in o or "being decided" in o for o in outcomes if o != "merged"), outcomes
    assert log_size(uri) == before + 1
    assert sql(uri, ADMIN_LOGIN, "SELECT count(*) FROM notes WHERE id = 20") == [(1,)]


def test_requests_survive_a_restart(server):
    shown = sql(server.uri, ADMIN_LOGIN, "SHOW MERGE REQUESTS")
    server.stop()
    uri = server.start()
    assert sql(uri, ADMIN_LOGIN, "SHOW MERGE REQUESTS") == shown
    sql(uri, ALICE, "CREATE BRANCH alice_after FROM main", "INSERT INTO alice_after.public.notes VALUES (30, 'x')")
    (after,) = sql(uri, ALICE, "CREATE MERGE REQUEST FROM alice_after INTO main")
    assert after[0] == max(r[0] for r in shown) + 1  # numbers are never given twice
