"""The checker's marks on the built site: one mark and one anchor per display formula, marks and
coverage that say what the checker found, equation links between pages, and a plain build without
the hooks (as a tool that ignores MkDocs hooks, e.g. Zensical, would build it).

The expected values are the checker's own results for the same source files (the `checker_results`
fixture, tests/site/conftest.py): the marks are a rendering of those results, so any difference is
a bug in the rendering.
"""

import os
import re
import subprocess
import sys

import pytest

from browser_support import REPO_ROOT, built_page, nav_pages, page_url_path
from formulacheck.faces.site.marks import anchors

DOCS = REPO_ROOT / "docs"
MARKED_PAGES = [p for p in nav_pages() if p.endswith(".md") and p != "coverage.md"]


@pytest.fixture
def results(checker_results):
    """The checker's results, by page source (computed once per worker: tests/site/conftest.py)."""
    return checker_results


@pytest.mark.parametrize("source", MARKED_PAGES)
def test_every_display_formula_has_one_mark_and_a_unique_anchor(served_site, results, source):
    soup = built_page(served_site.dir, source)
    blocks = results[source].blocks
    display = soup.select("article div.arithmatex")

    assert len(display) == len(blocks), "display formulas on the page vs blocks the checker read"
    wrappers = [math.parent for math in display]
    assert all("fc-equation" in w.get("class", []) for w in wrappers), "a formula without a mark"
    assert [len(w.select(":scope > .fc-mark")) for w in wrappers] == [1] * len(blocks)
    assert [w["id"] for w in wrappers] == anchors(blocks)
    all_ids = [element["id"] for element in soup.select("[id]")]
    assert [all_ids.count(w["id"]) for w in wrappers] == [1] * len(blocks), "an anchor id repeats"
    for wrapper in wrappers:  # the visible permalink points at its own formula
        assert wrapper.select_one("a.fc-permalink")["href"] == f"#{wrapper['id']}"


@pytest.mark.parametrize("source", MARKED_PAGES)
def test_marks_say_what_the_checker_found(served_site, results, source):
    soup = built_page(served_site.dir, source)
    for block, mark in zip(results[source].blocks, soup.select("article .fc-mark")):
        text = mark.get_text(" ", strip=True)
        assert f"fc-mark--{block.status}" in mark["class"], (block.line, text)
        if block.status == "checked":  # relations and shapes counted apart (evidence_html.py)
            links = block.links - block.shape_checks
            assert f"checked: {links} link{'s' * (links != 1)}" in text, (block.line, text)
            # a claim that reads nothing random says its instances gave the same values
            shown_as = "random instances" if block.reads_random else "instances"
            assert f"Checked on {block.trials} {shown_as}" in text, (block.line, text)
            assert ("reads no random value" in text) != block.reads_random, (block.line, text)
        if block.status in ("declared", "defined"):  # the opened mark names each, typeset
            names = mark.select(".fc-evidence .fc-mark-math mjx-container")
            assert len(names) == len(block.defines), (block.line, text)
        if block.status == "unchecked":
            assert block.reason in text


@pytest.mark.parametrize("source", MARKED_PAGES)
def test_every_inline_formula_carries_the_checkers_mark(served_site, results, source):
    """Each `$...$` formula is a span with its status class and the mark's text as its title,
    in page order (footnotes, moved to the end by Markdown, are compared as a multiset)."""
    soup = built_page(served_site.dir, source)
    shown = soup.select("article span.arithmatex:not(.fc-mark-math)")  # not the marks' own math
    spans = results[source].spans

    assert len(shown) == len(spans), "inline formulas on the page vs spans the checker read"
    statuses = [next((c.split("--")[1] for c in span.get("class", []) if c.startswith("fc-inline--")),
                     None) for span in shown]
    assert sorted(statuses, key=str) == sorted((s.status for s in spans), key=str)
    assert all(span.get("title", "").startswith("Formula checker: ") for span in shown)
    checked = [span["title"] for span in shown if "fc-inline--checked" in span["class"]]
    assert all(re.search(r"checked: \d+ links? × \d+ trials", title) for title in checked)


def test_coverage_page_counts_equal_the_checker(served_site, results):
    rows = {}
    for row in built_page(served_site.dir, "coverage.md").find("table")("tr")[1:]:
        cells = row("td")
        link = cells[0].find("a")
        key = link["href"] if link else cells[0].get_text(strip=True)
        rows[key] = [int(cell.get_text(strip=True)) for cell in cells[1:]]

    totals = [0] * 7
    for source, result in results.items():
        if not result.blocks:  # a page without display formulas is left out
            assert "../" + page_url_path(source).lstrip("/") not in rows, source
            continue
        counts = result.counts()
        expected = [len(result.blocks), counts["checked"], counts["declared"], counts["defined"],
                    counts["unchecked"], counts["failed"] + counts["error"],
                    sum(b.links for b in result.blocks)]
        href = page_url_path(source).lstrip("/")
        href = "../" + href if href else "../"
        assert rows[href] == expected, source
        totals = [t + e for t, e in zip(totals, expected)]
    assert rows["All pages"] == totals


def test_cross_page_equation_link_resolves(served_site, results):
    link = built_page(served_site.dir, "affine.md").find("a", href="../softmax/#eq-score-gradient")
    formulas = built_page(served_site.dir, "softmax.md").select("article div.fc-equation")
    labels = [block.label for block in results["softmax.md"].blocks]

    assert link is not None
    assert formulas[labels.index("score-gradient")]["id"] == "eq-score-gradient"
    assert "fc-equation--checked" in formulas[labels.index("score-gradient")]["class"]


def without_the_checker(config_text: str) -> str:
    """The `plugins:` section of mkdocs.yml without the `formulacheck` entry (a child config's
    list replaces its parent's whole list)."""
    section = re.search(r"^plugins:\n(?:(?:  .*)?\n)*", config_text, re.M).group(0)
    kept = [line for line in section.splitlines() if line.strip() != "- formulacheck"]
    assert len(kept) == len(section.splitlines()) - 1, "mkdocs.yml lists the checker once"
    return "\n".join(kept) + "\n"


def test_the_site_builds_without_hooks_as_plain_pages(tmp_path):
    """Hooks and the checker's plugin dropped (everything else as configured), `--strict`. Links
    to equation anchors are the one thing the checker adds, so anchor problems are reported at
    info level and must all be such links; the other is the gradient-check plot, a file the build
    draws (its hook is dropped too); any other warning fails the build."""
    config = tmp_path / "mkdocs.yml"
    plugins = without_the_checker((REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config.write_text(f"INHERIT: {REPO_ROOT / 'mkdocs.yml'}\ndocs_dir: {DOCS}\nhooks: []\n"
                      + plugins +
                      "validation:\n  links:\n    anchors: info\n    not_found: info\n",
                      encoding="utf-8")
    site_dir = tmp_path / "site"
    environment = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config),
                          "-d", str(site_dir)], cwd=REPO_ROOT, env=environment,
                         capture_output=True, text=True, timeout=300)
    output = run.stdout + run.stderr

    assert run.returncode == 0, output
    anchor_notes = re.findall(r"does not contain an anchor '#([^']+)'", output)
    assert anchor_notes and all(a.startswith("eq-") for a in anchor_notes), anchor_notes
    missing = re.findall(r"contains a link '([^']+)', but the target is not found", output)
    assert missing == ["images/gradient-check-error-vs-h.svg"], missing
    assert "fc-mark" not in (site_dir / "affine" / "index.html").read_text("utf-8")
    stub = built_page(site_dir, "coverage.md").find("article").get_text()
    assert "formulacheck docs/*.md" in stub
    assert "<table" not in str(built_page(site_dir, "coverage.md"))


def test_following_an_equation_link_shows_the_formula_and_its_mark(open_page):
    page, watch = open_page("/affine/")
    page.click("article a[href$='#eq-score-gradient']")
    page.wait_for_url("**/softmax/#eq-score-gradient")
    target = page.locator("#eq-score-gradient")

    target.locator(".fc-mark").wait_for(state="visible")
    assert page.evaluate("() => document.querySelector(':target')?.id") == "eq-score-gradient"
    box, viewport = target.bounding_box(), page.viewport_size
    assert 0 <= box["y"] < viewport["height"], "the linked formula is not in view"
    sizes = page.evaluate("""() => [
        getComputedStyle(document.querySelector('#eq-score-gradient .fc-mark')).fontSize,
        getComputedStyle(document.querySelector('article p')).fontSize]""")
    assert float(sizes[0][:-2]) < float(sizes[1][:-2]), "the mark is not smaller than the text"
    assert not watch.problems()
