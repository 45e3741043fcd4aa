"""Agents over MCP (`--mcp-port`): the `mcp` package's own client over streamable HTTP: reading tools, and an
agent working on a branch of its own (create_branch, execute, log, diff) under the privileges SQL has."""
import asyncio
import socket

import pytest

from conftest import running_tarn

mcp = pytest.importorskip("mcp")
from mcp.client.session import ClientSession  # noqa: E402
from mcp.client.streamable_http import streamable_http_client  # noqa: E402
from mcp.shared._httpx_utils import create_mcp_http_client  # noqa: E402

ADMIN, ADMIN_PASSWORD = "root", "py-mcp-admin-password"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sql(uri, *statements, **db_kwargs):
    import adbc_driver_flightsql.dbapi as flight_sql

    with flight_sql.connect(uri, db_kwargs=db_kwargs, autocommit=True) as conn, conn.cursor() as cur:
        result = None
        for statement in statements:
            cur.execute(statement)
            result = cur.fetchall()
        return result


def call(url, *calls, token=None):
    """Opens one MCP session and makes the calls ((tool, arguments) or "list_tools"); returns the answers."""
    headers = {"Authorization": "Bearer " + token} if token else None

    async def run():
        async with create_mcp_http_client(headers=headers) as http, \
                streamable_http_client(url, http_client=http) as streams:
            async with ClientSession(streams[0], streams[1]) as session:
                await session.initialize()
                answers = []
                for c in calls:
                    if c == "list_tools":
                        answers.append(await session.list_tools())
                    else:
                        answers.append(await session.call_tool(c[0], c[1]))
                return answers

    return asyncio.run(run())


def raw_initialize(url, token):
    """An MCP initialize request over plain HTTP: the status and body the server answers with."""
    import json
    import urllib.error
    import urllib.request

    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}})
    headers = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}
    if token:
        headers["Authorization"] = "Bearer " + token
    request = urllib.request.Request(url, data=body.encode(), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def text(result):
    return "".join(part.text for part in result.content)


@pytest.fixture(scope="module")
def server():
    port = free_port()
    with running_tarn("--mcp-port", str(port)) as uri:
        sql(uri,
            "CREATE SCHEMA shop",
            "CREATE TABLE shop.orders AS SELECT i AS id, 'item ' || i AS item FROM range(1, 251) t(i)",
            "CREATE BRANCH dev FROM main",
            "CREATE TAG v1 FROM main")
        yield uri, f"http://127.0.0.1:{port}/mcp"


def test_tools_list_with_schemas(server):
    _, url = server
    (tools,) = call(url, "list_tools")
    by_name = {t.name: t for t in tools.tools}
    assert set(by_name) == {"list_references", "list_tables", "describe_table", "query",
                            "create_branch", "execute", "log", "diff", "run_pipeline", "propose_merge",
                            "list_merge_requests"}
    assert by_name["query"].input_schema["required"] == ["sql"]
    assert by_name["query"].input_schema["properties"]["limit"]["maximum"] == 10000
    assert by_name["query"].annotations.read_only_hint is True
    assert by_name["execute"].input_schema["required"] == ["sql", "branch"]
    assert by_name["execute"].annotations.read_only_hint is False
    assert by_name["create_branch"].input_schema["required"] == ["name"]
    assert by_name["log"].annotations.read_only_hint is True


def test_references_tables_and_describe(server):
    _, url = server
    refs, tables, described, missing = call(
        url,
        ("list_references", {}),
        ("list_tables", {"ref": "dev"}),
        ("describe_table", {"ref": "v1", "table": "shop.orders"}),
        ("describe_table", {"ref": "main", "table": "shop.nope"}))
    lines = text(refs).splitlines()
    assert lines[0].split() == ["name", "type", "commit", "committed_at"]
    names = {line.split()[0]: line.split()[1] for line in lines[2:]}
    assert names == {"dev": "branch", "main": "branch", "v1": "tag"}
    assert "shop.orders" in text(tables)
    d = text(described)
    assert "table shop.orders on tag v1" in d and "rows: 250" in d, d
    assert "last commit: " in d and "not within" not in d, d
    assert "id" in d and "item" in d and "string" in d, d
    assert missing.is_error and "shop.nope does not exist on branch main" in text(missing)


def test_query_answers_a_table_and_says_when_it_was_cut(server):
    _, url = server
    small, cut, bad_limit, wide = call(
        url,
        ("query", {"sql": "SELECT id, item FROM shop.orders WHERE id <= 3 ORDER BY id", "ref": "dev"}),
        ("query", {"sql": "SELECT id FROM shop.orders ORDER BY id", "limit": 10}),
        ("query", {"sql": "SELECT 1", "limit": 20000}),
        ("query", {"sql": "SELECT i, repeat('x', 300) AS wide FROM range(10000) t(i)", "limit": 10000}))
    s = text(small)
    assert not small.is_error, s
    assert s.splitlines()[0].split() == ["id", "item"]
    assert "item 3" in s and "(3 rows)" in s and "NOTE" not in s, s
    c = text(cut)
    assert "(10 rows)" in c and "NOTE: cut at the limit of 10 rows" in c, c
    assert bad_limit.is_error and "10000" in text(bad_limit)
    w = text(wide)
    assert "characters" in w and "NOTE: cut at" in w, w[-300:]
    assert len(w) < 300 * 1024


def test_query_never_writes(server):
    uri, url = server
    insert, drop, unicode_sql, after = call(
        url,
        ("query", {"sql": "INSERT INTO shop.orders VALUES (999, 'sneaky')", "ref": "dev"}),
        ("query", {"sql": "DROP TABLE shop.orders"}),
        ("query", {"sql": "SELECT 'ü😀' AS \"naïve\""}),
        ("query", {"sql": "SELECT count(*) AS n FROM shop.orders", "ref": "dev"}))
    assert insert.is_error and "only reads" in text(insert), text(insert)
    assert drop.is_error and "only reads" in text(drop), text(drop)
    assert "ü😀" in text(unicode_sql) and "naïve" in text(unicode_sql)
    assert "250" in text(after), text(after)
    assert sql(uri, "SELECT count(*) FROM shop.orders AT BRANCH dev") == [(250,)]
    audited = sql(uri, "SHOW AUDIT LIMIT 50")
    mcp_rows = [r for r in audited if "mcp" in r]
    assert any("INSERT" in str(r) and "refused" in r for r in mcp_rows), mcp_rows


def test_a_password_server_needs_a_good_token():
    port = free_port()
    url = f"http://127.0.0.1:{port}/mcp"
    with running_tarn("--mcp-port", str(port), "--user", ADMIN, "--password-env", "TARN_TEST_ADMIN_PASSWORD",
                      env={"TARN_TEST_ADMIN_PASSWORD": ADMIN_PASSWORD}) as uri:
        admin = {"username": ADMIN, "password": ADMIN_PASSWORD}
        sql(uri, "CREATE BRANCH hidden_work FROM main", "CREATE USER agent PASSWORD 'agent-password-1'",
            "GRANT READ ON BRANCH 'main' TO USER agent", **admin)
        secret = sql(uri, "CREATE TOKEN agent_key FOR USER agent", **admin)[0][2]

        for wrong in (None, "tarn_not_a_real_token", "some-login-token"):
            with pytest.raises(Exception):
                call(url, ("list_references", {}), token=wrong)
            status, body = raw_initialize(url, wrong)
            assert status == 401, (status, body)
            assert "unauthorized" in body and ("token" in body or "login" in body), body

        refs, denied, query = call(url, ("list_references", {}), ("list_tables", {"ref": "hidden_work"}),
                                   ("query", {"sql": "SELECT 42 AS answer"}), token=secret)
        assert [line.split()[0] for line in text(refs).splitlines()[2:]] == ["main"]
        assert denied.is_error and "READ" in text(denied), text(denied)
        assert "42" in text(query), text(query)
        audited = sql(uri, "SHOW AUDIT LIMIT 50", **admin)
        assert any("agent" in r and "mcp" in r for r in audited), audited


def test_an_agent_works_on_its_own_branch_and_cannot_write_elsewhere():
    port = free_port()
    url = f"http://127.0.0.1:{port}/mcp"
    with running_tarn("--mcp-port", str(port), "--user", ADMIN, "--password-env", "TARN_TEST_ADMIN_PASSWORD",
                      env={"TARN_TEST_ADMIN_PASSWORD": ADMIN_PASSWORD}) as uri:
        admin = {"username": ADMIN, "password": ADMIN_PASSWORD}
        sql(uri, "CREATE SCHEMA shop",
            "CREATE TABLE shop.orders AS SELECT i AS id FROM range(1, 11) t(i)",
            "CREATE BRANCH team_work FROM main",
            "CREATE BRANCH agent_other FROM main",
            "CREATE USER agent PASSWORD 'agent-password-1'",
            "GRANT READ ON ALL BRANCHES TO USER agent",
            "GRANT BRANCH ON BRANCH 'agent_*' TO USER agent",
            "GRANT WRITE ON BRANCH 'agent_*' TO USER agent",
            "GRANT WRITE ON BRANCH 'main' TO USER agent",
            "PROTECT BRANCH main", **admin)
        token = sql(uri, "CREATE TOKEN agent_key FOR USER agent", **admin)[0][2]

        created, insert, create_table, log, diff, on_main = call(
            url,
            ("create_branch", {"name": "agent_x", "from": "main"}),
            ("execute", {"sql": "INSERT INTO shop.orders SELECT i FROM range(11, 16) t(i)", "branch": "agent_x"}),
            ("execute", {"sql": "CREATE TABLE shop.notes (note VARCHAR)", "branch": "agent_x"}),
            ("log", {"ref": "agent_x", "limit": 2}),
            ("diff", {"branch": "agent_x", "against": "main"}),
            ("query", {"sql": "SELECT count(*) AS n FROM shop.orders"}),
            token=token)
        assert not created.is_error and "created branch agent_x from branch main" in text(created), text(created)
        i = text(insert)
        assert not insert.is_error and "5 rows changed; new commit" in i and "on branch agent_x" in i, i
        assert not create_table.is_error and "on branch agent_x" in text(create_table)
        lines = text(log).splitlines()
        assert "commit_hash" in lines[0] and "(2 rows)" in lines[-1], lines
        assert "agent" in lines[2] and "shop.notes" in text(log), text(log)
        assert len(lines[2].split()[0]) == 12 and lines[2].split()[3].startswith("20"), lines[2]
        # execute names the commit it made: the newest on the branch here
        assert "new commit " + lines[2].split()[0] + " on branch agent_x" in text(create_table), text(create_table)
        d = text(diff)
        assert "shop.orders" in d and "shop.notes" in d, d
        assert "10" in text(on_main), text(on_main)
        assert sql(uri, "SELECT count(*) FROM shop.orders AT BRANCH agent_x", **admin) == [(15,)]

        protected, no_write, no_branch, query, session, tag, missing, odd, elsewhere = call(
            url,
            ("execute", {"sql": "INSERT INTO shop.orders VALUES (99)", "branch": "main"}),
            ("execute", {"sql": "DELETE FROM shop.orders", "branch": "team_work"}),
            ("create_branch", {"name": "mine", "from": "main"}),
            ("execute", {"sql": "SELECT * FROM shop.orders", "branch": "agent_x"}),
            ("execute", {"sql": "BEGIN", "branch": "agent_x"}),
            ("execute", {"sql": "INSERT INTO shop.orders VALUES (1)", "branch": "v_nope"}),
            ("log", {"ref": "no_such_branch"}),
            ("create_branch", {"name": 'agent_"; DROP TABLE shop.orders; --', "from": "main"}),
            # a branch the agent may write, but not the one it asked for
            ("execute", {"sql": "INSERT INTO agent_other.shop.orders VALUES (7)", "branch": "agent_x"}),
            token=token)
        assert protected.is_error and "branch main is protected" in text(protected), text(protected)
        assert no_write.is_error and "lacks WRITE on branch team_work" in text(no_write), text(no_write)
        assert no_branch.is_error and "BRANCH" in text(no_branch) and "mine" in text(no_branch), text(no_branch)
        assert query.is_error and "query tool" in text(query), text(query)
        assert session.is_error and "session" in text(session), text(session)
        assert tag.is_error and "v_nope" in text(tag), text(tag)
        assert missing.is_error and "no_such_branch does not exist" in text(missing), text(missing)
        # a name is data: its quote and semicolon reach the name check, never the SQL
        assert odd.is_error and "not a valid branch name" in text(odd) and "DROP TABLE" in text(odd), text(odd)
        assert sql(uri, "SELECT count(*) FROM shop.orders", **admin) == [(10,)]
        assert elsewhere.is_error and "names agent_other" in text(elsewhere), text(elsewhere)
        assert sql(uri, "SELECT count(*) FROM shop.orders AT BRANCH agent_other", **admin) == [(10,)]

        audited = sql(uri, "SHOW AUDIT LIMIT 100", **admin)
        mcp_rows = [r for r in audited if "mcp" in r and "agent" in r]
        assert any("execute" in str(r) and "refused" in r and "main" in r for r in mcp_rows), mcp_rows
        assert any("create_branch agent_x" in str(r) and "ok" in r for r in mcp_rows), mcp_rows


def test_a_huge_request_body_is_refused_and_the_server_goes_on(server):
    """A message is SQL and names: a body over 1 MiB is refused, declared (413) or streamed in chunks."""
    import http.client
    import json
    from urllib.parse import urlparse

    _, url = server
    target = urlparse(url)
    big = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
                      "params": {"name": "query", "arguments": {"sql": "SELECT '" + "x" * (2 << 20) + "'"}}}).encode()
    headers = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}

    declared = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
    declared.request("POST", target.path, body=big, headers=headers)
    answer = declared.getresponse()
    assert answer.status == 413 and "at most 1048576 bytes" in answer.read().decode()
    declared.close()

    chunked = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
    chunked.request("POST", target.path, body=(big[i:i + 65536] for i in range(0, len(big), 65536)),
                    headers=headers, encode_chunked=True)
    answer = chunked.getresponse()
    assert answer.status >= 400, (answer.status, answer.read()[:300])
    chunked.close()

    (refs,) = call(url, ("list_references", {}))
    assert not refs.is_error and "main" in text(refs)


def test_initializing_in_a_loop_keeps_nothing_on_the_server(server):
    """Each request is answered on its own: an initialize opens no session the server would keep (with the
    client's near-1-MiB clientInfo), so a client initializing in a loop cannot pile up the server's memory."""
    import http.client
    import json
    from urllib.parse import urlparse

    _, url = server
    target = urlparse(url)
    initialize = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-06-18", "capabilities": {},
        "clientInfo": {"name": "x" * 900_000, "version": "1"}}})
    headers = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}
    connection = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
    for _ in range(50):
        connection.request("POST", target.path, body=initialize, headers=headers)
        answer = connection.getresponse()
        body = answer.read().decode()
        assert answer.status == 200 and '"serverInfo"' in body, (answer.status, body[:300])
        assert answer.getheader("mcp-session-id") is None, "the server opened a session it would keep"
    connection.close()

    (refs,) = call(url, ("list_references", {}))
    assert not refs.is_error and "main" in text(refs)


def test_a_malformed_message_gets_a_json_rpc_error_without_the_servers_internals(server):
    """Not JSON, a batch, a request without an id: each is answered with a JSON-RPC error naming what is
    wrong, not the server's exception and stack trace; the door goes on serving."""
    import json
    import urllib.error
    import urllib.request

    _, url = server
    headers = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}
    bad = [b"\xff{{ not json", b"[" * 10000 + b"]" * 10000,
           json.dumps([{"jsonrpc": "2.0", "id": 1, "method": "tools/list"}] * 3).encode(),
           json.dumps({"jsonrpc": "2.0", "id": None, "method": "tools/list"}).encode()]
    for body in bad:
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=30)
        assert refused.value.code == 400, refused.value.code
        answer = refused.value.read().decode()
        assert "stackTrace" not in answer and "dev.tarn" not in answer, answer[:300]
        error = json.loads(answer)
        assert error["jsonrpc"] == "2.0" and error["error"]["code"] == -32600, error
        assert "Invalid message format" in error["error"]["message"], error

    (refs,) = call(url, ("list_references", {}))
    assert not refs.is_error and "main" in text(refs)
