"""Agents over MCP on stdio (`./tarn mcp --url grpc://... --token ...`): the `mcp` package's own stdio client
starts `./tarn mcp` as a local agent would, and works on a remote `./tarn serve` as the token's user: the same
tools, privileges, protected branches and audit as the HTTP door."""
import asyncio
import json
import os
import subprocess
from pathlib import Path

import pytest

from conftest import running_tarn

mcp = pytest.importorskip("mcp")
from mcp.client.session import ClientSession  # noqa: E402
from mcp.client.stdio import StdioServerParameters, stdio_client  # noqa: E402

from test_mcp import ADMIN, ADMIN_PASSWORD, sql, text  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
TARN = str(ROOT / "tarn")


def stdio_calls(uri, token, *calls, args=()):
    """Starts `./tarn mcp` for one MCP session, with the token in its environment as an MCP client config puts
    it, and makes the calls ((tool, arguments), "list_tools", "list_resource_templates"); returns the answers."""
    params = StdioServerParameters(command=TARN, args=["mcp", "--url", uri, *args],
                                   env={**os.environ, "TARN_TOKEN": token}, cwd=str(ROOT))

    async def run():
        with open(os.devnull, "w") as quiet:
            async with stdio_client(params, errlog=quiet) as (read, write), ClientSession(read, write) as session:
                init = await session.initialize()
                answers = [init]
                for c in calls:
                    if c == "list_tools":
                        answers.append(await session.list_tools())
                    else:
                        answers.append(await session.call_tool(c[0], c[1]))
                return answers

    return asyncio.run(asyncio.wait_for(run(), timeout=120))


def flight_action(uri, body, **credentials):
    """The raw Flight action `tarn.mcp`, as `tarn mcp` sends it: the answers' bodies, or the Flight error."""
    import pyarrow.flight as flight

    client = flight.FlightClient(uri)
    options = flight.FlightCallOptions()
    if credentials:
        token = client.authenticate_basic_token(credentials["username"], credentials["password"])
        options = flight.FlightCallOptions(headers=[token])
    try:
        return [r.body.to_pybytes() for r in client.do_action(flight.Action("tarn.mcp", body), options)]
    finally:
        client.close()


@pytest.fixture(scope="module")
def server():
    with running_tarn("--user", ADMIN, "--password-env", "TARN_TEST_ADMIN_PASSWORD",
                      env={"TARN_TEST_ADMIN_PASSWORD": ADMIN_PASSWORD}) as uri:
        admin = {"username": ADMIN, "password": ADMIN_PASSWORD}
        sql(uri, "CREATE SCHEMA shop",
            "CREATE TABLE shop.orders AS SELECT i AS id, 'item ' || i AS item FROM range(1, 11) t(i)",
            "CREATE BRANCH team_work FROM main",
            "CREATE USER agent PASSWORD 'agent-password-1'",
            "GRANT READ ON ALL BRANCHES TO USER agent",
            "GRANT BRANCH ON BRANCH 'agent_*' TO USER agent",
            "GRANT WRITE ON BRANCH 'agent_*' TO USER agent",
            "GRANT WRITE ON BRANCH 'main' TO USER agent",
            "PROTECT BRANCH main", **admin)
        token = sql(uri, "CREATE TOKEN agent_key FOR USER agent", **admin)[0][2]
        yield uri, admin, token


def test_an_agent_on_stdio_reads_writes_its_branch_and_is_refused_main(server):
    uri, admin, token = server
    init, tools, tables, query, created, insert, on_branch, protected, refs = stdio_calls(
        uri, token,
        "list_tools",
        ("list_tables", {"ref": "main"}),
        ("query", {"sql": "SELECT id, item FROM shop.orders WHERE id <= 2 ORDER BY id"}),
        ("create_branch", {"name": "agent_stdio", "from": "main"}),
        ("execute", {"sql": "INSERT INTO shop.orders VALUES (11, 'item ∑ 11')", "branch": "agent_stdio"}),
        ("query", {"sql": "SELECT item FROM shop.orders WHERE id = 11", "ref": "agent_stdio"}),
        ("execute", {"sql": "INSERT INTO shop.orders VALUES (99, 'x')", "branch": "main"}),
        ("list_references", {}))
    assert init.server_info.name == "tarn" and "create_branch" in (init.instructions or "")
    by_name = {t.name: t for t in tools.tools}
    # the same tools as the HTTP door, with their schemas and annotations as the server defines them
    assert {"list_references", "list_tables", "describe_table", "query", "create_branch", "execute", "log",
            "diff"} <= set(by_name)
    assert by_name["query"].input_schema["required"] == ["sql"]
    assert by_name["query"].input_schema["properties"]["limit"]["maximum"] == 10000
    assert by_name["execute"].annotations.read_only_hint is False
    assert "shop.orders" in text(tables), text(tables)
    q = text(query)
    assert not query.is_error and "item 2" in q and "(2 rows)" in q, q
    assert not created.is_error and "created branch agent_stdio from branch main" in text(created), text(created)
    assert not insert.is_error and "1 row changed" in text(insert), text(insert)
    assert "item ∑ 11" in text(on_branch), text(on_branch)
    assert protected.is_error and "branch main is protected" in text(protected), text(protected)
    assert "agent_stdio" in text(refs)
    assert sql(uri, "SELECT count(*) FROM shop.orders", **admin) == [(10,)]
    assert sql(uri, "SELECT count(*) FROM shop.orders AT BRANCH agent_stdio", **admin) == [(11,)]

    audited = sql(uri, "SHOW AUDIT LIMIT 100", **admin)
    mcp_rows = [r for r in audited if "mcp" in r]
    assert any("agent" in r and "create_branch agent_stdio" in str(r) and "ok" in r and "127.0.0.1" in str(r)
               for r in mcp_rows), mcp_rows
    assert any("agent" in r and "execute" in str(r) and "refused" in r and "main" in r for r in mcp_rows), mcp_rows


def test_a_tool_error_leaves_the_session_serving(server):
    uri, _, token = server
    _, bad_sql, wrong_type, huge, after = stdio_calls(
        uri, token,
        ("query", {"sql": "SELEC nonsense"}),
        ("list_tables", {"ref": 42}),
        ("query", {"sql": "SELECT '" + "é" * 600_000 + "'"}),
        ("query", {"sql": "SELECT 7 AS seven"}))
    assert bad_sql.is_error and text(bad_sql), text(bad_sql)
    assert huge.is_error and "at most 1048576 bytes" in text(huge), text(huge)[:500]
    assert wrong_type.is_error and "ref" in text(wrong_type), text(wrong_type)
    assert not after.is_error and "7" in text(after), text(after)


def test_a_bad_token_or_server_ends_the_process_with_one_clear_line(server):
    uri, _, _ = server
    for env_token, url, expected in (
            ("tarn_not_a_real_token", uri, "refused the credentials"),
            ("", uri, "refused the credentials"),
            ("x", "grpc://127.0.0.1:1", "cannot reach the Tarn server at grpc://127.0.0.1:1")):
        proc = subprocess.run([TARN, "mcp", "--url", url], input="", capture_output=True, text=True, timeout=60,
                              env={**os.environ, "TARN_TOKEN": env_token}, cwd=str(ROOT))
        assert proc.returncode != 0, proc
        assert proc.stdout == "", proc.stdout  # stdout is the agent's message stream: nothing else goes there
        lines = [line for line in proc.stderr.splitlines() if line.startswith("tarn mcp:")]
        assert len(lines) == 1 and expected in lines[0], proc.stderr


def test_stdio_over_tls(tmp_path):
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
                   check=True, capture_output=True)
    with running_tarn("--tls-cert", str(cert), "--tls-key", str(key)) as uri:
        assert uri.startswith("grpc+tls://")
        _, answer = stdio_calls(uri, "", ("query", {"sql": "SELECT 'over tls' AS how"}), args=["--tls-skip-verify"])
        assert not answer.is_error and "over tls" in text(answer), text(answer)
        # without --tls-skip-verify a self-signed certificate is not trusted: one line, and no MCP served
        proc = subprocess.run([TARN, "mcp", "--url", uri], input="", capture_output=True, text=True, timeout=60,
                              cwd=str(ROOT))
        assert proc.returncode != 0 and proc.stdout == "", proc
        assert [line for line in proc.stderr.splitlines() if line.startswith("tarn mcp: cannot reach")], proc.stderr


def test_the_flight_action_checks_what_it_is_sent(server):
    import pyarrow as pa
    import pyarrow.flight as flight

    uri, admin, _ = server
    with pytest.raises(flight.FlightUnauthenticatedError):
        flight_action(uri, b'{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{}}')
    with pytest.raises(pa.ArrowException, match="at most 1048576 bytes"):
        flight_action(uri, b" " * (1024 * 1024 + 1), **admin)
    with pytest.raises(pa.ArrowException, match="one JSON-RPC message"):
        flight_action(uri, "{\"jsonrpc\": \"2.0\", \"id\": \u00e9".encode(), **admin)
    with pytest.raises(pa.ArrowException, match="one JSON-RPC message"):
        flight_action(uri, b"[" * 100000, **admin)
    with pytest.raises(pa.ArrowException, match="not a response"):
        flight_action(uri, b'{"jsonrpc":"2.0","id":1,"result":{}}', **admin)
    # a notification has no answer; an unknown method gets a JSON-RPC error; the server keeps serving
    assert flight_action(uri, b'{"jsonrpc":"2.0","method":"notifications/initialized"}', **admin) == []
    (unknown,) = flight_action(uri, b'{"jsonrpc":"2.0","id":"u","method":"no/such"}', **admin)
    assert json.loads(unknown)["error"]["code"] == -32601, unknown
    (listed,) = flight_action(uri, b'{"jsonrpc":"2.0","id":2,"method":"tools/list","params":{}}', **admin)
    assert "list_tables" in {t["name"] for t in json.loads(listed)["result"]["tools"]}
