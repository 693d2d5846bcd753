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
    positional = {source: [i for i in equation_ids(served_site.dir, source) if re.fullmatch(r"eq-\d+", i)]
                  for source in MARKDOWN_PAGES}
    positional = {source: ids for source, ids in positional.items() if ids}
    total = sum(len(equation_ids(served_site.dir, source)) for source in MARKDOWN_PAGES)

    assert total > 150, "the pages' formulas were not found"
    assert not positional, f"anchors that move when a formula is inserted above: {positional}"


def test_every_equation_link_has_its_target(served_site):
    by_path = {page_url_path(source): source for source in nav_pages()}
    checked, missing = 0, []
    for source in nav_pages():
        page_path = page_url_path(source)
        for link in built_page(served_site.dir, source).select('article a[href*="#eq-"]'):
            href = link["href"]
            target_path, fragment = href.split("#", 1)
            if target_path.startswith(("http:", "https:")):
                continue
            resolved = page_path if not target_path else (
                re.sub(r"[^/]*$", "", page_path) + target_path)
            while "/../" in resolved or resolved.startswith("/.."):
                resolved = re.sub(r"/[^/]+/\.\./", "/", resolved, count=1)
            resolved = resolved.replace("/./", "/")
            target = by_path.get(resolved)
            checked += 1
            if target is None or built_page(served_site.dir, target).find(id=fragment) is None:
                missing.append(f"{source}: {href}")

    assert checked > 20, "expected the marks' permalinks and cross-page links"
    assert not missing, "\n".join(missing)


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
