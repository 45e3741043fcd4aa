"""Sessions and transactions through Python ADBC, with and without ADBC's cookie middleware.

ADBC keeps the server's session cookie only with the option COOKIES; without it every call is
cookieless. Transactions must still work (ADBC sends the Flight SQL transaction id with statements
and prepared statements), statements that only change the session must fail clearly, and floods
of cookieless calls must not push out anyone's open transaction.
"""
import os
import re
import subprocess
import sys
import tempfile
import time
import uuid

import adbc_driver_flightsql.dbapi as flight_sql
import adbc_driver_manager
import pyarrow as pa
import pyarrow.flight as flight
import pytest

from conftest import ROOT, running_tarn

COOKIES = {"adbc.flight.sql.rpc.with_cookie_middleware": "true"}


def connect(uri, cookies, autocommit=True):
    return flight_sql.connect(uri, db_kwargs=dict(COOKIES) if cookies else {}, autocommit=autocommit)


def count(cur, table):
    cur.execute(f"SELECT count(*) FROM {table}")
    return cur.fetchone()[0]


@pytest.fixture()
def table(tarn_server):
    """A fresh empty lakehouse table, named schema-qualified."""
    name = f"sess.t_{uuid.uuid4().hex[:8]}"
    with connect(tarn_server, cookies=True) as setup, setup.cursor() as cur:
        cur.execute("CREATE SCHEMA IF NOT EXISTS sess")
        cur.execute(f"CREATE TABLE {name} (id INTEGER)")
    return name


@pytest.mark.parametrize("cookies", [False, True], ids=["no-cookies", "cookies"])
def test_autocommit_off_isolates_rolls_back_and_commits(tarn_server, table, cookies):
    with connect(tarn_server, cookies, autocommit=False) as tx, connect(tarn_server, True) as other:
        with tx.cursor() as cur, other.cursor() as watcher:
            cur.execute(f"INSERT INTO {table} VALUES (1)")
            assert count(cur, table) == 1, "the transaction reads its own write"
            assert count(watcher, table) == 0, "nobody else sees it before COMMIT"
            tx.rollback()
            assert count(watcher, table) == 0

            cur.execute(f"INSERT INTO {table} VALUES (?)", parameters=(2,))
            cur.execute(f"INSERT INTO {table} VALUES (3)")
            assert count(watcher, table) == 0
            tx.commit()
            watcher.execute(f"SELECT id FROM {table} ORDER BY id")
            assert [r[0] for r in watcher.fetchall()] == [2, 3]


def test_ingest_joins_the_transaction_with_cookies(tarn_server, table):
    schema, name = table.split(".")
    with connect(tarn_server, True, autocommit=False) as tx, connect(tarn_server, True) as other:
        with tx.cursor() as cur, other.cursor() as watcher:
            cur.adbc_ingest(name, pa.table({"id": pa.array([7, 8], pa.int32())}), mode="append",
                            db_schema_name=schema)
            assert count(watcher, table) == 0
            tx.commit()
            assert count(watcher, table) == 2


def test_ingest_without_cookies_inside_a_transaction_is_refused_not_committed(tarn_server, table):
    schema, name = table.split(".")
    with connect(tarn_server, False, autocommit=False) as tx, connect(tarn_server, True) as other:
        with tx.cursor() as cur, other.cursor() as watcher:
            with pytest.raises(adbc_driver_manager.Error) as refused:
                cur.adbc_ingest(name, pa.table({"id": pa.array([7], pa.int32())}), mode="append",
                                db_schema_name=schema)
            assert "with_cookie_middleware" in str(refused.value)
            assert count(watcher, table) == 0
            cur.execute(f"INSERT INTO {table} VALUES (1)")
            tx.commit()
            assert count(watcher, table) == 1


@pytest.mark.parametrize("statement", [
    "USE sess",
    "USE BRANCH main",
    "BEGIN",
    "CREATE TEMP TABLE scratch AS SELECT 1 AS x",
])
def test_session_changes_without_cookies_fail_clearly(tarn_server, table, statement):
    with connect(tarn_server, cookies=False) as conn, conn.cursor() as cur:
        with pytest.raises(adbc_driver_manager.Error) as refused:
            cur.execute(statement)
        message = str(refused.value)
        assert "does not send back the session cookie" in message
        assert "adbc.flight.sql.rpc.with_cookie_middleware" in message
        # the connection keeps serving
        cur.execute("SELECT 42")
        assert cur.fetchone()[0] == 42


def test_session_changes_with_cookies_work_from_the_first_statement(tarn_server, table):
    schema, name = table.split(".")
    with connect(tarn_server, cookies=True) as conn, conn.cursor() as cur:
        cur.execute(f"USE {schema}")  # the very first statement of the connection
        assert count(cur, name) == 0
        cur.execute("CREATE TEMP TABLE scratch AS SELECT 5 AS x")
        cur.execute("SELECT x FROM scratch")
        assert cur.fetchone()[0] == 5


def test_thousands_of_cookieless_calls_leave_an_open_transaction_alone(tarn_server, table):
    with connect(tarn_server, False, autocommit=False) as tx, tx.cursor() as cur:
        cur.execute(f"INSERT INTO {table} VALUES (1)")
        # Each call without a cookie used to create a kept session, pushing out older ones at 4096.
        client = flight.connect(tarn_server)
        try:
            started = time.monotonic()
            for _ in range(5000):
                list(client.do_action(flight.Action("GetSessionOptions", b"")))
            assert time.monotonic() - started < 120
        finally:
            client.close()
        cur.execute(f"INSERT INTO {table} VALUES (2)")
        tx.commit()
    with connect(tarn_server, True) as other, other.cursor() as watcher:
        assert count(watcher, table) == 2


def test_cookie_clients_past_the_session_limit_recycle_unused_sessions_only():
    """Sessions that hold nothing make room for new clients; a transaction or temporary table stays.

    The limit leaves room beyond the two holders: a client's prepared statement counts as state until
    its close reaches the server, which on a loaded machine may come after the next client's call."""
    with running_tarn("--max-sessions-per-user", "6") as uri:
        with connect(uri, True) as setup, setup.cursor() as cur:
            cur.execute("CREATE TABLE recycled (id INTEGER)")
        with connect(uri, True, autocommit=False) as tx, tx.cursor() as tx_cur, \
                connect(uri, True) as temp, temp.cursor() as temp_cur:
            tx_cur.execute("INSERT INTO recycled VALUES (1)")
            temp_cur.execute("CREATE TEMP TABLE scratch AS SELECT 'kept' AS v")
            idle = []
            try:
                for i in range(30):  # far more cookie clients than the limit, all still connected
                    client = connect(uri, True)
                    idle.append(client)
                    with client.cursor() as c:
                        c.execute(f"SELECT {i}")
                        assert c.fetchone() == (i,)
                for client in idle:  # a client whose session was recycled gets a fresh one
                    with client.cursor() as c:
                        assert count(c, "recycled") == 0
            finally:
                for client in idle:
                    client.close()
            temp_cur.execute("SELECT v FROM scratch")
            assert temp_cur.fetchone() == ("kept",)
            tx_cur.execute("INSERT INTO recycled VALUES (2)")
            tx.commit()
        with connect(uri, True) as after, after.cursor() as cur:
            assert count(cur, "recycled") == 2


def test_cookie_clients_past_the_session_limit_are_refused_when_every_session_holds_state():
    with running_tarn("--max-sessions-per-user", "2") as uri:
        holders = [connect(uri, True) for _ in range(2)]
        try:
            for i, holder in enumerate(holders):
                with holder.cursor() as c:
                    c.execute(f"CREATE TEMP TABLE t{i} AS SELECT {i} AS v")
            with connect(uri, True) as late, late.cursor() as c:
                with pytest.raises(flight_sql.Error, match=r"--max-sessions-per-user"):
                    c.execute("SELECT 1")
                    c.fetchall()
            for i, holder in enumerate(holders):
                with holder.cursor() as c:
                    c.execute(f"SELECT v FROM t{i}")
                    assert c.fetchone() == (i,)
        finally:
            for holder in holders:
                holder.close()


def _varint(n):
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _field(number, payload):
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


def _end_transaction_action(transaction_id, commit=True):
    """ActionEndTransactionRequest packed in a protobuf Any, as Flight SQL clients send it."""
    request = _field(1, transaction_id) + _varint(2 << 3) + _varint(1 if commit else 2)
    packed = _field(1, b"type.googleapis.com/arrow.flight.protocol.sql.ActionEndTransactionRequest") \
        + _field(2, request)
    return flight.Action("EndTransaction", packed)


def test_unknown_transaction_id_is_a_clear_error(tarn_server):
    client = flight.connect(tarn_server)
    try:
        for bogus in [b"0123456789abcdef", "\u202eé\u0000".encode(), b"x" * 10_000]:
            with pytest.raises((flight.FlightError, pa.ArrowException)) as unknown:
                list(client.do_action(_end_transaction_action(bogus)))
            assert "unknown transaction id" in str(unknown.value)
    finally:
        client.close()
    with connect(tarn_server, cookies=False) as conn, conn.cursor() as cur:
        cur.execute("SELECT 1")
        assert cur.fetchone()[0] == 1


def test_the_banner_python_snippet_runs_as_printed():
    warehouse = tempfile.mkdtemp(prefix="tarn-py-banner-")
    proc = subprocess.Popen(
        [str(ROOT / "tarn"), "serve", "--port", "0", "--metrics-port", "-1", "--warehouse", warehouse],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        banner = []
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line and proc.poll() is not None:
                break
            banner.append(line)
            if line.strip().startswith("CLI:"):
                break
        text = "".join(banner)
        match = re.search(r"Python with ADBC \(pip install [^)]*\):\n((?: {4}.*\n)+)", text)
        assert match, text
        snippet = "\n".join(line[4:] for line in match.group(1).splitlines())
        assert "with_cookie_middleware" in snippet
        ran = subprocess.run([sys.executable, "-c", snippet + "\ncur.execute('USE public')\nprint('used')\n"],
                             capture_output=True, text=True, timeout=120)
        assert ran.returncode == 0, ran.stderr
        assert "42" in ran.stdout and "used" in ran.stdout, ran.stdout

        # the Python client's snippet, with the package as pip installs it from python/tarn-runtime
        match = re.search(r"Python client \(pip install [^)]*\):\n((?: {4}.*\n)+)", text)
        assert match, text
        snippet = "\n".join(line[4:] for line in match.group(1).splitlines())
        ran = subprocess.run([sys.executable, "-c", snippet + "\nclient.execute('USE public')\nprint('used')\n"],
                             capture_output=True, text=True, timeout=120,
                             env={**os.environ, "PYTHONPATH": str(ROOT / "python" / "tarn-runtime" / "src")})
        assert ran.returncode == 0, ran.stderr
        assert "42" in ran.stdout and "used" in ran.stdout, ran.stdout
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
