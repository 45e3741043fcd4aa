"""API tokens through ADBC: a password server, a token sent as `Authorization: Bearer`, ingest
allowed or refused by the token's user's privileges, and a dropped token failing its next call."""
import os
import re
import subprocess
import tempfile
import time
from pathlib import Path

import pyarrow as pa
import pytest

ROOT = Path(__file__).resolve().parents[2]
ADMIN, ADMIN_PASSWORD = "root", "py-admin-password"


@pytest.fixture(scope="module")
def password_server():
    warehouse = tempfile.mkdtemp(prefix="tarn-py-access-")
    proc = subprocess.Popen(
        [str(ROOT / "tarn"), "serve", "--port", "0", "--metrics-port", "-1", "--warehouse", warehouse,
         "--user", ADMIN, "--password-env", "TARN_TEST_ADMIN_PASSWORD"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "TARN_TEST_ADMIN_PASSWORD": ADMIN_PASSWORD},
    )
    uri, seen = None, []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and uri is None:
        line = proc.stdout.readline()
        if not line and proc.poll() is not None:
            break
        seen.append(line)
        match = re.search(r"(grpc://127\.0\.0\.1:\d+)", line)
        uri = match.group(1) if match else None
    if uri is None:
        proc.kill()
        raise RuntimeError("tarn serve did not start:\n" + "".join(seen))
    yield uri
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


def connect(uri, **db_kwargs):
    import adbc_driver_flightsql.dbapi as flight_sql

    return flight_sql.connect(uri, db_kwargs=db_kwargs, autocommit=True)


def admin(uri):
    return connect(uri, username=ADMIN, password=ADMIN_PASSWORD)


def bearer(secret):
    return {"adbc.flight.sql.authorization_header": "Bearer " + secret}


def test_a_token_authenticates_ingest_within_its_users_privileges(password_server):
    with admin(password_server) as conn, conn.cursor() as cur:
        cur.execute("CREATE BRANCH ci_out FROM main")
        cur.execute("CREATE USER ci PASSWORD 'ci-password-1'")
        cur.execute("GRANT READ ON BRANCH 'ci_*' TO USER ci")
        cur.execute("GRANT WRITE ON BRANCH 'ci_*' TO USER ci")
        cur.execute("CREATE TOKEN ci_job FOR USER ci EXPIRES IN '1 day'")
        secret = cur.fetchone()[2]
    assert secret.startswith("tarn_")

    data = pa.table({"id": pa.array([1, 2, 3], pa.int64())})
    with connect(password_server, **bearer(secret)) as conn, conn.cursor() as cur:
        conn.adbc_connection.set_options(**{"adbc.connection.catalog": "ci_out"})
        assert cur.adbc_ingest("loaded", data, mode="create") == 3
        cur.execute("SELECT count(*) FROM loaded")
        assert cur.fetchone()[0] == 3

    with connect(password_server, **bearer(secret)) as conn, conn.cursor() as cur:
        # one token is one session, which kept the branch the previous connection chose: back to main,
        # which the token's user may not write
        conn.adbc_connection.set_options(**{"adbc.connection.catalog": "main"})
        with pytest.raises(Exception, match="user ci lacks WRITE on branch main"):
            cur.adbc_ingest("loaded", data, mode="create")
        cur.execute("SELECT 1")
        assert cur.fetchone()[0] == 1


def test_a_dropped_token_fails_its_next_call(password_server):
    with admin(password_server) as conn, conn.cursor() as cur:
        cur.execute("CREATE USER temp_ci PASSWORD 'temp-password-1'")
        cur.execute("GRANT READ ON ALL BRANCHES TO USER temp_ci")
        cur.execute("CREATE TOKEN short_job FOR USER temp_ci")
        secret = cur.fetchone()[2]

    conn = connect(password_server, **bearer(secret))
    cur = conn.cursor()
    cur.execute("SELECT 1")
    assert cur.fetchone()[0] == 1
    with admin(password_server) as a, a.cursor() as acur:
        acur.execute("DROP TOKEN short_job")
    with pytest.raises(Exception, match="API token is unknown, was dropped, or has expired"):
        cur.execute("SELECT 1")
    for closing in (cur.close, conn.close):
        try:
            closing()
        except Exception:
            pass  # closing is a call too, which the dropped token cannot make
    guessed = connect(password_server, **bearer("tarn_guessed"))
    guessed_cur = guessed.cursor()
    with pytest.raises(Exception, match="API token"):
        guessed_cur.execute("SELECT 1")
    for closing in (guessed_cur.close, guessed.close):
        try:
            closing()
        except Exception:
            pass
