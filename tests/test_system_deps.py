"""`.ci/system-deps` (run by `make test`) installs only what is missing and keeps a Node.js
that does not come from Debian. Driven with stand-in commands on PATH and a dry run."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / ".ci" / "system-deps"


def _stub(folder: Path, name: str, body: str = 'echo "$0 $*"') -> None:
    path = folder / name
    path.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    path.chmod(0o755)


def _run(tmp_path: Path, commands: dict[str, str], *, chromium: bool, font: bool,
         dry_run: bool = True) -> subprocess.CompletedProcess:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    # only the shell's own tools plus the stand-ins: nothing else from the machine is seen
    for tool in ("grep", "id"):
        os.symlink(subprocess.run(["sh", "-c", f"command -v {tool}"], capture_output=True, text=True).stdout.strip(),
                   bin_dir / tool)
    for name, body in commands.items():
        _stub(bin_dir, name, body)
    chromium_path = tmp_path / "chromium"
    font_path = tmp_path / "DejaVuSans.ttf"
    if chromium:
        _stub(tmp_path, "chromium")
    if font:
        font_path.write_bytes(b"")
    env = {"PATH": str(bin_dir), "CHROMIUM": str(chromium_path), "DEJAVU": str(font_path),
           **({"SYSTEM_DEPS_DRY_RUN": "1"} if dry_run else {})}
    bash = subprocess.run(["sh", "-c", "command -v bash"], capture_output=True, text=True).stdout.strip()
    return subprocess.run([bash, str(SCRIPT)], env=env, capture_output=True, text=True, timeout=60)


def test_nothing_missing_installs_nothing(tmp_path):
    r = _run(tmp_path, {"node": "echo v20", "npm": "echo 11", "java": "true"}, chromium=True, font=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "" and r.stderr == ""


def test_only_chromium_missing_installs_only_chromium(tmp_path):
    """The case that broke CI: Node.js with its own npm from another source, chromium absent."""
    r = _run(tmp_path, {"node": "echo v20", "npm": "echo 11", "java": "true"}, chromium=False, font=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "system-deps: installing chromium from Debian's packages"


def test_no_node_at_all_gets_debians_nodejs_and_npm(tmp_path):
    r = _run(tmp_path, {"java": "true"}, chromium=True, font=False)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "system-deps: installing nodejs npm fonts-dejavu-core from Debian's packages"


@pytest.mark.parametrize("version", ["20.20.2-1nodesource1", ""])
def test_foreign_node_without_npm_is_refused_with_a_fix(tmp_path, version):
    dpkg = f'case "$*" in *Version*) printf "{version}";; *Status*) printf "install ok installed";; esac'
    r = _run(tmp_path, {"node": "echo v20", "java": "true", "dpkg-query": dpkg}, chromium=True, font=True)
    assert r.returncode == 1
    assert "has no npm" in r.stderr and "Fix:" in r.stderr
    assert "installing" not in r.stdout


def test_debian_node_without_npm_gets_debians_npm(tmp_path):
    dpkg = 'case "$*" in *Version*) printf "18.19.0+dfsg-6~deb12u2";; *Status*) printf "install ok installed";; esac'
    r = _run(tmp_path, {"node": "echo v18", "java": "true", "dpkg-query": dpkg}, chromium=True, font=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "system-deps: installing npm from Debian's packages"


def test_apts_reason_is_shown_and_the_packages_named(tmp_path):
    apt = 'case "$*" in *update*) exit 0;; esac; echo "nodejs : Conflicts: npm" >&2; ' \
          'echo "E: Unable to correct problems, you have held broken packages." >&2; exit 100'
    r = _run(tmp_path, {"node": "echo v20", "npm": "echo 11", "java": "true", "apt-get": apt, "sudo": '"$@"'},
             chromium=False, font=True, dry_run=False)
    assert r.returncode == 1
    assert "nodejs : Conflicts: npm" in r.stderr  # apt's own words are not hidden
    assert "apt-get could not install: chromium" in r.stderr
