"""Tarn's Python client: one line to connect, then queries, branches, merges, runs and ingest.

    import tarn

    client = tarn.connect("grpc://localhost:31337")           # or token=..., user=/password=
    client.create_branch("dev", from_ref="main")
    client.run("examples/pipelines/seed", branch="dev")       # progress per step, live
    table = client.query("SELECT * FROM usd_by_country", ref="dev")
    client.merge("dev", into="main")

Queries and reference commands go over Arrow Flight SQL (ADBC); pipeline runs use Tarn's
``tarn.run_pipeline`` Flight action, which streams progress. A client holds one server session,
like a DB-API connection: use it from one thread at a time.
"""

from __future__ import annotations

import base64
import json
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Mapping, Optional, Sequence, Union
from urllib.parse import urlparse

import pyarrow as pa

from tarn._arrow import to_arrow_table

#: Results and uploads up to this size fit in one gRPC message (ADBC's own default is 16 MiB).
MAX_MESSAGE_BYTES = 1 << 30

#: The top-level files of a project folder that a run sends.
PROJECT_SUFFIXES = (".py", ".sql")
PROJECT_FILES = ("tarn_project.yml", "bauplan_project.yml", "bauplan_project.yaml")

RUN_ACTION = "tarn.run_pipeline"

INGEST_MODES = ("append", "create", "replace", "create_append")


class TarnError(Exception):
    """A statement, reference command or run the server refused or failed; the message is the server's."""


class RunFailed(TarnError):
    """A pipeline run failed: the message names the model, its traceback and the kept run branch."""

    def __init__(self, message: str, events: Sequence[Mapping[str, Any]] = ()):
        super().__init__(message)
        self.events = list(events)


# ---- results -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ref:
    """A point in the catalog: a branch or tag name, optionally pinned to one commit."""

    name: Optional[str] = None
    hash: Optional[str] = None
    type: str = "BRANCH"

    def __str__(self) -> str:
        if self.hash and self.name:
            return "%s@%s" % (self.name, self.hash)
        return self.name or ("@" + (self.hash or ""))


@dataclass(frozen=True)
class Branch(Ref):
    committed_at: Optional[datetime] = None


@dataclass(frozen=True)
class Tag(Ref):
    type: str = "TAG"
    committed_at: Optional[datetime] = None


@dataclass(frozen=True)
class Actor:
    name: str
    email: Optional[str] = None


@dataclass(frozen=True)
class Commit:
    """One commit of a reference's log. ``ref`` pins the reference to this commit, for ``query(ref=...)``."""

    hash: str
    parent_hash: Optional[str]
    author: Actor
    committed_at: datetime
    message: str
    tables_changed: List[str]
    ref: Ref

    # Bauplan's names for the same facts
    @property
    def parent_hashes(self) -> List[str]:
        return [self.parent_hash] if self.parent_hash else []

    @property
    def authored_date(self) -> datetime:
        return self.committed_at

    @property
    def committed_date(self) -> datetime:
        return self.committed_at

    @property
    def subject(self) -> str:
        return self.message.splitlines()[0] if self.message else self.message

    @property
    def authors(self) -> List[Actor]:
        return [self.author]


@dataclass(frozen=True)
class TableChange:
    table: str
    change: str


@dataclass(frozen=True)
class MergeResult:
    source: str
    target: str
    commit_hash: Optional[str]
    tables_changed: List[str]
    dry_run: bool = False
    would_apply: bool = True
    conflicts: List[str] = field(default_factory=list)


@dataclass(frozen=True)
class StepResult:
    step: str
    model: Optional[str]
    kind: Optional[str]
    status: str
    rows: Optional[int]
    duration_ms: Optional[int]
    materialized_as: Optional[str]
    detail: Optional[str]


@dataclass(frozen=True)
class RunResult:
    """The outcome of ``Client.run``."""

    id: str
    status: str
    target_branch: str
    commit_hash: Optional[str]
    dry_run: bool
    steps: List[StepResult]
    error: Optional[str] = None

    # Bauplan's names
    @property
    def job_id(self) -> str:
        return self.id

    @property
    def job_status(self) -> str:
        return "SUCCESS" if self.status == "succeeded" else self.status.upper()


@dataclass(frozen=True)
class RunInfo:
    """A recorded run, as SHOW RUNS lists it."""

    id: str
    project: str
    target_branch: str
    status: str
    dry_run: bool
    user: str
    started_at: Optional[datetime]
    finished_at: Optional[datetime]
    duration_ms: Optional[int]
    run_branch: Optional[str]
    commit_hash: Optional[str]
    error: Optional[str]
    steps: List[Dict[str, Any]] = field(default_factory=list)


# ---- quoting -------------------------------------------------------------------------------------


def quote_name(name: str) -> str:
    """A branch, tag, schema or table name as a SQL identifier: quoted, so no name is read as SQL."""
    if not isinstance(name, str) or not name:
        raise ValueError("a reference or table name must be a non-empty string, got %r" % (name,))
    if "\x00" in name:
        raise ValueError("a name cannot contain a NUL character: %r" % (name,))
    return '"' + name.replace('"', '""') + '"'


def quote_text(text: str) -> str:
    """A SQL string literal."""
    if "\x00" in text:
        raise ValueError("a string cannot contain a NUL character: %r" % (text,))
    return "'" + text.replace("'", "''") + "'"


def _ref_of(ref: Union[str, Ref, Commit, None]) -> Optional[Ref]:
    if ref is None:
        return None
    if isinstance(ref, Commit):
        return ref.ref
    if isinstance(ref, Ref):
        return ref
    if hasattr(ref, "name") or hasattr(ref, "hash"):  # a Bauplan-style object
        return Ref(getattr(ref, "name", None), getattr(ref, "hash", None))
    if not isinstance(ref, str) or not ref:
        raise ValueError("ref must be a branch or tag name, 'name@hash', or a Ref, got %r" % (ref,))
    name, at, commit = ref.partition("@")
    return Ref(name or None, commit or None) if at else Ref(ref)


def _use_statement(ref: Ref, default_branch: str) -> str:
    if ref.hash:
        return "USE REFERENCE %s AT COMMIT %s" % (quote_name(ref.name or default_branch), quote_text(ref.hash))
    return "USE REFERENCE %s" % quote_name(ref.name)


# ---- the client ----------------------------------------------------------------------------------


def connect(url: str = "grpc://localhost:31337", token: Optional[str] = None, user: Optional[str] = None,
            password: Optional[str] = None, branch: Optional[str] = None,
            tls_root_certs: Union[str, Path, None] = None) -> "Client":
    """Connects to a Tarn server.

    ``url`` is ``grpc://host:port`` (plain) or ``grpc+tls://host:port``. Give an API ``token`` (CREATE
    TOKEN) or a ``user`` and ``password`` when the server has a password. ``branch`` is where the
    client's statements run unless a call names another reference (default ``main``).
    ``tls_root_certs`` is a PEM file of certificates to trust, for a server whose certificate no
    system authority signed.
    """
    return Client(url, token=token, user=user, password=password, branch=branch, tls_root_certs=tls_root_certs)


class Client:
    """A connection to one Tarn server: see the module's documentation."""

    def __init__(self, url: str, token: Optional[str] = None, user: Optional[str] = None,
                 password: Optional[str] = None, branch: Optional[str] = None,
                 tls_root_certs: Union[str, Path, None] = None):
        parsed = urlparse(url)
        if parsed.scheme not in ("grpc", "grpc+tcp", "grpc+tls") or not parsed.hostname:
            raise ValueError("a Tarn URL looks like grpc://host:port or grpc+tls://host:port, got %r" % (url,))
        if token is not None and (user is not None or password is not None):
            raise ValueError("give either token= or user=/password=, not both")
        if (user is None) != (password is None):
            raise ValueError("user= and password= go together")
        self.url = url
        self.branch = branch or "main"
        self._token = token
        self._user = user
        self._password = password
        self._root_certs = Path(tls_root_certs).read_bytes() if tls_root_certs is not None else None
        if self._root_certs is not None and parsed.scheme != "grpc+tls":
            raise ValueError("tls_root_certs= is for grpc+tls:// URLs, got %r" % (url,))
        self._connection = self._open_adbc()
        self._flight = None
        self._flight_headers: List = []
        if branch is not None:
            self._execute_quietly("USE BRANCH %s" % quote_name(branch))

    # ---- connections ----

    def _open_adbc(self):
        from adbc_driver_flightsql import DatabaseOptions
        import adbc_driver_flightsql.dbapi as flightsql
        from adbc_driver_manager import Error as AdbcError

        options = {
            DatabaseOptions.WITH_COOKIE_MIDDLEWARE.value: "true",  # keeps the session: branch, schema, temp tables
            DatabaseOptions.WITH_MAX_MSG_SIZE.value: str(MAX_MESSAGE_BYTES),
        }
        if self._root_certs is not None:
            options[DatabaseOptions.TLS_ROOT_CERTS.value] = self._root_certs.decode("ascii")
        if self._token is not None:
            options[DatabaseOptions.AUTHORIZATION_HEADER.value] = "Bearer " + self._token
        if self._user is not None:
            options["username"] = self._user
            options["password"] = self._password
        try:
            return flightsql.connect(self.url, db_kwargs=options, autocommit=True)
        except AdbcError as e:
            raise TarnError("cannot connect to %s: %s" % (self.url, _server_message(e))) from None

    def _flight_client(self):
        """A Flight client for Tarn's actions, logged in like the SQL connection."""
        if self._flight is None:
            import pyarrow.flight as flight

            location = self.url.replace("grpc+tcp://", "grpc://")
            client = flight.FlightClient(location, tls_root_certs=self._root_certs, generic_options=[
                ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES),
                ("grpc.max_send_message_length", MAX_MESSAGE_BYTES)])
            headers = []
            try:
                if self._token is not None:
                    headers = [(b"authorization", b"Bearer " + self._token.encode("utf-8"))]
                elif self._user is not None:
                    headers = [client.authenticate_basic_token(self._user, self._password)]
            except (flight.FlightError, pa.ArrowException) as e:
                client.close()
                raise TarnError("cannot log in to %s: %s" % (self.url, _server_message(e))) from None
            self._flight, self._flight_headers = client, headers
        return self._flight

    def close(self) -> None:
        if self._flight is not None:
            self._flight.close()
            self._flight = None
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---- SQL ----

    def query(self, sql: str, ref: Union[str, Ref, Commit, None] = None,
              params: Optional[Sequence[Any]] = None) -> pa.Table:
        """Runs a statement and returns its whole result; ``ref`` runs it at another branch, tag or commit."""
        with self._at(_ref_of(ref)):
            cursor = self._cursor()
            try:
                self._run(cursor, sql, params)
                return cursor.fetch_arrow_table()
            except Exception as e:
                raise _translated(e) from None
            finally:
                cursor.close()

    def query_stream(self, sql: str, ref: Union[str, Ref, Commit, None] = None,
                     params: Optional[Sequence[Any]] = None) -> Iterator[pa.RecordBatch]:
        """Runs a statement and yields its result batch by batch, as the server sends them.

        With ``ref``, statements the client runs between two batches still run on the client's
        branch: the stream reads through a session of its own. With an API token, whose clients all
        share one session, the session is at ``ref`` only until the statement has started (a
        statement reads the commit it started at), and back on the client's branch before the first
        batch is yielded."""
        pinned = _ref_of(ref)
        if self._connection is None:
            raise TarnError("this client is closed")
        shared = pinned is not None and self._token is not None
        connection = self._open_adbc() if pinned is not None and not shared else self._connection
        try:
            cursor = connection.cursor()
            try:
                if shared:
                    with self._at(pinned):
                        batches = self._started(cursor, sql, params)
                        first = next(batches, None)
                    if first is not None:
                        yield first
                else:
                    if pinned is not None:
                        cursor.execute(_use_statement(pinned, self.branch))
                        cursor.fetch_arrow_table()
                    batches = self._started(cursor, sql, params)
                yield from batches
            except Exception as e:
                raise _translated(e) from None
            finally:
                cursor.close()
        finally:
            if connection is not self._connection:
                connection.close()

    def _started(self, cursor, sql: str, params) -> Iterator[pa.RecordBatch]:
        self._run(cursor, sql, params)
        return iter(cursor.fetch_record_batch())

    def query_pandas(self, sql: str, ref=None, params=None):
        """``query`` as a pandas DataFrame (needs pandas)."""
        return self.query(sql, ref=ref, params=params).to_pandas()

    def query_polars(self, sql: str, ref=None, params=None):
        """``query`` as a polars DataFrame (needs polars)."""
        return to_polars(self.query(sql, ref=ref, params=params))

    def execute(self, sql: str, params: Optional[Sequence[Any]] = None) -> pa.Table:
        """Runs a statement on the client's branch (a write, a DDL, a reference command) and returns its result."""
        return self.query(sql, params=params)

    def _cursor(self):
        if self._connection is None:
            raise TarnError("this client is closed")
        return self._connection.cursor()

    @staticmethod
    def _run(cursor, sql: str, params) -> None:
        if not isinstance(sql, str) or not sql.strip():
            raise ValueError("a statement must be a non-empty string")
        if params is None:
            cursor.execute(sql)
        else:
            cursor.execute(sql, list(params) if not isinstance(params, (list, tuple)) else params)

    def _execute_quietly(self, sql: str) -> None:
        cursor = self._cursor()
        try:
            cursor.execute(sql)
            cursor.fetch_arrow_table()
        except Exception as e:
            raise _translated(e) from None
        finally:
            cursor.close()

    def _at(self, ref: Optional[Ref]):
        """Runs the block with the session at ``ref``, then back on the client's branch."""
        client = self

        class _Pinned:
            def __enter__(self):
                if ref is not None:
                    client._execute_quietly(_use_statement(ref, client.branch))

            def __exit__(self, *exc):
                if ref is not None and client._connection is not None:
                    client._execute_quietly("USE BRANCH %s" % quote_name(client.branch))

        return _Pinned()

    # ---- references ----

    def branches(self, include_hidden: bool = False) -> List[Branch]:
        """The branches the caller may read; ``include_hidden`` adds branches kept by failed runs."""
        rows = self.query("SHOW BRANCHES ALL" if include_hidden else "SHOW BRANCHES").to_pylist()
        return [Branch(r["name"], r["commit_hash"], "BRANCH", r["committed_at"]) for r in rows]

    def tags(self) -> List[Tag]:
        return [Tag(r["name"], r["commit_hash"], "TAG", r["committed_at"]) for r in self.query("SHOW TAGS").to_pylist()]

    def has_branch(self, name: str) -> bool:
        return any(b.name == name for b in self.branches(include_hidden=True))

    def create_branch(self, name: str, from_ref: Union[str, Ref, Commit] = "main") -> Branch:
        return self._create_reference(Branch, name, from_ref)

    def delete_branch(self, name: str) -> None:
        self._execute_quietly("DROP BRANCH %s" % quote_name(name))

    def create_tag(self, name: str, from_ref: Union[str, Ref, Commit] = "main") -> Tag:
        return self._create_reference(Tag, name, from_ref)

    def delete_tag(self, name: str) -> None:
        self._execute_quietly("DROP TAG %s" % quote_name(name))

    def _create_reference(self, kind, name: str, from_ref: Union[str, Ref, Commit]):
        """CREATE BRANCH | TAG name FROM ref [AT COMMIT hash], then the new reference as listed."""
        source = _ref_of(from_ref)
        sql = "CREATE %s %s FROM %s" % (kind.__name__.upper(), quote_name(name), quote_name(source.name or self.branch))
        if source.hash:
            sql += " AT COMMIT %s" % quote_text(source.hash)
        self._execute_quietly(sql)
        found = [r for r in (self.branches() if kind is Branch else self.tags()) if r.name == name]
        if not found:
            raise TarnError("%s %s was created but is not visible to this user" % (kind.__name__.lower(), name))
        return found[0]

    def merge(self, source: str, into: str = "main", dry_run: bool = False) -> MergeResult:
        """Merges ``source`` into ``into`` atomically over all tables; ``dry_run`` only reports what would happen."""
        sql = "MERGE BRANCH %s%s INTO %s" % ("DRY RUN " if dry_run else "", quote_name(source), quote_name(into))
        row = self.query(sql).to_pylist()[0]
        if dry_run:
            return MergeResult(source, row["target"], None, list(row["tables_changed"] or []), True,
                               bool(row["would_apply"]), list(row["conflicts"] or []))
        return MergeResult(source, row["target"], row["commit_hash"], list(row["tables_changed"] or []))

    def log(self, ref: Union[str, Ref] = "main", limit: Optional[int] = None) -> List[Commit]:
        """The commits of a reference, newest first."""
        name = _ref_of(ref).name or self.branch
        sql = "SHOW LOG %s" % quote_name(name)
        if limit is not None:
            if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
                raise ValueError("limit must be a positive integer, got %r" % (limit,))
            sql += " LIMIT %d" % limit
        return [Commit(r["commit_hash"], r["parent_hash"], Actor(r["author"]), r["committed_at"], r["message"],
                       list(r["tables_changed"] or []), Ref(name, r["commit_hash"]))
                for r in self.query(sql).to_pylist()]

    def diff(self, a: str, b: str) -> List[TableChange]:
        """The tables that differ between two references."""
        rows = self.query("SHOW DIFF %s AGAINST %s" % (quote_name(a), quote_name(b))).to_pylist()
        return [TableChange(r["table_name"], r["change"]) for r in rows]

    # ---- ingest ----

    def ingest(self, table: str, data: Any, mode: str = "append", branch: Optional[str] = None) -> int:
        """Writes a pyarrow Table / RecordBatchReader, pandas or polars DataFrame into ``schema.table``
        (``public`` when no schema is given) as one commit; returns the rows written."""
        if mode not in INGEST_MODES:
            raise ValueError("mode must be one of %s, got %r" % (", ".join(INGEST_MODES), mode))
        schema, _, name = table.rpartition(".")
        if not name:
            raise ValueError("ingest needs a table name, got %r" % (table,))
        arrow = to_arrow_table(data, what="ingest")
        with self._at(Ref(branch) if branch else None):
            cursor = self._cursor()
            try:
                written = cursor.adbc_ingest(name, arrow, mode=mode, db_schema_name=schema or None)
            except Exception as e:
                raise _translated(e) from None
            finally:
                cursor.close()
        return arrow.num_rows if written is None or written < 0 else written

    # ---- runs ----

    def run(self, project_dir: Union[str, Path], branch: Optional[str] = None,
            params: Optional[Mapping[str, Any]] = None, dry_run: bool = False,
            on_event: Optional[Callable[[Dict[str, Any]], None]] = None) -> RunResult:
        """Sends a project folder's top-level files to the server and runs it into ``branch``.

        Progress arrives while the run goes on: ``on_event`` gets each event (a dict; ``event`` is
        "step", "log" or "run"); by default they are printed. A failed run raises ``RunFailed``.
        """
        import pyarrow.flight as flight

        request = {
            "project": Path(project_dir).resolve().name,
            "branch": branch or self.branch,
            "dry_run": bool(dry_run),
            "parameters": dict(params or {}),
            "files": _project_files(Path(project_dir)),
        }
        show = on_event if on_event is not None else print_event
        client = self._flight_client()
        events: List[Dict[str, Any]] = []
        steps: Dict[str, StepResult] = {}
        options = flight.FlightCallOptions(headers=self._flight_headers)
        following = False
        try:
            body = json.dumps(request).encode("utf-8")
            following = True
            for result in client.do_action(flight.Action(RUN_ACTION, body), options=options):
                event = json.loads(result.body.to_pybytes())
                events.append(event)
                if event.get("event") == "step":
                    steps[event["step"]] = StepResult(event["step"], event.get("model"), event.get("kind"),
                                                      event.get("status"), event.get("rows"),
                                                      event.get("duration_ms"), event.get("materialized_as"),
                                                      event.get("detail"))
                show(event)
        except (flight.FlightError, pa.ArrowException) as e:  # Flight raises ArrowInvalid for INVALID_ARGUMENT
            raise RunFailed(_server_message(e), events) from None
        except BaseException:
            # Ctrl-C, or an on_event that raised: closing the channel cancels the call, and the
            # server stops the run (recorded as cancelled, the target unchanged)
            if following and self._flight is not None:
                self._flight.close()
                self._flight = None
            raise
        done = next((e for e in reversed(events) if e.get("event") == "run"), None)
        if done is None:
            raise RunFailed("the server ended the run without saying how it ended", events)
        return RunResult(done["run_id"], done["status"], done["target_branch"], done.get("commit_hash"),
                         bool(done.get("dry_run")), list(steps.values()))

    def runs(self) -> List[RunInfo]:
        """The recorded runs the caller may see, newest first."""
        return [_run_info(r) for r in self.query("SHOW RUNS").to_pylist()]

    def run_info(self, run_id: str) -> RunInfo:
        """One recorded run with its steps (SHOW RUN)."""
        steps = self.query("SHOW RUN %s" % quote_text(run_id)).to_pylist()
        found = [r for r in self.runs() if r.id == run_id]
        if not found:
            raise TarnError("no pipeline run %r" % (run_id,))
        info = found[0]
        return RunInfo(**{**info.__dict__, "steps": steps})


# ---- helpers -------------------------------------------------------------------------------------


def to_polars(table: pa.Table):
    """A pyarrow Table as a polars DataFrame (needs polars)."""
    import polars as pl

    return pl.from_arrow(table)


def printable(text: Any) -> str:
    """Text a model or the server sent, safe for a terminal: control characters (escape sequences that
    could retitle, clear or write to the clipboard through the terminal) become '?'."""
    return "".join("?" if unicodedata.category(c) in ("Cc", "Cf") and c not in ("\t", "\u200d") else c for c in str(text))


def print_event(event: Mapping[str, Any]) -> None:
    """Prints run progress as ``tarn run`` does: a line per step change, model output as it comes."""
    event = {k: printable(v) if isinstance(v, str) else v for k, v in event.items()}
    kind = event.get("event")
    if kind == "step":
        line = "  %-9s %-12s %s" % (event.get("status"), event.get("kind") or "", event.get("step"))
        if event.get("status") == "succeeded" and event.get("rows") is not None:
            line += "  %s rows, %s ms" % (format(event["rows"], ","), event.get("duration_ms"))
        if event.get("materialized_as"):
            line += "  -> " + event["materialized_as"]
        if event.get("detail"):
            line += "  (%s)" % event["detail"]
        print(line, flush=True)
    elif kind == "log":
        mark = "!" if event.get("stream") == "stderr" else "|"
        print("  %s %s %s" % (event.get("step"), mark, event.get("line")), flush=True)
    elif kind == "run":
        if event.get("dry_run"):
            print("dry run %s %s; nothing was committed" % (event.get("run_id"), event.get("status")), flush=True)
        else:
            print("run %s %s into %s%s" % (event.get("run_id"), event.get("status"), event.get("target_branch"),
                                           " as commit " + event["commit_hash"] if event.get("commit_hash") else ""),
                  flush=True)


def _project_files(folder: Path) -> Dict[str, str]:
    if not folder.is_dir():
        raise ValueError("the project folder %s does not exist" % folder)
    files = {}
    for path in sorted(folder.iterdir()):
        if path.is_file() and (path.suffix in PROJECT_SUFFIXES or path.name in PROJECT_FILES):
            files[path.name] = base64.b64encode(path.read_bytes()).decode("ascii")
    if not any(name.endswith(PROJECT_SUFFIXES) for name in files):
        raise ValueError("%s holds no *.py or *.sql models" % folder)
    return files


def _run_info(row: Mapping[str, Any]) -> RunInfo:
    return RunInfo(row["run_id"], row["project"], row["target_branch"], row["status"], bool(row["dry_run"]),
                   row["user"], row["started_at"], row["finished_at"], row["duration_ms"], row["run_branch"],
                   row["commit_hash"], row["error"])


def _server_message(error: Exception) -> str:
    """The server's words from an ADBC or Flight error, without the driver's decorations."""
    text = str(error)
    for marker in ("[FlightSQL] ", "FlightError: ", "error, with message: "):
        if marker in text:
            text = text.split(marker, 1)[1]
    for tail in (" (InvalidArgument;", " (NotFound;", " (Unauthenticated;", " (PermissionDenied;", " (Internal;",
                 " (AlreadyExists;", " (Unavailable;", " (Cancelled;", " (Unknown;", " (ResourceExhausted;",
                 " (FailedPrecondition;", " (Aborted;", " (DeadlineExceeded;", ". Detail: "):
        if tail in text:
            text = text.split(tail, 1)[0]
    return text.strip()


def _translated(error: Exception) -> Exception:
    if isinstance(error, (TarnError, ValueError, TypeError)):
        return error
    return TarnError(_server_message(error))
