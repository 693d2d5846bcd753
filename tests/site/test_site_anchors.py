"""Equation permalinks on the built site: none is positional, every `#eq-...` link has its target,
a followed link shows its formula, and the pages link to the notes they build on."""

import re

import pytest

from browser_support import built_page, nav_pages, page_url_path

MARKDOWN_PAGES = [source for source in nav_pages() if source.endswith(".md")]
CASE_STUDY = "https://cs231n.github.io/neural-networks-case-study/"


def equation_ids(site_dir, source):
    return [element["id"] for element in built_page(site_dir, source).select("div.fc-equation[id]")]


def test_no_equation_anchor_is_a_position(served_site):
    # A position is a short number (`eq-17`); a content hash has 7 hex digits, sometimes all decimal.
    positional = {source: [i for i in equation_ids(served_site.dir, source)
                           if re.fullmatch(r"eq-\d{1,4}", i)]
                  for source in MARKDOWN_PAGES}
    positional = {source: ids for source, ids in positional.items() if ids}
    total = sum(len(equation_ids(served_site.dir, source)) for source in MARKDOWN_PAGES)

    assert total > 150, "the pages' formulas were not found"
    assert not positional, f"anchors that move when a formula is inserted above: {positional}"


def equation_links(site_dir):
    """(page, href, target source or None, fragment) of every `#eq-...` link inside the site."""
    by_path = {page_url_path(source): source for source in nav_pages()}
    links = []
    for source in nav_pages():
        page_path = page_url_path(source)
        for link in built_page(site_dir, source).select('article a[href*="#eq-"]'):
            href = link["href"]
            target_path, fragment = href.split("#", 1)
            if target_path.startswith(("http:", "https:")):
                continue
            resolved = page_path if not target_path else (
                re.sub(r"[^/]*$", "", page_path) + target_path)
            while "/../" in resolved:
                resolved = re.sub(r"/[^/]+/\.\./", "/", resolved, count=1)
            links.append((source, href, by_path.get(resolved.replace("/./", "/")), fragment))
    return links


def missing_targets(site_dir, links):
    ids = {}
    missing = []
    for source, href, target, fragment in links:
        if target is not None and target not in ids:
            ids[target] = {node["id"] for node in built_page(site_dir, target).select("[id]")}
        if target is None or fragment not in ids[target]:
            missing.append(f"{source}: {href}")
    return missing


def test_every_equation_link_into_a_page_has_its_target(served_site):
    links = [link for link in equation_links(served_site.dir)
             if not (link[2] or "").endswith(".ipynb")]
    missing = missing_targets(served_site.dir, links)

    assert len(links) > 20, "expected the marks' permalinks and cross-page links"
    assert not missing, "\n".join(missing)


def test_every_equation_link_into_the_notebook_has_its_target(served_site):
    links = [link for link in equation_links(served_site.dir)
             if (link[2] or "").endswith(".ipynb")]
    assert links
    assert not missing_targets(served_site.dir, links)


@pytest.mark.parametrize("width", [390, 1280])
def test_a_followed_equation_link_shows_its_formula(open_page, width):
    page, watch = open_page("/affine/#eq-weight-gradient",
                            viewport={"width": width, "height": 800})
    box = page.evaluate("""() => {
      const target = document.getElementById("eq-weight-gradient");
      const header = document.querySelector(".md-header").getBoundingClientRect().bottom;
      const box = target.getBoundingClientRect();
      return { top: box.top, bottom: box.bottom, header, targeted: target.matches(":target") };
    }""")

    assert box["targeted"]
    assert box["header"] - 1 <= box["top"] and box["bottom"] <= 800, box
    assert not watch.problems()


def test_the_pages_link_to_the_notes_they_build_on(served_site):
    home = built_page(served_site.dir, "index.md")
    gradient_check = built_page(served_site.dir, "gradient-check.md")

    assert home.select_one(f'article a[href="{CASE_STUDY}"]') is not None
    assert gradient_check.select_one('article a[href^="https://cs231n.github.io/neural-networks-3/"]')
