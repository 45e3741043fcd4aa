"""The processes a model starts end with it (on Linux).

A process that detaches (``setsid`` and a second fork, as daemons do) is re-parented when its parent
exits, to the nearest subreaper (init, or a session manager): out of the process tree the server
stops, so a model or model file could leave code running past its run's time limit, and into later
runs. Tarn's model processes therefore adopt such orphans (Linux's child subreaper), so they stay in
the tree, and stop every process they still have when a model or a discovery is done.

What this does not reach: a process handed to another daemon of the same user (``systemd-run``,
``at``, a terminal multiplexer), one cloned as its parent's sibling, or code an environment's
``.pth`` files run before the runtime starts. Models have no sandbox (README.md).
"""

from __future__ import annotations

import os
import signal
import sys
import time

_PR_SET_CHILD_SUBREAPER = 36
_STOP_SECONDS = 2.0
"""How long a sweep keeps killing what is left (processes forking as they are killed)."""


def adopt_orphans() -> bool:
    """Makes this process the child subreaper of its descendants; False where that is refused or
    not Linux (orphans then go elsewhere, as before)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (ImportError, OSError, AttributeError):
        return False


def stop_descendants() -> bool:
    """Stops every process this one started, directly or not, adopted orphans included, and reaps
    them. Multiprocessing's own helpers are asked to stop first, so that they clean up what they
    track (shared memory) as they would at exit. Returns whether there was anything to stop."""
    _stop_multiprocessing_helpers()
    _reap_exited()
    found_any = False
    deadline = time.monotonic() + _STOP_SECONDS
    while True:
        found = _descendants()
        if not found:
            return found_any
        found_any = True
        signalled = [pid for pid in found if _kill(pid)]
        for pid in signalled:
            _reap(pid, deadline)
        _reap_exited()
        if time.monotonic() > deadline:
            return True  # what is left is the caller's to deal with: the server retires the process


def _stop_multiprocessing_helpers() -> None:
    """Multiprocessing's resource tracker and fork server, stopped as at interpreter exit, when a
    model started them: killed, the tracker would leave the shared memory it tracks behind."""
    if "multiprocessing" not in sys.modules:
        return
    for module_name, attribute in (("multiprocessing.forkserver", "_forkserver"),
                                   ("multiprocessing.resource_tracker", "_resource_tracker")):
        helper = getattr(sys.modules.get(module_name), attribute, None)
        stop = getattr(helper, "_stop", None)
        if stop is not None:
            try:
                stop()
            except Exception:  # noqa: BLE001  a helper that cannot stop cleanly is killed with the rest
                pass


def _kill(pid: int) -> bool:
    """SIGKILL for a process still below this one. Through a pidfd where there is one, so that a
    process id reused since the scan is never signalled."""
    pidfd = None
    try:
        pidfd = os.pidfd_open(pid)
    except (AttributeError, OSError):
        pass  # older kernel or Python: the id alone, checked just before
    try:
        if not _is_below_this_process(pid):
            return False
        if pidfd is not None:
            signal.pidfd_send_signal(pidfd, signal.SIGKILL)
        else:
            os.kill(pid, signal.SIGKILL)
        return True
    except (ProcessLookupError, PermissionError, OSError):
        return False
    finally:
        if pidfd is not None:
            os.close(pidfd)


def _is_below_this_process(pid: int) -> bool:
    me = os.getpid()
    seen = 0
    while pid > 1 and seen < 4096:
        parent = _parent(pid)
        if parent is None:
            return False
        if parent == me:
            return True
        pid, seen = parent, seen + 1
    return False


def _reap(pid: int, deadline: float) -> None:
    """Waits for a child just killed, without blocking past the deadline (grandchildren are not ours
    to wait for: they are re-parented here once their parent is gone)."""
    while time.monotonic() < deadline:
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            return
        if done:
            return
        time.sleep(0.001)


def _reap_exited() -> None:
    """Reaps children that have exited: adopted orphans are this process's to wait for."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


_CHILDREN_FILES = None


def _children() -> list[int]:
    """This process's children: from each thread's ``children`` file where the kernel has them (no
    scan of /proc), else from a scan."""
    global _CHILDREN_FILES
    if _CHILDREN_FILES is None:
        _CHILDREN_FILES = os.path.exists("/proc/self/task/%d/children" % os.getpid())
    if not _CHILDREN_FILES:
        return _scan().get(os.getpid(), []) if os.path.isdir("/proc") else []
    children = []
    for tid in os.listdir("/proc/self/task"):
        try:
            with open("/proc/self/task/%s/children" % tid) as f:
                children.extend(int(pid) for pid in f.read().split())
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


def _parent(pid: int):
    try:
        with open("/proc/%d/stat" % pid, "rb") as f:
            stat = f.read()
    except OSError:
        return None
    # the command name (the second field) is in parentheses and may hold spaces and parentheses
    return int(stat[stat.rindex(b")") + 2:].split()[1])


def _scan() -> dict[int, list[int]]:
    """Every process's children, by parent, from /proc."""
    by_parent: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            parent = _parent(int(name))
            if parent is not None:
                by_parent.setdefault(parent, []).append(int(name))
    return by_parent
