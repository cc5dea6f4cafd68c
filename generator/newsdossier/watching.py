"""What 'mkdocs serve' watches, and how it learns of a save (plugin option ``watch``).

* ``native`` (default): the kernel reports each change (inotify on Linux, watchdog's
  ``InotifyObserver``). MkDocs 1.6 polls instead: every 0.5 s each watched folder is listed
  and every file in it stat()ed (about 2,150 files at 1,000 articles, 6,400 at 3,000), so a
  save is seen 0.25 s late on average (up to 0.5 s plus the listing), and the listing holds
  the GIL against the rebuild and costs CPU while nothing happens.
* ``polling``: MkDocs' own watcher, for folders where the kernel sees no changes (network
  file systems, some bind mounts and shared folders of virtual machines).

Either way a change reaches the server as MkDocs' own watcher delivers it: the watches are
made by ``server.watch`` (MkDocs' handler: any event that is not about a directory asks for
a rebuild), and MkDocs' build loop waits until no change came for ``build_delay`` (0.1 s,
unchanged: a save of several files, e.g. a git checkout, is one rebuild) before it builds.
Only the events that change something are asked of the kernel (not opening or reading a
file: the build reads every watched file, which would ask for the next build).

A watched folder (or file) that disappears and comes back, or is replaced by another one
(moved away and back, restored from a copy, mkdocs.yml saved by renaming a new file over it),
is watched anew and rebuilt by a small thread that looks every half second. Polling's watcher
of a folder stops for good when the folder disappears; the native one follows the folder's
inode wherever it moves, and stops when it is deleted.

HACK: MkDocs 1.6's ``LiveReloadServer`` offers no choice of observer and no way to watch a
path again; everything here that uses its internals is in the section marked HACK below (the
server's observer attribute, ``_watched_paths``/``_watch_refs``, ``_rebuild_cond``/``_want_rebuild``,
``_shutdown``; watchdog's ``_emitter_for_watch``). When any of it is
not as expected, or the kernel refuses (not Linux, inotify's instance or watch limit:
``OSError``), the preview keeps MkDocs' polling and says so in one INFO line.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from pathlib import Path

MODES = ("native", "polling")
#: seconds between two looks for watched paths that are back or were replaced
KEEP_INTERVAL = 0.5


class NativeUnavailable(Exception):
    """Why the preview polls although ``watch: native`` was asked for."""


class Watcher:
    """The watches of one 'mkdocs serve' (made by ``start``); ``stop`` ends what it started."""

    def __init__(self, server, native: bool, log: logging.Logger) -> None:
        self.server = _Server(server)
        self.native = native
        self.log = log
        #: path -> (st_dev, st_ino) of what is watched there; None while the path is missing
        self.seen: dict[str, tuple[int, int] | None] = {}
        self.failed: set[str] = set()  # paths that could not be watched again (said once)
        self._stopped = threading.Event()

    def stop(self) -> None:
        """Stop the keeper thread and (if it is ours) the native observer; MkDocs stops the
        observer in its own shutdown too, this covers a server that never got that far."""
        self._stopped.set()
        if self.native:
            observer = self.server.observer
            observer.stop()
            if observer.ident is not None and observer is not threading.current_thread():
                observer.join(timeout=5)

    # --- the keeper: paths that came back or were replaced ---

    def keep(self, wanted: list[str], interval: float = KEEP_INTERVAL) -> None:
        for path in set(wanted) | set(self.server.watched()):
            self.seen[path] = _identity(path) if path in self.server.watched() else None
        threading.Thread(target=self._loop, args=(wanted, interval), name="dossier-rewatch", daemon=True).start()

    def _loop(self, wanted: list[str], interval: float) -> None:
        started = False
        while not self._stopped.is_set() and not self.server.shut_down():
            if self.server.observer.is_alive():
                started = True
                self.look(wanted)
            elif started:  # the watcher was stopped: so is the server
                return
            self._stopped.wait(interval)

    def look(self, wanted: list[str]) -> None:
        """One look at every watched path (and the folders that should be)."""
        for path in sorted(set(wanted) | set(self.server.watched())):
            now = _identity(path)
            if now is None:
                self.seen[path] = None  # gone: watched again when it is back
                continue
            before = self.seen.get(path, now)  # a watch added later (mkdocs.yml's watch:): as it is
            # polling watches a path (a replaced folder is a change like any other); the native
            # watcher follows what it watched wherever it moves: now something else is there
            if self.server.alive(path) and (before == now or not self.native):
                self.seen[path] = now
                continue
            try:
                self.server.rewatch(path)
            except OSError as e:  # e.g. inotify's watch limit; tried again at the next look
                if path not in self.failed:
                    self.log.info(f"cannot watch {path} again: {e}")
                self.failed.add(path)
                continue
            self.failed.discard(path)
            self.server.request_rebuild()
            self.seen[path] = now


def start(server, mode: str, folders: list[Path], log: logging.Logger) -> Watcher | None:
    """Watch ``folders`` (and keep watching them, see the module docstring) and move all of
    the server's watches to native notification when ``mode`` is "native". None for a server
    that is not MkDocs' LiveReloadServer as expected (its own watches are left as they are)."""
    wanted = [os.path.abspath(f) for f in folders]
    for path in wanted:
        if os.path.isdir(path):
            server.watch(path)
    try:
        _Server.check(server)
    except NativeUnavailable as e:
        if mode == "native":
            log.info(f"the preview watches files as the server does: {e}")
        return None
    native = False
    if mode == "native":
        try:
            _go_native(server)
            native = True
        except NativeUnavailable as e:
            log.info(f"the preview polls for changes (every 0.5 s): {e}; the plugin option 'watch: polling' "
                     "polls without trying")
    watcher = Watcher(server, native, log)
    watcher.keep(wanted)
    return watcher


# --- HACK: MkDocs' and watchdog's internals, only here -------------------------------------------

class _Server:
    """The parts of MkDocs 1.6's LiveReloadServer this module uses that are not public."""

    NEEDED = ("observer", "watch", "unwatch", "_watched_paths", "_watch_refs", "_rebuild_cond",
              "_want_rebuild", "_shutdown")

    def __init__(self, server) -> None:
        self.s = server

    @classmethod
    def check(cls, server) -> None:
        missing = [name for name in cls.NEEDED if not hasattr(server, name)]
        if missing:
            raise NativeUnavailable(f"the server is not MkDocs 1.6's LiveReloadServer (no {', '.join(missing)})")
        if not isinstance(server._watched_paths, dict) or not isinstance(server._watch_refs, dict):
            raise NativeUnavailable("MkDocs' server keeps its watches differently than expected")

    @property
    def observer(self):
        return self.s.observer

    def watched(self) -> list[str]:
        return list(self.s._watched_paths)

    def shut_down(self) -> bool:
        return bool(self.s._shutdown)

    def alive(self, path: str) -> bool:
        return _emitter_alive(self.s.observer, self.s._watch_refs.get(path))

    def rewatch(self, path: str) -> None:
        """Watch path anew, with MkDocs' own handler, as often as it was watched."""
        count = self.s._watched_paths.pop(path, 0)
        ref = self.s._watch_refs.pop(path, None)
        if ref is not None:
            try:
                self.s.observer.unschedule(ref)
            except (KeyError, ValueError, RuntimeError):
                pass
        try:
            self.s.watch(path)
        finally:  # (when watch() failed: tried again at the next look, as often watched)
            self.s._watched_paths[path] = max(count, 1)

    def request_rebuild(self) -> None:
        """What MkDocs' own handler does on a change."""
        with self.s._rebuild_cond:
            self.s._want_rebuild = True
            self.s._rebuild_cond.notify_all()


def _emitter_alive(observer, watch) -> bool:
    emitter = getattr(observer, "_emitter_for_watch", {}).get(watch) if watch is not None else None
    return emitter is not None and emitter.is_alive()


def _identity(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _go_native(server) -> None:
    """Replace the server's (not yet started) polling observer by a started native one that
    watches the same paths with MkDocs' own handlers; on any failure nothing is changed."""
    if not sys.platform.startswith("linux"):
        raise NativeUnavailable(f"native watching is used on Linux only (this is {sys.platform})")
    old = server.observer
    if old.is_alive():
        raise NativeUnavailable("MkDocs' watcher is already running")
    try:
        observer = _native_observer_class()()
    except (ImportError, OSError) as e:
        raise NativeUnavailable(f"inotify is not available ({e})") from e
    observer.server = server
    counts, refs = dict(server._watched_paths), dict(server._watch_refs)
    try:
        server.observer = observer
        server._watched_paths.clear()
        server._watch_refs.clear()
        for path, count in counts.items():
            server.watch(path)  # MkDocs' handler, on the native observer
            server._watched_paths[path] = count
        observer.start()  # here, not in MkDocs' serve(): an inotify limit is an OSError now
    except Exception as e:  # noqa: BLE001 - anything unexpected: MkDocs' watcher as it was
        observer.stop()
        server.observer = old
        server._watched_paths.clear()
        server._watched_paths.update(counts)
        server._watch_refs.clear()
        server._watch_refs.update(refs)
        if isinstance(e, OSError):
            raise NativeUnavailable(f"inotify refused to watch ({e}): raise fs.inotify.max_user_watches or "
                                    "fs.inotify.max_user_instances (sysctl)") from e
        raise NativeUnavailable(f"native watching failed ({type(e).__name__}: {e})") from e
    old.unschedule_all()


def _native_observer_class():
    """watchdog's inotify observer, asking the kernel only for changes, started once."""
    from watchdog import events as ev
    from watchdog.observers.inotify import InotifyObserver

    # the events polling reports (created, deleted, modified, moved; a written file closed),
    # and a directory moved or deleted inside a watched tree, which polling reports as its
    # files deleted (MkDocs' handler ignores directory events)
    changes = [ev.FileCreatedEvent, ev.FileDeletedEvent, ev.FileModifiedEvent, ev.FileAttribEvent,
               ev.FileMovedEvent, ev.FileClosedEvent, ev.DirMovedEvent, ev.DirDeletedEvent]

    class DirectoryGone(ev.FileSystemEventHandler):
        def __init__(self, server, root: str) -> None:
            self.server, self.root = server, root

        def on_any_event(self, event) -> None:
            if event.is_directory and event.src_path != self.root:
                _Server(self.server).request_rebuild()

    class NativeObserver(InotifyObserver):
        server = None

        def start(self) -> None:  # started by _go_native; MkDocs' serve() starts it again
            if not self.is_alive():
                super().start()

        def schedule(self, event_handler, path, *, recursive=False, event_filter=None, follow_symlink=False):
            watch = super().schedule(event_handler, path, recursive=recursive,
                                     event_filter=changes if event_filter is None else event_filter,
                                     follow_symlink=follow_symlink)
            if self.server is not None:
                self.add_handler_for_watch(DirectoryGone(self.server, os.fsdecode(watch.path)), watch)
            return watch

    return NativeObserver
