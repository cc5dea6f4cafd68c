"""The core of a large ``mkdocs build`` in a forked child, so this process never holds the model.

Peak memory: at 3,000 articles the model (located YAML, articles, index) takes about 300 MB
and the rendered pages about 200 MB; in one process both exist at once at the end of the
render, and the model's memory stays with the process after it is dropped (its objects
are scattered over memory that the pages and MkDocs then share). Here a forked child loads,
checks and renders (with its own second process, see render._render_parallel), and each
process that renders sends every page to this one as soon as it is made, through a pipe of its
own; the child sends the rest of the result (problems, assets, navigation, without the model)
at the end. This process only collects: it holds the pages, never the model, and the children
hold the model and one page at a time.

Only where forking is safe and pays (speed.BuildSpeed.detach_core): 'mkdocs build', one
thread, large content. The pages are the same (tests/test_speed_paths.py compares the sites).
"""

from __future__ import annotations

import multiprocessing
import traceback
from multiprocessing.connection import wait
from typing import Any, Callable

from .core import Result, check_sizes
from .forked import widen


class Sink:
    """Where the rendering processes send their pages: ``first`` (the process that loaded the
    content), ``second`` (its forked helper)."""

    def __init__(self, first, second) -> None:
        self.first, self.second = first, second


def run_detached(work: Callable[[Sink], tuple[Result, Any]]) -> tuple[Result, Any]:
    """``work(sink)`` (which calls core.build with that sink) in a forked child; its result
    here, with the pages it sent and without its dossier model (``None``). ``work`` returns
    (result, anything else from the model the caller needs, small and picklable)."""
    ctx = multiprocessing.get_context("fork")
    receive1, send1 = ctx.Pipe(duplex=False)
    receive2, send2 = ctx.Pipe(duplex=False)
    widen(send1), widen(send2)  # the pages: 100 MB at 1,000 articles

    def child() -> None:
        receive1.close(), receive2.close()
        try:
            result, more = work(Sink(send1, send2))
            result.dossier = None  # the model stays here
            send1.send(("done", result, more))
        except BaseException:  # reported to the parent, which raises it
            send1.send(("error", traceback.format_exc()))
        finally:
            send1.close(), send2.close()

    # not a daemon: the child forks helpers of its own (reading, rendering)
    proc = ctx.Process(target=child, daemon=False)
    proc.start()
    send1.close(), send2.close()
    pages: dict[int, Any] = {}
    final = None
    waiting = [receive1, receive2]
    try:
        while waiting:
            for conn in wait(waiting):
                try:
                    msg = conn.recv()
                except EOFError:
                    waiting.remove(conn)
                    conn.close()
                    continue
                if isinstance(msg[0], int):
                    pages[msg[0]] = msg[1]
                else:
                    final = msg
    finally:
        for conn in waiting:
            conn.close()
        proc.join()
    if final is None:
        raise RuntimeError(f"the build's core in a second process ended with exit code {proc.exitcode}")
    if final[0] != "done":
        raise RuntimeError(f"the build's core in a second process failed:\n{final[1]}")
    _, result, more = final
    if pages:
        result.pages = {page.path: page for _, page in sorted(pages.items())}
        check_sizes(result)
    return result, more
