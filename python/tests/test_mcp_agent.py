"""A scripted agent session over MCP, with the `mcp` package's own client: the agent reads, works on a branch
of its own, runs the seed pipeline there, proposes a merge, is refused on main, has a query cut, and a person
approves the merge from SQL. Also: sent projects, resources (table schemas, run logs) and per-token limits."""
import asyncio
import os

import pytest

from conftest import ROOT, running_tarn

mcp = pytest.importorskip("mcp")
from mcp.client.session import ClientSession  # noqa: E402
from mcp.client.stdio import StdioServerParameters, stdio_client  # noqa: E402
from mcp.client.streamable_http import streamable_http_client  # noqa: E402
from mcp.shared._httpx_utils import create_mcp_http_client  # noqa: E402

from test_mcp import free_port, sql, text  # noqa: E402

ADMIN, ADMIN_PASSWORD = "root", "py-mcp-agent-admin-password"
ADMIN_LOGIN = {"username": ADMIN, "password": ADMIN_PASSWORD}
BRANCH = "agent/bot/seed_run"  # each test's branches start so


class Agent:
    """One MCP session of an agent over streamable HTTP; `call` makes a tool call, `read` reads a resource."""

    def __init__(self, session):
        self.session = session

    async def call(self, tool, **arguments):
        return await self.session.call_tool(tool, arguments)

    async def read(self, uri):
        result = await self.session.read_resource(uri)
        return "".join(part.text for part in result.contents)


def as_agent(url, token, script):
    """Runs `script(agent)` in one MCP session over streamable HTTP (`url` is http://...) or over stdio
    (`url` is the server's grpc:// address: `./tarn mcp` is started as an MCP client config starts it)."""
    async def over_http():
        headers = {"Authorization": "Bearer " + token} if token else None
        async with create_mcp_http_client(headers=headers) as http, \
                streamable_http_client(url, http_client=http) as streams:
            async with ClientSession(streams[0], streams[1]) as session:
                await session.initialize()
                return await script(Agent(session))

    async def over_stdio():
        params = StdioServerParameters(command=str(ROOT / "tarn"), args=["mcp", "--url", url],
                                       env={**os.environ, **({"TARN_TOKEN": token} if token else {})},
                                       cwd=str(ROOT))
        with open(os.devnull, "w") as quiet:
            async with stdio_client(params, errlog=quiet) as (read, write), ClientSession(read, write) as session:
                await session.initialize()
                return await script(Agent(session))

    return asyncio.run(asyncio.wait_for(over_http() if url.startswith("http") else over_stdio(), timeout=300))


@pytest.fixture(scope="module")
def lake():
    """A server with users: `bot` reads everything and creates, writes and runs under agent/bot/; main is
    protected."""
    port = free_port()
    with running_tarn("--mcp-port", str(port), "--mcp-calls-per-minute", "60", "--user", ADMIN,
                      "--password-env", "TARN_TEST_ADMIN_PASSWORD", projects=ROOT,
                      env={"TARN_TEST_ADMIN_PASSWORD": ADMIN_PASSWORD}) as uri:
        script = (ROOT / "examples" / "pipelines" / "transactions.sql").read_text()
        code = "\n".join(line for line in script.splitlines() if not line.lstrip().startswith("--"))
        sql(uri, *[s.strip() for s in code.split(";") if s.strip()], **ADMIN_LOGIN)
        sql(uri,
            # one role for every agent: each member creates, writes and runs under agent/<own name>/
            "CREATE ROLE agents",
            "GRANT READ ON ALL BRANCHES TO ROLE agents",
            "GRANT BRANCH ON BRANCH 'agent/{user}/*' TO ROLE agents",
            "GRANT WRITE ON BRANCH 'agent/{user}/*' TO ROLE agents",
            "GRANT RUN ON BRANCH 'agent/{user}/*' TO ROLE agents",
            "CREATE USER bot PASSWORD 'bot-password-123' IN ROLE agents",
            "CREATE USER other_bot PASSWORD 'bot-password-456' IN ROLE agents",
            # even holding WRITE on main, an agent's writes there are refused: main is protected
            "GRANT WRITE ON BRANCH 'main' TO USER bot",
            "PROTECT BRANCH main",
            f'CREATE BRANCH "{BRANCH}" FROM main', **ADMIN_LOGIN)
        token = sql(uri, "CREATE TOKEN bot_key FOR USER bot", **ADMIN_LOGIN)[0][2]
        other_token = sql(uri, "CREATE TOKEN other_bot_key FOR USER other_bot", **ADMIN_LOGIN)[0][2]

        async def trespass(agent):
            return [await agent.call("create_branch", name="agent/bot/mine_now", **{"from": "main"}),
                    await agent.call("execute", branch=BRANCH, sql="CREATE TABLE trespass AS SELECT 1 AS x"),
                    await agent.call("create_branch", name="agent/other_bot/own", **{"from": "main"})]

        # another agent of the same role may not use bot's names, only its own
        stolen, written, own = as_agent(f"http://127.0.0.1:{port}/mcp", other_token, trespass)
        assert stolen.is_error and "agent/other_bot/*" in text(stolen), text(stolen)
        assert written.is_error and "lacks WRITE on branch " + BRANCH in text(written), text(written)
        assert not own.is_error, text(own)
        yield uri, f"http://127.0.0.1:{port}/mcp", token


@pytest.mark.parametrize("transport", ["http", "stdio"])
def test_scripted_agent_session(lake, transport):
    """The issue's seven steps; a person approves the agent's merge request from SQL in the middle."""
    uri, http_url, token = lake
    url = http_url if transport == "http" else uri
    branch = BRANCH + "_" + transport
    notes = "agent_notes_" + transport

    async def script(agent):
        seen = {}
        # 1. lists tables and queries one
        seen["tables"] = await agent.call("list_tables", ref="main")
        seen["count"] = await agent.call("query", sql="SELECT count(*) AS n FROM transactions", ref="main")
        # 2. creates its branch and writes to it
        seen["outside"] = await agent.call("create_branch", name="my_branch", **{"from": "main"})
        seen["branch"] = await agent.call("create_branch", name=branch, **{"from": "main"})
        seen["write"] = await agent.call("execute", branch=branch,
                                         sql=f"CREATE TABLE {notes} AS SELECT i AS id, 'checked' AS note "
                                             "FROM range(3) t(i)")
        # 3. runs the seed pipeline there
        seen["run"] = await agent.call("run_pipeline", branch=branch, project="examples/pipelines/seed")
        # 4. reads the diff and proposes a merge
        seen["diff"] = await agent.call("diff", branch=branch, against="main")
        seen["proposed"] = await agent.call("propose_merge", branch=branch, into="main",
                                            title=f"USD by country and notes ({transport})",
                                            project="examples/pipelines/seed")
        # 5. tries to write main and is refused
        seen["main"] = await agent.call("execute", branch="main", sql="DELETE FROM transactions")
        seen["main_run"] = await agent.call("run_pipeline", branch="main", project="examples/pipelines/seed")
        # 6. has its query cut at the limit
        seen["cut"] = await agent.call("query", sql="SELECT id FROM transactions ORDER BY id", ref=branch, limit=5)
        # 7. a person approves the request from SQL; the agent sees it merged and finds its rows on main
        number = int(text(seen["proposed"]).split()[3].rstrip(":"))
        seen["not_yet"] = await agent.call("query", sql=f"SELECT count(*) AS n FROM {notes}", ref="main")
        seen["approved"] = sql(uri, f"APPROVE MERGE REQUEST {number}", **ADMIN_LOGIN)
        seen["requests"] = await agent.call("list_merge_requests")
        seen["on_main"] = await agent.call("query", sql=f"SELECT count(*) AS n FROM {notes}", ref="main")
        seen["by_country"] = await agent.call("query", sql="SELECT count(*) AS n FROM usd_by_country", ref="main")
        return seen

    seen = as_agent(url, token, script)
    assert "transactions" in text(seen["tables"]), text(seen["tables"])
    assert "60000" in text(seen["count"]), text(seen["count"])
    outside = text(seen["outside"])
    assert seen["outside"].is_error and "lacks BRANCH" in outside and "agent/bot/*" in outside, outside
    assert not seen["branch"].is_error, text(seen["branch"])
    assert "3 rows changed; new commit" in text(seen["write"]), text(seen["write"])
    run = text(seen["run"])
    assert not seen["run"].is_error and "succeeded on branch " + branch in run, run
    assert "usd_by_country" in run and "tarn://runs/" in run, run
    diff = text(seen["diff"])
    assert notes in diff and "usd_by_country" in diff, diff
    proposed = text(seen["proposed"])
    assert not seen["proposed"].is_error and "opened merge request" in proposed and "into main" in proposed, proposed
    main = text(seen["main"])
    assert seen["main"].is_error and "branch main is protected" in main, main
    assert seen["main_run"].is_error and "main" in text(seen["main_run"]), text(seen["main_run"])
    cut = text(seen["cut"])
    assert "(5 rows)" in cut and "NOTE: cut at the limit of 5 rows" in cut, cut
    assert seen["not_yet"].is_error and notes in text(seen["not_yet"]), text(seen["not_yet"])
    (approved,) = seen["approved"]
    assert approved[1] == "merged" and approved[4] == "main" and approved[9] == ADMIN, approved
    requests = text(seen["requests"])
    assert "merged" in requests and branch in requests and ADMIN in requests, requests
    assert "3" in text(seen["on_main"]).splitlines()[2], text(seen["on_main"])
    assert not seen["by_country"].is_error, text(seen["by_country"])
    assert sql(uri, "SELECT count(*) FROM transactions", **ADMIN_LOGIN) == [(60000,)]
    log = sql(uri, "SHOW LOG main LIMIT 1", **ADMIN_LOGIN)
    assert f"Merge request {approved[0]}" in log[0][4] and ADMIN == log[0][2], log
    audited = sql(uri, "SHOW AUDIT LIMIT 300", **ADMIN_LOGIN)
    mcp_rows = [r for r in audited if "mcp" in r and "bot" in r]
    assert any("run_pipeline" in str(r) and "ok" in r for r in mcp_rows), mcp_rows
    assert any("propose_merge" in str(r) and "ok" in r for r in mcp_rows), mcp_rows
    assert any("execute" in str(r) and "refused" in r for r in mcp_rows), mcp_rows


def test_resources_show_schemas_and_run_logs(lake):
    uri, url, token = lake

    async def script(agent):
        templates = await agent.session.list_resource_templates()
        run = await agent.call("run_pipeline", branch=BRANCH, project="examples/pipelines/seed", dry_run=True)
        run_id = text(run).split()[2]
        log = await agent.read(f"tarn://runs/{run_id}")
        schema = await agent.read("tarn://tables/main/transactions")
        on_branch = await agent.read("tarn://tables/agent%2Fbot%2Fseed_run/transactions")
        errors = []
        for bad in ("tarn://tables/main/nope", "tarn://runs/nope", "tarn://elsewhere/x"):
            try:
                await agent.read(bad)
            except Exception as e:  # the client raises the server's protocol error
                errors.append(str(e))
        return templates, text(run), log, schema, on_branch, errors

    templates, run, log, schema, on_branch, errors = as_agent(url, token, script)
    assert {t.uri_template for t in templates.resource_templates} == {
        "tarn://tables/{ref}/{table}", "tarn://runs/{run_id}"}
    assert run.startswith("dry run ") and "nothing was committed" in run, run
    assert "== euro_selection (python, succeeded)" in log and "scan:" in log, log
    assert "table public.transactions on branch main" in schema and "eventTime" in schema, schema
    assert "rows: 60000" in schema, schema
    assert "on branch " + BRANCH in on_branch, on_branch
    assert len(errors) == 3 and "does not exist" in errors[0] and "nope" in errors[1], errors
    assert "not found" in errors[2].lower(), errors


def test_a_sent_project_runs_and_a_failed_run_points_at_its_log(lake):
    _, url, token = lake
    good = {"picked.sql": "SELECT id, usd FROM transactions WHERE id < $top\n"}
    bad = {"broken.sql": "SELECT no_such_column FROM transactions\n"}

    async def script(agent):
        ran = await agent.call("run_pipeline", branch=BRANCH, files=good, params={"top": 7})
        failed = await agent.call("run_pipeline", branch=BRANCH, files=bad)
        odd = await agent.call("run_pipeline", branch=BRANCH, files={"../x.sql": "SELECT 1"})
        neither = await agent.call("run_pipeline", branch=BRANCH)
        bad_param = await agent.call("run_pipeline", branch=BRANCH, files=good, params={"a b": 1})
        return ran, failed, odd, neither, bad_param

    ran, failed, odd, neither, bad_param = as_agent(url, token, script)
    assert not ran.is_error and "picked" in text(ran), text(ran)
    assert failed.is_error and "no_such_column" in text(failed) and "tarn://runs/" in text(failed), text(failed)
    assert odd.is_error and "../x.sql" in text(odd), text(odd)
    assert neither.is_error and "project" in text(neither) and "files" in text(neither), text(neither)
    assert bad_param.is_error and "a b" in text(bad_param), text(bad_param)


def test_limits_apply_per_token(lake):
    """One budget per token, whichever door: a burst over HTTP leaves the same token refused over stdio at once,
    while another token of the same user is served."""
    uri, url, token = lake
    other = sql(uri, "CREATE TOKEN bot_second_key FOR USER bot", **ADMIN_LOGIN)[0][2]

    async def burst_then_stdio(stdio_agent):
        async def burst(agent):
            return [await agent.call("list_references") for _ in range(70)]

        async with create_mcp_http_client(headers={"Authorization": "Bearer " + token}) as http, \
                streamable_http_client(url, http_client=http) as streams:
            async with ClientSession(streams[0], streams[1]) as session:
                await session.initialize()
                answers = await burst(Agent(session))
        return answers, [await stdio_agent.call("list_references") for _ in range(5)]

    answers, over_stdio = as_agent(uri, token, burst_then_stdio)
    refused = [text(a) for a in answers if a.is_error]
    assert refused and "60 tool calls within the last minute" in refused[0], refused[:1]
    # the bucket refills steadily (one call a second here), so a slow burst may get a call or two more than 60
    assert len(answers) - len(refused) < 65
    stdio_refused = [text(a) for a in over_stdio if a.is_error]
    assert len(stdio_refused) >= 3 and "tool calls within the last minute" in stdio_refused[0], stdio_refused

    async def once(agent):
        return await agent.call("list_references")

    fresh = as_agent(url, other, once)
    assert not fresh.is_error, text(fresh)
    audited = sql(uri, "SHOW AUDIT LIMIT 100", **ADMIN_LOGIN)
    assert any("refused" in r and "tool calls within the last minute" in str(r) for r in audited), audited[:5]


def test_one_token_may_run_only_so_many_calls_at_once():
    """--mcp-concurrent-calls 1: while a token's slow call runs, its next call is refused, naming the limit."""
    port = free_port()
    sleepy = {"sleepy.py": "import tarn\n\n\n@tarn.model()\n@tarn.python(\"3.11\")\ndef sleepy():\n"
                           "    import time, pyarrow as pa\n    time.sleep(8)\n    return pa.table({\"x\": [1]})\n"}
    with running_tarn("--mcp-port", str(port), "--mcp-concurrent-calls", "1") as uri:
        url = f"http://127.0.0.1:{port}/mcp"

        async def script(agent):
            async def second():
                await asyncio.sleep(4)  # the run has started by now, and sleeps on
                return await agent.call("list_references")

            return await asyncio.gather(agent.call("run_pipeline", branch="main", files=sleepy), second())

        slow, refused = as_agent(url, None, script)
        assert not slow.is_error, text(slow)
        assert refused.is_error and "already has 1 tool calls running" in text(refused), text(refused)
        assert sql(uri, "SELECT 1") == [(1,)]
