"""Two cores for the large builds: run work in a forked child beside this process.

Forked, not spawned: the child inherits everything already in memory (the model, compiled
templates) instead of receiving it pickled, and sends back only its result.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from typing import Callable, TypeVar

T = TypeVar("T")
U = TypeVar("U")


def can_fork() -> bool:
    """A second process helps (more than one CPU) and can be forked safely: 'fork' exists and
    this process has no other threads (e.g. 'mkdocs serve' has its server threads; a child
    forked there could inherit a lock another thread holds)."""
    return ("fork" in multiprocessing.get_all_start_methods() and (os.cpu_count() or 1) > 1
            and threading.active_count() == 1)


#: the pipe buffer asked for where a child sends much (Linux: up to fs.pipe-max-size, 1 MiB
#: by default; elsewhere, or when refused, the system's own size stays)
PIPE_BYTES = 1 << 20


def widen(conn) -> None:
    """Give the pipe of ``conn`` a larger buffer: with the default 64 KiB a sender of large
    pages waits for the receiver after every 64 KiB, and with more busy processes than cores
    each of those waits is a trip through the scheduler."""
    try:
        import fcntl

        fcntl.fcntl(conn.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    except (ImportError, AttributeError, OSError):
        pass


def run_beside(child_work: Callable[[], T], own_work: Callable[[], U], what: str) -> tuple[U, T]:
    """(own_work(), child_work()): the first here, the second at the same time in a forked
    child whose result comes back pickled. A failure in the child is raised here as a
    RuntimeError naming ``what``; the child never outlives the call."""
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)

    def child() -> None:
        try:
            send.send(("ok", child_work()))
        except BaseException as exc:  # report it to the parent, which raises it
            send.send(("error", f"{type(exc).__name__}: {exc}"))
        finally:
            send.close()

    proc = ctx.Process(target=child, daemon=True)
    proc.start()
    send.close()
    died = False
    try:
        mine = own_work()
        try:
            status, theirs = receive.recv()
        except EOFError:  # the child died without a word (killed, out of memory)
            status, theirs, died = "error", "", True
    finally:
        receive.close()
        proc.join()  # exitcode is only known once the child has been reaped
    if died:
        theirs = f"the process ended with exit code {proc.exitcode}"
    if status != "ok":
        raise RuntimeError(f"{what} in the second process failed: {theirs}")
    return mine, theirs
