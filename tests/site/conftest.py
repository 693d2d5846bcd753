"""Fixtures for the site tests: one strict build per session (shared by all xdist workers),
served on 127.0.0.1, and Chromium.

Without a Chromium the browser tests skip with the reason; under CI (CI=true) they fail instead,
because there a skipped browser test would let a broken site through.
"""

import json
from collections.abc import Mapping
from pathlib import Path
from types import SimpleNamespace

import pytest
from filelock import FileLock
from playwright.sync_api import sync_playwright

from browser_support import (
    REPO_ROOT,
    SITE_UNDER_TEST,
    build_site,
    find_chromium,
    is_ci,
    launch_chromium,
    nav_pages,
    page_url_path,
)
from formulacheck.pages.cache import cached_check_page
from page_watch import WIDE_VIEWPORT, open_in_new_context

ARTIFACTS_DIR = REPO_ROOT / "test-artifacts"
AXE_SCRIPT = REPO_ROOT / ".tools" / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def served_site(request):
    """The site built once with `mkdocs build --strict` and served on 127.0.0.1.

    The server and its folder belong to the session (tests/conftest.py), shared by all xdist
    workers: the first worker to get here builds, under a file lock, and the others find the
    build (or its failure) when they get the lock.
    """
    shared = request.config.stash[SITE_UNDER_TEST]
    site_dir, origin = Path(shared["dir"]), shared["origin"]
    outcome = site_dir.parent / "build-outcome.json"
    with FileLock(site_dir.parent / "build.lock"):
        if not outcome.exists():
            try:
                built = {"ok": True, "output": build_site(site_dir, site_url=origin + "/")}
            except RuntimeError as error:
                built = {"ok": False, "output": str(error)}
            outcome.write_text(json.dumps(built), encoding="utf-8")
    built = json.loads(outcome.read_text(encoding="utf-8"))
    if not built["ok"]:
        pytest.fail(built["output"], pytrace=False)
    return SimpleNamespace(dir=site_dir, origin=origin, build_output=built["output"])


class CheckerResults(Mapping):
    """The checker's result for each checked page of the nav, by source name, asked for when a
    test first needs it and kept for the rest of the worker's session.

    The results come through the checker's results cache (`formulacheck.pages.cache`, filed under
    .cache/formulacheck), which the site's build fills: these tests compare what the pages show
    with the checker's results for the same text, so a page is checked from scratch once per gate
    (by the build or by whichever process asks first), not once more in every worker. That the
    cache gives what a check from scratch gives is the business of the checker's own tests
    (tests/formulacheck/pages/test_fc_check_cache.py, test_fc_incremental.py).

    A session cache, not a module-scoped fixture: tests/work_units.py runs a page's tests from all
    modules of tests/site as one unit, so a module's fixtures are set up again for every page, and
    checking every page each time cost about 5 s a page (113 of 602 s of the gate's test time).
    """

    def __init__(self, docs: Path):
        self._docs = docs
        self._sources = [source for source in nav_pages()
                         if source != "coverage.md" and source.endswith((".md", ".ipynb"))]
        self._checked = {}

    def __getitem__(self, source):
        if source not in self._sources:
            raise KeyError(source)
        if source not in self._checked:
            self._checked[source] = cached_check_page(self._docs / source)
        return self._checked[source]

    def __iter__(self):
        return iter(self._sources)

    def __len__(self):
        return len(self._sources)


@pytest.fixture(scope="session")
def checker_results():
    """`CheckerResults` for the pages of docs/, shared by the modules of tests/site."""
    return CheckerResults(REPO_ROOT / "docs")


@pytest.fixture(scope="session")
def chromium_path():
    path = find_chromium()
    if path is None:
        reason = "no Chromium found: install Debian's `chromium` package or set CHROMIUM=/path"
        if is_ci():
            pytest.fail(f"{reason} (CI=true: the browser tests must run)", pytrace=False)
        pytest.skip(reason)
    return path


@pytest.fixture(scope="session")
def browser(chromium_path):
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright, chromium_path)
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser, served_site):
    """Factory: open_page(path, color_scheme=..., viewport=...) -> (page, watch)."""
    contexts = []

    def open_path(path, **options):
        context, page, watch = open_in_new_context(browser, served_site.origin, path, **options)
        contexts.append(context)
        return page, watch

    yield open_path
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def shared_page(browser, served_site):
    """Factory: shared_page(source) -> (source, page, watch), one load of a page for the modules
    that only look at it (test_site_pages, test_site_formula_visibility).

    Loading a long page costs more than most tests of it, so the worker keeps the page it loaded
    last and hands it to the next module that asks for the same page (tests/work_units.py keeps a
    page's tests together); asking for another page closes it. Each request puts the page back
    at the top of a 1280 px viewport; a test that needs another state (palette, width) sets it.
    """
    opened = {}

    def page_of(source):
        if source not in opened:
            for context, _, _ in opened.values():
                context.close()
            opened.clear()
            opened[source] = open_in_new_context(browser, served_site.origin,
                                                 page_url_path(source))
        _, page, watch = opened[source]
        page.set_viewport_size(WIDE_VIEWPORT)
        page.evaluate("() => scrollTo(0, 0)")
        return source, page, watch

    yield page_of
    for context, _, _ in opened.values():
        context.close()


@pytest.fixture(scope="session")
def axe_script():
    if not AXE_SCRIPT.is_file():
        pytest.fail(f"{AXE_SCRIPT} is missing: run `make tools` (make test does)", pytrace=False)
    return AXE_SCRIPT


@pytest.fixture(scope="session")
def artifacts_dir():
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    return ARTIFACTS_DIR
