"""The reader experience in a real browser (Debian chromium through Playwright)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import ROOT
from .conftest import MAIN_PAGES

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def test_every_main_page_loads_without_script_errors(browser, base_url):
    for name, path in MAIN_PAGES.items():
        page = browser.page(base_url + path)
        assert page.locator("h1").count() == 1, name
        assert page.js_errors == [], (name, page.js_errors)
