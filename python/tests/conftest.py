"""Starts a real Tarn server (the same `./tarn serve` users run) for the Python client tests."""
import contextlib
import os
import re
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def projects_dir():
    """The server's projects folder: RUN PIPELINE 'name' runs projects placed here."""
    return Path(tempfile.mkdtemp(prefix="tarn-py-projects-"))


# Secrets in the server's environment, as an operator's might hold them: no model may see them.
SERVER_SECRETS = {"TARN_PASSWORD": "py-test-password", "AWS_SECRET_ACCESS_KEY": "py-test-aws-secret"}


@pytest.fixture(scope="session")
def tarn_warehouse():
    """The folder the test server keeps its data in: attacks build file paths from it."""
    return tempfile.mkdtemp(prefix="tarn-py-warehouse-")


def start_tarn(*flags, warehouse=None, projects=None, env=None):
    """Starts `./tarn serve` with these extra flags on a free port; returns the process and its grpc:// URI.

    The warehouse is a fresh folder unless one is given (a folder or an s3:// location); `env` adds
    variables to the server's environment. The caller stops the process.
    """
    warehouse = str(warehouse) if warehouse is not None else tempfile.mkdtemp(prefix="tarn-py-warehouse-")
    command = [str(ROOT / "tarn"), "serve", "--port", "0", "--metrics-port", "-1", "--warehouse", warehouse]
    if projects is not None:
        command += ["--projects", str(projects)]
    proc = subprocess.Popen(
        command + list(flags),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, **SERVER_SECRETS, **(env or {})},
    )
    uri = None
    seen = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            if proc.poll() is not None:
                break
            continue
        seen.append(line)
        match = re.search(r"(grpc(?:\+tls)?://127\.0\.0\.1:\d+)", line)
        if match:
            uri = match.group(1)
            break
    if uri is None:
        proc.kill()
        raise RuntimeError("tarn serve did not start:\n" + "".join(seen))
    # keep reading the server's log, so a chatty server never blocks on a full pipe
    threading.Thread(target=proc.stdout.read, daemon=True).start()
    return proc, uri


def stop_process(proc, timeout=20):
    """Stops a server process: SIGTERM, then SIGKILL if it does not exit in time."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=timeout)


@contextlib.contextmanager
def running_tarn(*flags, warehouse=None, projects=None, env=None):
    """Runs `./tarn serve` with these extra flags on a free port; yields its grpc:// URI and stops it after.

    The warehouse is a fresh folder unless one is given.
    """
    proc, uri = start_tarn(*flags, warehouse=warehouse, projects=projects, env=env)
    try:
        yield uri
    finally:
        stop_process(proc)


@pytest.fixture(scope="session")
def tarn_server(projects_dir, tarn_warehouse):
    with running_tarn(warehouse=tarn_warehouse, projects=projects_dir) as uri:
        yield uri


@pytest.fixture()
def conn(tarn_server):
    import adbc_driver_flightsql.dbapi as flight_sql

    connection = flight_sql.connect(
        tarn_server,
        db_kwargs={"adbc.flight.sql.rpc.with_cookie_middleware": "true"},
        autocommit=True,
    )
    yield connection
    connection.close()
