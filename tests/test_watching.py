"""How 'mkdocs serve' learns of a save (watching.py, plugin option ``watch``): natively
(inotify) by default, by MkDocs' polling with 'watch: polling' or when the kernel refuses.

Real 'mkdocs serve' processes of the mini fixture on 127.0.0.1 and, for what the server does
with its watches, MkDocs' LiveReloadServer in-process. The waits wait for events with a
generous upper bound; nothing here measures time.
"""

from __future__ import annotations

import logging
import shutil
import threading
import time

import pytest
from conftest import make_project
from test_preview_serve import _until, serving

POLLING_INFO = "the preview polls for changes"


def _with_option(proj, mode: str):
    yml = proj / "mkdocs.yml"
    text = yml.read_text(encoding="utf-8")
    assert "\n  - dossier\n" in text
    yml.write_text(text.replace("\n  - dossier\n", f"\n  - dossier:\n      watch: {mode}\n"), encoding="utf-8")
    return proj


def _edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def _log(log) -> str:
    log.flush()
    return open(log.name, encoding="utf-8").read()


def _ok(word: str):
    return lambda status, body: status == 200 and word in body and "Vorschau angehalten" not in body


@pytest.mark.parametrize("mode", ["native", "polling"])
def test_a_save_shows_up_in_the_served_page(tmp_path, mode):
    proj = make_project(tmp_path) if mode == "native" else _with_option(make_project(tmp_path), mode)
    topic = proj / "content/topics/ernte.yaml"
    with serving(proj) as (base, log):
        page = base + "themen/ernte/"
        _until(page, _ok("Die Ernte"), "first build")
        _edit(topic, "lead: Wie groß war", "lead: Wie gewaltig war")
        _until(page, _ok("Wie gewaltig war"), "the edit on the page")
        out = _log(log)
        assert POLLING_INFO not in out and "Traceback" not in out
    if mode == "polling":
        return
    # a save of several files at once (as a git checkout writes them): each alone would be a
    # content error (a quote the article does not have), together they are one rebuild
    rebuilds = out.count("Detected file changes")
    with serving(proj) as (base, log):
        _until(page := base + "themen/ernte/", _ok("Wie gewaltig war"), "first build")
        rebuilds = _log(log).count("Detected file changes")
        _edit(proj / "seeds/artikel.txt", "1200 Tonnen Äpfel geerntet", "1300 Tonnen Äpfel geerntet")
        _edit(proj / "content/topics/ernte.yaml", "1200 Tonnen", "1300 Tonnen")
        _edit(proj / "content/figures/ernte.yaml", '"1200 Tonnen Äpfel"', '"1300 Tonnen Äpfel"')
        _until(page, _ok("Laut Gemeinde wurden 1300 Tonnen"), "the multi-file save on the page")
        time.sleep(1)  # a second rebuild would have started by now
        out = _log(log)
        assert out.count("Detected file changes") == rebuilds + 1
        assert "every preview page lists them" not in out and "Traceback" not in out


def test_when_the_kernel_refuses_to_watch_the_preview_polls_and_still_rebuilds(tmp_path):
    refuse = ("import errno, watchdog.observers.inotify as i\n"
              "def refuse(self):\n"
              "    raise OSError(errno.ENOSPC, 'inotify watch limit reached (simulated)')\n"
              "i.InotifyEmitter.on_thread_start = refuse\n")
    proj = make_project(tmp_path)
    with serving(proj, refuse) as (base, log):
        page = base + "themen/ernte/"
        _until(page, _ok("Die Ernte"), "first build")
        _edit(proj / "content/topics/ernte.yaml", "lead: Wie groß war", "lead: Wie gewaltig war")
        _until(page, _ok("Wie gewaltig war"), "the edit on the page")
        _edit(proj / "seeds/artikel.txt", "Ein Foto zeigt volle Kisten.", "Ein Foto zeigt übervolle Kisten.")
        _until(base + "quellen/rekordernte/", _ok("übervolle Kisten"), "the article edit on its page")
        out = _log(log)
    [line] = [x for x in out.splitlines() if POLLING_INFO in x]
    assert line.startswith("INFO") and "inotify watch limit reached (simulated)" in line and "watch: polling" in line
    assert "Traceback" not in out


# --- in-process: MkDocs' server and its watches --------------------------------------------------

def _server_of(proj, mode, caplog=None):
    from mkdocs.config import load_config
    from mkdocs.livereload import LiveReloadServer

    cfg = load_config(str(proj / "mkdocs.yml"))
    plugin = cfg.plugins["dossier"]
    plugin.config.watch = mode
    plugin.on_startup(command="serve", dirty=False)
    plugin.on_config(cfg)
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(proj), polling_interval=0.1)
    server.watch(cfg.docs_dir)  # as mkdocs/commands/serve.py does before on_serve
    server.watch(cfg.config_file_path)
    plugin.on_serve(server, config=cfg, builder=None)
    return plugin, server


def _wait_for(condition, action=lambda: None) -> bool:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        action()
        if condition():
            return True
        time.sleep(0.05)
    return False


def _rebuild_wanted(server) -> bool:
    with server._rebuild_cond:
        wanted, server._want_rebuild = server._want_rebuild, False
    return wanted


def _ours() -> list[str]:
    """Threads of the watchers (watchdog's emitters and observers, the plugin's keeper)."""
    return sorted(t.name for t in threading.enumerate()
                  if t.name == "dossier-rewatch" or type(t).__module__.startswith("watchdog."))


@pytest.mark.parametrize("mode", ["native", "polling"])
def test_the_preview_keeps_watching_folders_moved_away_and_back_or_replaced(tmp_path, mode):
    """Polling's watcher of a folder stops when the folder disappears; the native one follows
    it wherever it is moved. Either way the folder at the path is watched (and rebuilt) when
    it is back, and a folder replaced by another one is watched instead."""
    before = _ours()
    proj = make_project(tmp_path)
    plugin, server = _server_of(proj, mode)
    assert type(server.observer).__name__ == ("NativeObserver" if mode == "native" else "PollingObserver")
    seeds, content, away = proj / "seeds", proj / "content", tmp_path / "weg"
    n = iter(range(100_000))

    def edit():
        (seeds / "artikel.txt").write_text(f"Text {next(n)}\n", encoding="utf-8")

    def watched_again(path):  # what the keeper saw last is what is there now
        return lambda: plugin.watcher.seen.get(str(path)) == (path.stat().st_dev, path.stat().st_ino)

    server.observer.start()
    try:
        assert _wait_for(lambda: _rebuild_wanted(server), edit), "an edit of a seed was not seen"
        seeds.rename(away)
        assert _wait_for(lambda: plugin.watcher.seen.get(str(seeds), 0) is None), "seeds/ gone was not noticed"
        _rebuild_wanted(server)
        away.rename(seeds)
        assert _wait_for(lambda: _rebuild_wanted(server)), "seeds/ coming back did not trigger a rebuild"
        assert _wait_for(watched_again(seeds))
        _rebuild_wanted(server)
        assert _wait_for(lambda: _rebuild_wanted(server), edit), "an edit of a seed after the move was not seen"

        # replaced by another folder (restored from a copy): the new one is watched
        shutil.copytree(seeds, away)
        shutil.rmtree(seeds)
        away.rename(seeds)
        assert _wait_for(watched_again(seeds)), "the new seeds/ is not watched"
        _rebuild_wanted(server)
        assert _wait_for(lambda: _rebuild_wanted(server), edit), "an edit in the new seeds/ was not seen"

        # content/ is watched twice (MkDocs' docs_dir and the plugin): back again, it is watched
        # once more and rebuilt once, not again and again
        content.rename(away)
        assert _wait_for(lambda: plugin.watcher.seen.get(str(content), 0) is None)
        away.rename(content)
        assert _wait_for(watched_again(content))
        assert server._watched_paths[str(content)] == 2
        _rebuild_wanted(server)
        time.sleep(4 * 0.5)  # the keeper looks every half second
        assert not _rebuild_wanted(server), "rebuilt without a change"
        _edit(content / "topics/ernte.yaml", "lead: Wie groß war", "lead: Wie gewaltig war")
        assert _wait_for(lambda: _rebuild_wanted(server)), "an edit in content/ after the move was not seen"

        # a folder moved out of content/ (inotify: only a directory event, which MkDocs ignores)
        time.sleep(0.5)  # the rest of the edit's events (the file closed)
        _rebuild_wanted(server)
        (content / "glossary").rename(tmp_path / "glossary")
        assert _wait_for(lambda: _rebuild_wanted(server)), "a folder moved out of content/ was not seen"
    finally:
        plugin.on_shutdown()
        server._shutdown = True
        server.observer.stop()
        server.observer.join()
    assert _wait_for(lambda: _ours() == before), f"left running: {_ours()}"


def test_native_watching_is_linux_only_and_says_so_once(tmp_path, monkeypatch, caplog):
    import mkdocs.livereload  # noqa: F401 - imported on Linux (watchdog chooses its observers on import)

    monkeypatch.setattr("sys.platform", "darwin")
    proj = make_project(tmp_path)
    with caplog.at_level(logging.INFO):
        plugin, server = _server_of(proj, "native")
    try:
        assert type(server.observer).__name__ == "PollingObserver"
        assert {str(proj / "content"), str(proj / "seeds"), str(proj / "mkdocs.yml")} <= set(server._watched_paths)
        [message] = [r.getMessage() for r in caplog.records if POLLING_INFO in r.getMessage()]
        assert "native watching is used on Linux only (this is darwin)" in message
        assert [r.levelno for r in caplog.records if POLLING_INFO in r.getMessage()] == [logging.INFO]
    finally:
        plugin.on_shutdown()


def test_a_server_unlike_mkdocs_own_gets_its_watches_and_one_info_line(tmp_path, caplog):
    from newsdossier import watching

    class Other:  # e.g. another MkDocs version's server
        def __init__(self):
            self.paths = []

        def watch(self, path):
            self.paths.append(path)

    server, log = Other(), logging.getLogger("test-watching")
    with caplog.at_level(logging.INFO, logger="test-watching"):
        assert watching.start(server, "native", [tmp_path, tmp_path / "missing"], log) is None
    assert server.paths == [str(tmp_path)]
    [record] = caplog.records
    assert record.levelno == logging.INFO and "not MkDocs 1.6's LiveReloadServer (no observer, unwatch" in record.getMessage()

