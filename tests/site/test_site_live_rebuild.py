"""`make serve` (mkdocs serve --dirty with overrides/hooks/live_rebuild.py): a save re-renders only
the changed page (and the coverage page when the checker's results changed), yet the links of the
pages it skips are still validated against the changed page, as in a full build."""

import logging
import os
import time

import pytest

from browser_support import REPO_ROOT

HOOK = REPO_ROOT / "overrides" / "hooks" / "live_rebuild.py"


def serve_build(project):
    """One rebuild as `mkdocs serve --dirty` does it (same process, config read again)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(str(project / "mkdocs.yml"), site_dir=str(project / "site"))
    config.plugins.on_startup(command="serve", dirty=True)
    build(config, serve_url="http://127.0.0.1:8000/", dirty=True)


def save(path, text):
    path.write_text(text, encoding="utf-8")
    later = time.time() + 5  # newer than any built page, whatever the file system's clock
    os.utime(path, (later, later))


@pytest.fixture
def project(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.md").write_text("# A\n\n## Target\n\nText.\n", encoding="utf-8")
    (tmp_path / "docs" / "b.md").write_text("# B\n\nSee [A](a.md#target).\n", encoding="utf-8")
    (tmp_path / "docs" / "c.md").write_text("# C\n\nAlone.\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        f"site_name: t\nhooks:\n  - {HOOK}\nvalidation:\n  links:\n    anchors: warn\n",
        encoding="utf-8")
    return tmp_path


def test_a_save_renders_the_page_and_still_validates_the_links_into_it(project, caplog):
    serve_build(project)
    built = {name: project / "site" / name / "index.html" for name in ("a", "b", "c")}
    before = {name: path.stat().st_mtime_ns for name, path in built.items()}

    save(project / "docs" / "a.md", "# A\n\n## Moved\n\nText.\n")
    with caplog.at_level(logging.WARNING):
        serve_build(project)

    assert "Moved" in built["a"].read_text(encoding="utf-8")
    assert built["b"].stat().st_mtime_ns == before["b"], "b.md was rendered again"
    assert built["c"].stat().st_mtime_ns == before["c"], "c.md was rendered again"
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("'b.md' contains a link 'a.md#target'" in w for w in warnings), warnings


def test_an_edit_of_the_config_renders_every_page(project):
    serve_build(project)
    built = project / "site" / "c" / "index.html"
    before = built.stat().st_mtime_ns

    config = project / "mkdocs.yml"
    save(config, config.read_text(encoding="utf-8").replace("site_name: t", "site_name: u"))
    serve_build(project)

    assert built.stat().st_mtime_ns != before


DECLARE = "# A\n\n$$\nX \\in \\mathbb{R}^{N \\times D}\n$$\n\nProse.\n"
CLAIM = "\n$$\n(X^\\top)^\\top = X\n$$\n"


@pytest.fixture
def checked_project(tmp_path):
    """A site with the checker's plugin and its coverage page, as this site has them."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.md").write_text(DECLARE, encoding="utf-8")
    (tmp_path / "docs" / "coverage.md").write_text("# Coverage\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        f"site_name: t\nhooks:\n  - {HOOK}\nplugins:\n  - formulacheck\n"
        "markdown_extensions:\n  - md_in_html\n  - pymdownx.arithmatex: {generic: true}\n",
        encoding="utf-8")
    return tmp_path


def test_the_coverage_page_is_rendered_again_only_when_the_results_change(checked_project, caplog):
    serve_build(checked_project)
    coverage = checked_project / "site" / "coverage" / "index.html"
    before = coverage.stat().st_mtime_ns

    save(checked_project / "docs" / "a.md", DECLARE.replace("Prose.", "Other prose."))
    serve_build(checked_project)
    assert "Other prose." in (checked_project / "site" / "a" / "index.html").read_text(encoding="utf-8")
    assert coverage.stat().st_mtime_ns == before, "an edit of prose rendered the coverage page"

    save(checked_project / "docs" / "a.md", DECLARE + CLAIM)
    serve_build(checked_project)
    serve_build(checked_project)  # the coverage page follows in a rebuild of its own (below)
    assert coverage.stat().st_mtime_ns != before
    assert "(X^\\top)^\\top = X" in coverage.read_text(encoding="utf-8")
    assert not [r for r in caplog.records if "formula check failed" in r.getMessage()]


def test_a_save_shows_the_page_first_and_the_coverage_page_in_the_next_rebuild(checked_project):
    serve_build(checked_project)
    coverage = checked_project / "site" / "coverage" / "index.html"
    page = checked_project / "site" / "a" / "index.html"
    stub = checked_project / "docs" / "coverage.md"
    before = coverage.stat().st_mtime_ns
    save(checked_project / "docs" / "a.md", DECLARE + CLAIM)
    touched = stub.stat().st_mtime_ns

    serve_build(checked_project)  # the save: the page is rendered, the coverage page waits
    assert "(X^\\top)^\\top = X" in page.read_text(encoding="utf-8")
    assert coverage.stat().st_mtime_ns == before
    assert stub.stat().st_mtime_ns != touched, "the rebuild that renders it was not started"
    assert stub.read_text(encoding="utf-8") == "# Coverage\n"
    os.utime(checked_project / "docs" / "a.md", (0, 0))  # older than its page: saved once
    rendered = page.stat().st_mtime_ns

    serve_build(checked_project)  # the rebuild the watcher starts for the touched source
    assert "(X^\\top)^\\top = X" in coverage.read_text(encoding="utf-8")
    assert page.stat().st_mtime_ns == rendered, "the page was rendered twice"


def test_the_coverage_page_waiting_for_its_rebuild_reports_no_stale_links(checked_project, caplog):
    serve_build(checked_project)
    renamed = DECLARE.replace("N \\times D", "N \\times K")  # the formula's anchor changes

    save(checked_project / "docs" / "a.md", renamed + CLAIM)
    with caplog.at_level(logging.INFO):
        serve_build(checked_project)
        serve_build(checked_project)

    coverage = checked_project / "site" / "coverage" / "index.html"
    assert "N \\times K" in coverage.read_text(encoding="utf-8")
    assert not [r for r in caplog.records if "does not contain an anchor" in r.getMessage()]
