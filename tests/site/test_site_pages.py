"""Every page, as a reader's browser gets it from the built site.

Each page is loaded once (cache empty) and then looked at several ways: all math typeset, no
console errors, no request to any host but the local server (the site works offline), an axe-core
audit in both palettes, every formula's MathML in the accessibility tree, code beside formulas
shown whole and once, and screenshots of the two longest pages.
Each test sets the state it needs (palette, viewport) itself, so the tests do not depend on order.
"""

import pytest

from browser_support import longest_pages, nav_pages, page_url_path, sitemap_paths
from page_watch import math_problems

NAV_PAGES = nav_pages()
# Material's palette toggle sets this attribute on <body>.
SCHEME_ATTRIBUTE = {"light": "default", "dark": "slate"}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
AXE_RUN_JS = r"""
async (tags) => {
  // Only violations are read, so axe need not describe every passing node (20-25% faster).
  const result = await axe.run(document, {
    runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
  return result.violations
    .filter((violation) => ["serious", "critical"].includes(violation.impact))
    .map((violation) => `${violation.impact} ${violation.id}: ${violation.help} at `
      + violation.nodes.slice(0, 5).map((node) => node.target.join(" ")
        + " (" + node.failureSummary.replace(/\s+/g, " ") + ")").join(", "));
}
"""
GRID_LAYOUT_JS = """
() => [...document.querySelectorAll("article .grid")].map((grid) => ({
  text: grid.textContent.trim().slice(0, 60),
  right: grid.getBoundingClientRect().right,
  cells: [...grid.children].map((cell) => cell.getBoundingClientRect().toJSON()),
}))
"""


@pytest.fixture(scope="module", params=NAV_PAGES)
def loaded(request, shared_page):
    """(source, page, watch) for one page, loaded once for all the tests of this module."""
    return shared_page(request.param)


def use_palette(page, scheme):
    """Switch with the header's toggle, as a reader does, unless already in ``scheme``."""
    attribute = SCHEME_ATTRIBUTE[scheme]
    if page.evaluate("() => document.body.dataset.mdColorScheme") != attribute:
        page.click("form[data-md-component=palette] label:not([hidden])")
        page.wait_for_function(f"() => document.body.dataset.mdColorScheme === '{attribute}'")


def test_all_math_typeset(loaded):
    source, page, _ = loaded
    problems = math_problems(page)
    assert not problems, f"{source}:\n" + "\n".join(problems)


def test_offline_and_no_console_errors(loaded):
    source, _, watch = loaded
    problems = watch.problems()
    assert not problems, f"{source}:\n" + "\n".join(problems)


# A subtree the browser skips (content-visibility) leaves the accessibility tree: the MathML that
# screen readers read (mjx-assistive-mml) must never be inside one, though the drawing beside it
# may be (the prerender hook skips drawings off screen). Closed <details> hide theirs on purpose.
SKIPPABLE_MATHML_JS = """
() => [...document.querySelectorAll("mjx-assistive-mml")].filter((mathml) => {
  for (let el = mathml; el; el = el.parentElement) {
    if (el.matches("details:not([open])")) return false;
    if (["auto", "hidden"].includes(getComputedStyle(el).contentVisibility)) return true;
  }
  return false;
}).map((mathml) => (mathml.closest("[id]") || {}).id + ": " + mathml.textContent.slice(0, 40))
"""


def test_no_formula_mathml_can_be_skipped(loaded):
    source, page, _ = loaded
    skippable = page.evaluate(SKIPPABLE_MATHML_JS)
    assert not skippable, f"{source}: MathML inside a skippable subtree:\n" + "\n".join(skippable)


def _math_in_accessibility_tree(page):
    session = page.context.new_cdp_session(page)
    nodes = session.send("Accessibility.getFullAXTree")["nodes"]
    session.detach()
    return sum(1 for node in nodes if node["role"]["value"] == "MathMLMath" and not node["ignored"])


def test_formulas_off_screen_are_in_the_accessibility_tree(shared_page):
    """What the rule above protects, as Chromium builds the tree: the math a screen reader finds
    on the longest derivation page is the same with every skipped subtree forced visible."""
    _, page, _ = shared_page("affine.md")
    as_served = _math_in_accessibility_tree(page)
    style = page.add_style_tag(content="* { content-visibility: visible !important; }")
    page.wait_for_function("() => new Promise((resolve) => requestAnimationFrame(() => resolve(true)))")
    all_laid_out = _math_in_accessibility_tree(page)
    style.evaluate("(element) => element.remove()")

    assert as_served == all_laid_out > 100


@pytest.mark.parametrize("scheme", SCHEME_ATTRIBUTE)
def test_no_serious_accessibility_violations(loaded, axe_script, scheme):
    source, page, watch = loaded
    use_palette(page, scheme)
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=axe_script)

    violations = page.evaluate(AXE_RUN_JS, AXE_TAGS)

    assert not violations, f"{source} ({scheme}):\n" + "\n".join(violations)
    assert not math_problems(page) + watch.problems(), "switching the palette broke the page"


@pytest.mark.parametrize("rank", [0, 1], ids=["longest", "second-longest"])
@pytest.mark.parametrize("scheme", SCHEME_ATTRIBUTE)
def test_screenshot_of_the_longest_pages(open_page, served_site, artifacts_dir, scheme, rank):
    # Which pages are longest is known only once the site is built: the items are the ranks.
    source = longest_pages(served_site.dir, NAV_PAGES, count=2)[rank]
    page, watch = open_page(page_url_path(source))
    use_palette(page, scheme)
    folder = artifacts_dir / "screenshots"
    folder.mkdir(exist_ok=True)
    shot = folder / f"{source.rsplit('.', 1)[0]}-{scheme}.png"

    page.screenshot(path=shot, full_page=True)

    assert shot.stat().st_size > 10_000, f"{shot} looks empty"
    assert not math_problems(page) + watch.problems(), "switching the palette broke the page"


CODE_BLOCKS_JS = """
() => [...document.querySelectorAll("article .grid .highlight pre > code")].map((code) => ({
  text: code.textContent.trim().split("\\n")[0].slice(0, 60),
  scrollWidth: code.scrollWidth,
  clientWidth: code.clientWidth,
}))
"""


def test_formula_stands_above_its_code_and_the_code_is_shown_whole(loaded):
    source, page, _ = loaded
    if not page.evaluate(GRID_LAYOUT_JS):
        pytest.skip('this page has no <div class="grid" markdown>')
    problems = []
    original = page.viewport_size
    try:
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            for grid in page.evaluate(GRID_LAYOUT_JS):
                first, second = grid["cells"][:2]
                if second["top"] < first["bottom"] - 1:
                    problems.append(f"code not below its formula at {width} px: {grid['text']!r}")
            if width == 1280:
                for code in page.evaluate(CODE_BLOCKS_JS):
                    if code["scrollWidth"] > code["clientWidth"] + 1:
                        problems.append(f"code cut at {width} px ({code['scrollWidth']} px of text"
                                        f" in {code['clientWidth']} px): {code['text']!r}")
    finally:
        page.set_viewport_size(original)

    assert not problems, f"{source}:\n" + "\n".join(problems)


def test_each_snippet_is_shown_once_per_page(loaded):
    source, page, _ = loaded
    blocks = page.evaluate(
        "() => [...document.querySelectorAll('article div.highlight code')]"
        ".map((code) => code.textContent.trim()).filter((text) => text.split('\\n').length > 1)")
    repeated = sorted({text.splitlines()[0] for text in blocks if blocks.count(text) > 1})

    assert not repeated, f"{source}: shown more than once: {repeated}"


def test_every_built_page_is_in_the_nav_and_so_under_test(served_site):
    built = sitemap_paths(served_site.dir, served_site.origin)
    tested = sorted(page_url_path(source) for source in NAV_PAGES)

    assert built == tested
