"""The processes a model starts end with it.

A process that detaches (``setsid`` and a second fork, as daemons do) is re-parented when its parent
exits: to init, out of reach of the server, which stops a model's processes by walking its process
tree. A model or model file could so leave code running past its run's time limit, and into later
runs. Tarn's model processes therefore adopt such orphans (Linux's child subreaper), so they stay in
the tree, and stop every process they still have when the model or discovery is done.
"""

from __future__ import annotations

import ctypes
import os
import signal

_PR_SET_CHILD_SUBREAPER = 36
_ROUNDS = 20
"""Passes of killing what is left: processes forking while they are killed show up in the next."""


def adopt_orphans() -> None:
    """Makes this process the child subreaper of its descendants (Linux; elsewhere nothing changes)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    except (OSError, AttributeError):
        pass  # not Linux: orphans go to init, as before


def stop_descendants() -> int:
    """Kills every process this one started, directly or not, adopted orphans included, and reaps
    them; returns how many were killed."""
    killed = 0
    for _ in range(_ROUNDS):
        _reap_exited()
        found = _descendants()
        if not found:
            return killed
        for pid in found:
            try:
                os.kill(pid, signal.SIGKILL)
                killed += 1
            except (ProcessLookupError, PermissionError):
                pass
        for pid in _children():
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
    return killed


def _reap_exited() -> None:
    """Reaps children that have exited: adopted orphans are this process's to wait for."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _children() -> list[int]:
    """This process's children, from each of its threads' ``children`` file (cheap: no scan of /proc)."""
    children = []
    try:
        threads = os.listdir("/proc/self/task")
    except OSError:
        return []
    for tid in threads:
        try:
            with open("/proc/self/task/%s/children" % tid) as f:
                children.extend(int(pid) for pid in f.read().split())
        except FileNotFoundError:
            return _scan().get(os.getpid(), [])  # a kernel without those files
        except OSError:
            continue  # the thread has ended
    return children


def _descendants() -> list[int]:
    """Every process below this one. Nothing to look for when it has no children, which is usual."""
    if not _children():
        return []
    by_parent = _scan()
    found, pending = [], [os.getpid()]
    while pending:
        for child in by_parent.get(pending.pop(), []):
            found.append(child)
            pending.append(child)
    return found


def _scan() -> dict[int, list[int]]:
    """Every process's children, by parent, from /proc."""
    by_parent: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % name, "rb") as f:
                stat = f.read()
        except OSError:
            continue
        # the command name (the second field) is in parentheses and may hold spaces and parentheses
        fields = stat[stat.rindex(b")") + 2:].split()
        by_parent.setdefault(int(fields[1]), []).append(int(name))
    return by_parent
