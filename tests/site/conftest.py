"""Fixtures for the site tests: one strict build per session, served on 127.0.0.1, and Chromium.

Without a Chromium the browser tests skip with the reason; under CI (CI=true) they fail instead,
because there a skipped browser test would let a broken site through.
"""

from types import SimpleNamespace

import pytest
from playwright.sync_api import sync_playwright

from browser_support import (
    REPO_ROOT,
    LocalSiteServer,
    build_site,
    find_chromium,
    is_ci,
    launch_chromium,
)
from page_watch import open_in_new_context

ARTIFACTS_DIR = REPO_ROOT / "test-artifacts"
AXE_SCRIPT = REPO_ROOT / ".tools" / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def served_site(tmp_path_factory):
    """The site built with `mkdocs build --strict` into a temporary folder and served locally."""
    site_dir = tmp_path_factory.mktemp("site")
    with LocalSiteServer(site_dir) as server:
        try:
            build_output = build_site(site_dir, site_url=server.origin + "/")
        except RuntimeError as error:
            pytest.fail(str(error), pytrace=False)
        yield SimpleNamespace(dir=site_dir, origin=server.origin, build_output=build_output)


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
def axe_script():
    if not AXE_SCRIPT.is_file():
        pytest.fail(f"{AXE_SCRIPT} is missing: run `make tools` (make test does)", pytrace=False)
    return AXE_SCRIPT


@pytest.fixture(scope="session")
def artifacts_dir():
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    return ARTIFACTS_DIR
