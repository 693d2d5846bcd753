"""The coverage page as a reader uses it: a summary per page first, then each formula rendered,
with its status and a link to it on its page; nothing cut at 1280 px, pages without math left out.
Screenshots at 390 and 1280 px, light and dark, go to test-artifacts/screenshots/."""

import pytest

from browser_support import built_page, page_url_path
from page_watch import math_problems
from formulacheck.faces.site.marks import anchors


# Elements of the article whose content is wider than their box and not in a scrolling box a
# reader can scroll (a formula may scroll inside its own box; a table column may not be cut).
CUT_JS = """
() => {
  const article = document.querySelector('article');
  const width = article.getBoundingClientRect().right;
  const cut = [];
  for (const element of article.querySelectorAll('table, tr, td, th, p, li, h2, a')) {
    const box = element.getBoundingClientRect();
    if (box.right > width + 1 && !element.closest('.arithmatex')) {
      cut.push(element.tagName + ': ' + element.textContent.trim().slice(0, 60));
    }
  }
  for (const table of article.querySelectorAll('table')) {
    if (table.scrollWidth > table.clientWidth + 1 ||
        table.getBoundingClientRect().right > width + 1) {
      cut.push('table: ' + table.textContent.trim().slice(0, 60));
    }
  }
  return {cut, pageWidth: document.documentElement.scrollWidth, viewport: innerWidth};
}
"""


@pytest.fixture
def results(checker_results):
    """The checker's results, by page source (computed once per worker: tests/site/conftest.py)."""
    return checker_results


def test_pages_without_math_are_left_out_and_each_formula_links_to_its_anchor(served_site,
                                                                               results):
    soup = built_page(served_site.dir, "coverage.md")
    summary = soup.find("table")
    listed = {row.find("a")["href"] for row in summary("tr")[1:] if row.find("a")}
    for source, result in results.items():
        href = "../" + page_url_path(source).lstrip("/")
        if result.blocks:
            assert href in listed, source
        else:
            assert href not in listed, source

    for source, result in results.items():
        if not result.blocks:
            continue
        href = "../" + page_url_path(source).lstrip("/")
        items = [item for item in soup.select("div.fc-coverage-item")
                 if item.find("a")["href"].startswith(href + "#")]
        assert [item.find("a")["href"] for item in items] == [
            f"{href}#{anchor}" for anchor in anchors(result.blocks)], source
        page_ids = {element["id"] for element in built_page(served_site.dir, source).select("[id]")}
        assert all(anchor in page_ids for anchor in anchors(result.blocks)), source
        for item, block in zip(items, result.blocks):
            assert item.select_one("div.arithmatex mjx-container"), (source, block.line)  # rendered
            text = item.get_text(" ")
            if block.status == "checked":
                assert f"{block.trials} trials" in text, (source, block.line)
            if block.status == "unchecked":
                assert "not checked" in text, (source, block.line)


def test_uses_link_to_the_earlier_results(served_site, results):
    soup = built_page(served_site.dir, "coverage.md")
    href = "../affine/"
    ids = anchors(results["affine.md"].blocks)
    uses = [link["href"] for item in soup.select("div.fc-coverage-item")
            if item.find("a")["href"].startswith(href + "#")
            for link in item.find_all("a")[1:]]
    assert uses, "no formula of the affine page links to an earlier result"
    assert all(link.startswith(href + "#") and link.split("#")[1] in ids for link in uses)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [390, 1280])
def test_coverage_page_fits_and_is_screenshotted(open_page, artifacts_dir, width, scheme):
    page, watch = open_page("/coverage/", color_scheme=scheme,
                            viewport={"width": width, "height": 900})
    report = page.evaluate(CUT_JS)
    folder = artifacts_dir / "screenshots"
    folder.mkdir(exist_ok=True)
    shot = folder / f"coverage-{width}-{scheme}.png"
    page.screenshot(path=shot)

    assert report["pageWidth"] <= report["viewport"], "the page scrolls sideways"
    if width >= 1280:  # on a phone a table may scroll inside its own box
        assert not report["cut"], report["cut"][:5]
    assert shot.stat().st_size > 10_000, f"{shot} looks empty"
    assert not watch.problems()


# Each formula of the opened sections, drawn: its width and whether its fonts are loaded.
OPENED_FORMULAS_JS = """
async () => {
  for (const summary of document.querySelectorAll('details.fc-coverage-page > summary')) {
    summary.click();
  }
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  await document.fonts.ready;
  const formulas = [...document.querySelectorAll(
    'details.fc-coverage-page .fc-coverage-item mjx-container[display="true"]')];
  return {
    open: document.querySelectorAll('details.fc-coverage-page[open]').length,
    widths: formulas.map((container) =>
      (container.querySelector('mjx-math') || container).getBoundingClientRect().width),
  };
}
"""


def test_page_sections_open_onto_their_typeset_formulas(open_page, results):
    """The formulas wait in collapsed sections (a page is typeset before its sections are styled);
    opening every section shows every formula drawn, with nothing left as TeX."""
    page, watch = open_page("/coverage/")
    sections = page.locator("details.fc-coverage-page")
    # A page is listed for its display formulas or its inline claims.
    with_math = [source for source, result in results.items()
                 if result.blocks or any(span.status != "classified" for span in result.spans)]
    assert sections.count() == len(with_math)
    assert page.locator("details.fc-coverage-page[open]").count() == 0

    drawn = page.evaluate(OPENED_FORMULAS_JS)

    assert drawn["open"] == len(with_math)
    assert len(drawn["widths"]) == sum(len(results[source].blocks) for source in with_math)
    assert all(width > 0 for width in drawn["widths"])
    assert not math_problems(page)
    assert not watch.problems()
