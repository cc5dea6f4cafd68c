"""The generator as another newsroom gets it: a real (not editable) pip install into a fresh
virtual environment, then a new dossier built outside this repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

from conftest import ROOT

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}


def _run(cmd, cwd=None, timeout=300):
    r = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, cwd=cwd, env=ENV, timeout=timeout)
    assert r.returncode == 0, (cmd, r.stdout[-2000:], r.stderr[-4000:])
    return r


def test_a_real_install_builds_a_new_dossier_outside_the_repository(tmp_path):
    # the package's sources only (what a clone has), so nothing is built inside the repository
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    shutil.copytree(ROOT / "generator", src / "generator",
                    ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc"))
    # a fresh venv without pip; the dependencies (MkDocs, Material, setuptools …) are this
    # environment's, made visible by a .pth line, so the install needs no network. A .pth
    # line does not run the other environment's .pth files: its editable newsdossier stays out.
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", venv])
    purelib = Path(sysconfig.get_paths(vars={"base": str(venv), "platbase": str(venv)})["purelib"])
    (purelib / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    python = venv / "bin" / "python"
    _run([sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-build-isolation",
          "--no-index", "--quiet", src])
    where = _run([python, "-c", "import newsdossier; print(newsdossier.__file__)"]).stdout.strip()
    package = Path(where).parent
    assert package.is_relative_to(venv) and not (package.parent / "__editable__.newsdossier-0.1.0.pth").exists()
    for rel in ("theme/main.html", "theme/assets/dossier.css", "theme/assets/dossier.js", "templates/home.html.j2", "locales/en.yaml"):
        assert (package / rel).is_file(), rel

    # a newsroom elsewhere: the installed command scaffolds, checks and builds
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    _run([venv / "bin" / "dossier", "new", "hochwasser", "--title", "Hochwasser im Tal"], cwd=outside)
    proj = outside / "hochwasser"
    _run([venv / "bin" / "dossier", "check"], cwd=proj)
    _run([venv / "bin" / "dossier", "build"], cwd=proj)
    _run([python, "-m", "mkdocs", "build", "--strict", "--site-dir", "site-mkdocs"], cwd=proj)
    for site in (proj / "site", proj / "site-mkdocs"):
        home = (site / "index.html").read_text(encoding="utf-8")
        assert "<title>Hochwasser im Tal</title>" in home
        assert 'href="assets/dossier.css"' in home and 'src="assets/dossier.js"' in home
        assert (site / "assets/dossier.css").read_bytes() == (package / "theme/assets/dossier.css").read_bytes()
        assert '<script type="application/ld+json">' in home  # the package's main.html is in use
        topic = (site / "themen/beispiel/index.html").read_text(encoding="utf-8")
        assert 'id="abschnitt-1"' in topic and "{#" not in topic  # attr_list is on
