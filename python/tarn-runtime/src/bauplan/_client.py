"""``bauplan.Client``: Bauplan's SDK method names over Tarn's client.

A script written for Bauplan's SDK runs on Tarn by changing only how the client is made::

    client = bauplan.Client(url="grpc://localhost:31337")     # instead of bauplan.Client(profile=...)

The URL and token may also come from the environment: ``TARN_URL`` and ``TARN_TOKEN`` (or
``BAUPLAN_API_KEY``). Arguments Bauplan has and Tarn does not need (cache, priority, client
timeouts...) are accepted and ignored, so calls keep working as written.
"""

from __future__ import annotations

import os
from typing import Any, Dict, List, Optional

import pyarrow as pa

from tarn.client import Branch, Client as TarnClient, Commit, MergeResult, RunFailed, RunResult, Tag

DEFAULT_URL = "grpc://127.0.0.1:31337"


class Client:
    """Bauplan's client methods on a Tarn server."""

    def __init__(self, url: Optional[str] = None, api_key: Optional[str] = None, profile: Optional[str] = None,
                 branch: Optional[str] = None, user: Optional[str] = None, password: Optional[str] = None,
                 **ignored: Any):
        token = api_key or os.environ.get("TARN_TOKEN") or os.environ.get("BAUPLAN_API_KEY")
        if user is not None:
            token = None
        self.profile = profile  # Bauplan's profiles pick an account; a Tarn server is picked by its URL
        self._tarn = TarnClient(url or os.environ.get("TARN_URL") or DEFAULT_URL, token=token, user=user,
                                password=password, branch=branch)

    @property
    def tarn(self) -> TarnClient:
        """The Tarn client underneath, for what Bauplan's SDK has no name for."""
        return self._tarn

    def close(self) -> None:
        self._tarn.close()

    # ---- queries ----

    def query(self, query: str, ref: Any = None, max_rows: Optional[int] = None, args: Any = None,
              parameters: Optional[List[Any]] = None, **ignored: Any) -> pa.Table:
        table = self._tarn.query(query, ref=ref, params=parameters)
        return table.slice(0, max_rows) if max_rows is not None else table

    # ---- branches and tags ----

    def get_branches(self, name: Optional[str] = None, limit: Optional[int] = None, **ignored: Any) -> List[Branch]:
        found = [b for b in self._tarn.branches() if name is None or name in b.name]
        return found[:limit] if limit is not None else found

    def get_branch(self, branch: str) -> Branch:
        found = [b for b in self._tarn.branches(include_hidden=True) if b.name == branch]
        if not found:
            raise LookupError("branch %s does not exist" % branch)
        return found[0]

    def has_branch(self, branch: str) -> bool:
        return self._tarn.has_branch(branch)

    def create_branch(self, branch: str, from_ref: Any, if_not_exists: bool = False) -> Branch:
        if if_not_exists and self.has_branch(branch):
            return self.get_branch(branch)
        return self._tarn.create_branch(branch, from_ref=from_ref)

    def delete_branch(self, branch: str, if_exists: bool = False) -> bool:
        if if_exists and not self.has_branch(branch):
            return False
        self._tarn.delete_branch(branch)
        return True

    def merge_branch(self, source_ref: Any, into_branch: str, commit_message: Optional[str] = None,
                     **ignored: Any) -> MergeResult:
        source = source_ref if isinstance(source_ref, str) else source_ref.name
        return self._tarn.merge(source, into=into_branch)

    def get_tags(self, **ignored: Any) -> List[Tag]:
        return self._tarn.tags()

    def has_tag(self, tag: str) -> bool:
        return any(t.name == tag for t in self._tarn.tags())

    def create_tag(self, tag: str, from_ref: Any, if_not_exists: bool = False) -> Tag:
        if if_not_exists and self.has_tag(tag):
            return [t for t in self._tarn.tags() if t.name == tag][0]
        return self._tarn.create_tag(tag, from_ref=from_ref)

    def delete_tag(self, tag: str, if_exists: bool = False) -> bool:
        if if_exists and not self.has_tag(tag):
            return False
        self._tarn.delete_tag(tag)
        return True

    def get_commits(self, ref: Any, filter_by_message: Optional[str] = None,
                    filter_by_author_name: Optional[str] = None, limit: Optional[int] = None,
                    **ignored: Any) -> List[Commit]:
        filtered = filter_by_message is not None or filter_by_author_name is not None
        commits = self._tarn.log(ref, limit=None if filtered else limit)
        commits = [c for c in commits
                   if (filter_by_message is None or filter_by_message in (c.message or ""))
                   and (filter_by_author_name is None or c.author.name == filter_by_author_name)]
        return commits[:limit] if limit is not None else commits

    # ---- runs ----

    def run(self, project_dir: str = ".", ref: Any = None, parameters: Optional[Dict[str, Any]] = None,
            dry_run: bool = False, **ignored: Any) -> RunResult:
        """Runs a project; like Bauplan's, a failed run is returned (``job_status`` "FAILED", ``error``), not raised."""
        branch = ref if isinstance(ref, str) or ref is None else ref.name
        try:
            return self._tarn.run(project_dir, branch=branch, params=parameters, dry_run=dry_run)
        except RunFailed as failed:
            run_event = next((e for e in reversed(failed.events) if e.get("event") == "step"), {})
            return RunResult(run_event.get("run_id", ""), "failed", branch or self._tarn.branch, None,
                             bool(dry_run), [], error=str(failed))
