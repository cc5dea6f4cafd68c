"""The core of a large ``mkdocs build`` in a forked child, so this process never holds the model.

Peak memory: at 3,000 articles the model (located YAML, articles, index) takes about 300 MB
and the rendered pages about 200 MB; in one process both exist at once at the end of the
render, and the model's memory stays with the process after it is dropped (its objects
are scattered over memory that the pages and MkDocs then share). Here a forked child loads,
checks and renders (with its own second process, see render._render_parallel), and each
process that renders sends every page to this one as soon as it is made, through a pipe of its
own; the child sends the rest of the result (problems, assets, navigation, without the model)
at the end. This process only collects: it holds the pages, never the model, and the children
hold the model and one page at a time. Measured at 3,000 articles (ru_maxrss of the build,
the largest of these processes): the rendering process that renders the chronology is the
peak; its pages' garbage, pickled copies and the heap that glibc keeps are cut here (_Pages,
_large_blocks_returned).

Only where forking is safe and pays (speed.BuildSpeed.detach_core): 'mkdocs build', one
thread, large content. The pages are the same (tests/test_speed_paths.py compares the sites).
"""

from __future__ import annotations

import gc
import multiprocessing
import traceback
from multiprocessing.connection import wait
from typing import Any, Callable

from .core import Result, check_sizes
from .forked import widen


class Sink:
    """Where the rendering processes send their pages: ``first`` (the process that loaded the
    content), ``second`` (its forked helper). Each has ``send((index, page))``."""

    def __init__(self, first, second) -> None:
        self.first, self.second = _Pages(first), _Pages(second)


#: a rendering process collects its garbage after this many pages (see _Pages)
GC_PAGES = 64


class _Pages:
    """The sending end of one rendering process's pipe.

    A page's UTF-8 goes as raw bytes after the rest of it (pickled): pickling would copy it
    first, and the chronology at 3,000 articles is 28 MB, rendered when the process is at its
    largest. And every ``GC_PAGES`` pages the process collects its cyclic garbage (Jinja's
    render contexts): the core runs with the collector paused (core._gc_paused), and over
    3,000 articles each rendering process piled up about 60 MB of it. What lived before the
    first page (the model, which lives as long as the process) is frozen first, so each
    collection only looks at what the pages since the last one made."""

    def __init__(self, conn) -> None:
        self.conn = conn
        self.sent = 0

    def send(self, message) -> None:
        i, page = message
        if self.sent == 0:
            gc.freeze()  # O(1); the core unfreezes everything when it ends (core._gc_paused)
        self.sent += 1
        utf8 = page.utf8
        page.utf8 = b""
        try:
            self.conn.send((i, page))
        finally:
            page.utf8 = utf8
        self.conn.send_bytes(utf8)
        if self.sent % GC_PAGES == 0:
            gc.collect(0)  # the collector is off: everything since the freeze is in generation 0

    def close(self) -> None:
        self.conn.close()


def _receive_page(conn, msg):
    """The page whose other parts ``msg`` is (from _Pages.send), with its UTF-8."""
    i, page = msg
    page.utf8 = conn.recv_bytes()
    return i, page


#: assets sent as raw bytes after the core's result (the export: 30 MB at 3,000 articles)
RAW_ASSET_BYTES = 1 << 20


#: glibc's mallopt parameter, and the size from which memory is mapped on its own
M_MMAP_THRESHOLD, MMAP_BYTES = -3, 1 << 18


def _large_blocks_returned() -> None:
    """glibc's malloc: blocks from 256 KiB on are mapped on their own and given back to the
    system when freed (in the core's processes, which the child's helpers inherit). By
    default that size grows to the largest block freed so far (up to 32 MiB), so after the
    first large pages and the export, their successors come from the heap, whose freed parts
    stay with the process: the chronology (55 MB of text at 3,000 articles) was then rendered
    on top of them. Elsewhere (no glibc) nothing changes."""
    try:
        import ctypes

        ctypes.CDLL(None).mallopt(M_MMAP_THRESHOLD, MMAP_BYTES)
    except (OSError, AttributeError):
        pass


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
        _large_blocks_returned()
        try:
            result, more = work(Sink(send1, send2))
            result.dossier = None  # the model stays here
            raw = [uri for uri, data in result.assets.items()
                   if isinstance(data, bytes) and len(data) >= RAW_ASSET_BYTES]
            assets = result.assets
            result.assets = {uri: None if uri in raw else data for uri, data in assets.items()}
            send1.send(("done", result, more, raw))
            for uri in raw:  # not copied into the pickled result first
                send1.send_bytes(assets[uri])
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
                    i, page = _receive_page(conn, msg)
                    pages[i] = page
                else:
                    final = msg
                    if msg[0] == "done":
                        for uri in msg[3]:
                            msg[1].assets[uri] = conn.recv_bytes()
    finally:
        for conn in waiting:
            conn.close()
        proc.join()
    if final is None:
        raise RuntimeError(f"the build's core in a second process ended with exit code {proc.exitcode}")
    if final[0] != "done":
        raise RuntimeError(f"the build's core in a second process failed:\n{final[1]}")
    _, result, more, _ = final
    if pages:
        result.pages = {page.path: page for _, page in sorted(pages.items())}
        check_sizes(result)
    return result, more
