"""The built site's folder: one build at a time, swapped in atomically, leftovers cleaned.

* **Lock**: a build holds an exclusive ``flock`` on ``.<site>-build.lock`` beside the site
  folder for its whole run; a second build into the same folder stops at once with a clear
  message instead of racing the first (the kernel releases the lock when a process dies).
* **Swap**: the new site is built in ``.<site>-new-*`` beside the old one and exchanged with
  it in one ``renameat2(RENAME_EXCHANGE)`` call: at every moment ``site/`` is either the old
  or the new site, never missing. Where the kernel or file system cannot exchange (not Linux,
  some network file systems), two renames are used; if a build is killed between them, the
  next build puts the last good site back first.
* **Leftovers**: ``.<site>-new-*`` and ``.<site>-old-*`` folders of builds that were killed
  are removed by the next build (under the lock, so never those of a running build).
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import shutil
import tempfile
from pathlib import Path


class Locked(Exception):
    """Another build holds the lock."""


class BuildLock:
    """Held from creation to release(); the lock file is removed on release."""

    def __init__(self, target: Path) -> None:
        self.path = target.parent / f".{target.name}-build.lock"
        for _ in range(100):
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
                os.close(fd)
                if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                    raise Locked(f"another build into {target} is running (process {holder or '?'}, lock file "
                                 f"{self.path}); wait for it to finish, then build again") from None
                raise
            # the holder before us removes the file when it is done: locked is only the file
            # that still stands at this path
            try:
                same = os.stat(self.path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
            if same:
                self.fd = fd
                os.ftruncate(fd, 0)
                os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
                return
            os.close(fd)
        raise Locked(f"could not take the lock {self.path}: it keeps being replaced")

    def release(self) -> None:
        if self.fd >= 0:
            try:
                os.unlink(self.path)
            except FileNotFoundError:
                pass
            os.close(self.fd)  # closing the descriptor releases the lock
            self.fd = -1

    def __enter__(self) -> "BuildLock":
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def leftovers(target: Path) -> list[Path]:
    parent, name = target.parent, target.name
    return sorted(p for pattern in (f".{name}-new-*", f".{name}-old-*") for p in parent.glob(pattern)
                  if p.is_dir() and not p.is_symlink())


def recover_and_clean(target: Path) -> list[Path]:
    """Under the lock, before a build: put back the last good site if a killed two-rename swap
    left it in .<site>-old-*/site, then remove every leftover temporary folder. Returns them."""
    found = leftovers(target)
    if not os.path.lexists(target):
        kept = [p / "site" for p in found if p.name.startswith(f".{target.name}-old-") and (p / "site").is_dir()]
        if kept:
            os.rename(kept[-1], target)
    for p in found:
        shutil.rmtree(p, ignore_errors=True)
    return found


def new_build_dir(target: Path) -> Path:
    """An empty folder beside the target, readable like a normal folder (mkdtemp makes it
    private; a web server must read site/)."""
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}-new-", dir=target.parent))
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o777 & ~umask)
    return tmp


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2). False when this system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def swap_in(new: Path, target: Path) -> None:
    """Make ``new`` the site at ``target``; the old site is removed afterwards."""
    if not os.path.lexists(target):
        os.rename(new, target)
        return
    if _exchange(new, target):
        shutil.rmtree(new, ignore_errors=True)  # the old site, now at the new one's name
        return
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}-old-", dir=target.parent))
    os.rename(target, old / "site")
    try:
        os.rename(new, target)
    except OSError:
        os.rename(old / "site", target)  # put the last good site back
        raise
    shutil.rmtree(old, ignore_errors=True)
