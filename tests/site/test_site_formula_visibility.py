"""Every display formula can be read in full, on a 320 px phone as on a 1280 px desktop.

For each display formula the test takes what MathJax drew - the boxes of its glyphs and rules,
which reach outside the `mjx-math` box (superscripts, accents) - and walks up from the drawing
itself through its ancestors as the browser paints them: an element that scrolls sideways must be
able to scroll to both ends of the formula (its `scrollWidth` covers it), and from there on only
the scroller's own box counts; an element that clips (overflow hidden/clip, paint containment as
with `content-visibility`) must hold the formula whole, and so must any of them from top to bottom.
What is left must lie inside the viewport. A formula wider than its column must also show that it
scrolls (the shaded edge of site.css).
"""

import functools
import io

import pytest

from browser_support import nav_pages

NAV_PAGES = nav_pages()
WIDTHS = {"phone-320": 320, "phone-390": 390, "desktop-1280": 1280}

VISIBILITY_JS = r"""
() => {
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + (el.classList.length ? "." + [...el.classList].join(".") : "");
  const viewport = document.documentElement.clientWidth;
  const formulas = [...document.querySelectorAll('article mjx-container[display="true"]')];
  const problems = [];
  let wide = 0;
  for (const container of formulas) {
    const math = container.querySelector("mjx-math") || container;
    const drawn = math.getBoundingClientRect();
    // The ink: glyphs (mjx-c) and rules (fraction bars, mjx-line), as boxes MathJax gave them.
    const ink = [...math.querySelectorAll("mjx-c, mjx-line")]
      .map((part) => part.getBoundingClientRect()).filter((box) => box.width && box.height);
    const top = Math.min(...ink.map((box) => box.top)), bottom = Math.max(...ink.map((box) => box.bottom));
    const where = (container.closest("[id]") || {}).id || "(no id)";
    const tex = (container.closest(".arithmatex") || container).textContent.trim().slice(0, 50);
    let left = Math.min(drawn.left, ...ink.map((box) => box.left));
    let right = Math.max(drawn.right, ...ink.map((box) => box.right));
    let problem = null, scroller = null;
    for (let el = math; el && el !== document.documentElement; el = el.parentElement) {
      const style = getComputedStyle(el);
      const box = el.getBoundingClientRect();
      const inner = box.left + el.clientLeft, innerTop = box.top + el.clientTop;
      const scrolls = ["auto", "scroll"].includes(style.overflowX);
      const clips = ["hidden", "clip"].includes(style.overflowX)
        || /paint|strict|content/.test(style.contain)
        || ["auto", "hidden"].includes(style.contentVisibility);
      // Anything that scrolls or clips in one direction cuts off in the other (overflow-y
      // computes to auto or hidden with it).
      if ((scrolls || clips) && (top < innerTop - 1 || bottom > innerTop + el.clientHeight + 1)) {
        problem = `cut off at the ${top < innerTop - 1 ? "top" : "bottom"} by ${describe(el)}`
          + ` (${Math.round(innerTop - top)} px above, ${Math.round(bottom - innerTop - el.clientHeight)} px below)`;
        break;
      }
      if (scrolls) {
        const start = inner - el.scrollLeft, end = start + el.scrollWidth;
        if (left < start - 1 || right > end + 1) {
          problem = `cannot be scrolled into view in ${describe(el)}`;
          break;
        }
        if (!scroller && el.scrollWidth > el.clientWidth + 1) scroller = el;
        left = Math.max(left, inner);
        right = Math.min(right, inner + el.clientWidth);
      } else if (clips && (left < inner - 1 || right > inner + el.clientWidth + 1)) {
        problem = `clipped by ${describe(el)} (${style.overflowX}, contain: ${style.contain},`
          + ` content-visibility: ${style.contentVisibility})`;
        break;
      }
    }
    if (!problem && (left < -1 || right > viewport + 1)) {
      problem = `reaches outside the viewport (${Math.round(left)}..${Math.round(right)} px)`;
    }
    if (!problem && scroller) {
      wide += 1;
      if (!/gradient/.test(getComputedStyle(scroller).backgroundImage)) {
        problem = `scrolls in ${describe(scroller)} without a visible cue`;
      }
    }
    if (problem) {
      problems.push(`#${where} (${Math.round(drawn.width)} px wide) ${problem}: ${tex}`);
    }
  }
  return { count: formulas.length, wide, problems };
}
"""

# Scroll through the whole page, one screen at a time, waiting for two frames at each stop, so that
# anything laid out lazily (content-visibility) gets its real size.
SCROLL_THROUGH_JS = """
async () => {
  const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
  for (let y = 0; y < document.documentElement.scrollHeight; y += innerHeight) {
    scrollTo(0, y);
    await frame();
    await frame();
  }
  scrollTo(0, 0);
  await frame();
}
"""


@pytest.fixture(scope="module", params=NAV_PAGES)
def loaded(request, shared_page):
    source, page, _ = shared_page(request.param)
    return source, page


@pytest.fixture(scope="module")
def measured(loaded):
    """`measure` of the loaded page, taken once per width: the two tests at one width read one
    measurement (it lays out and walks every formula of the page; taken for each test, the
    module's tests of four pages took 24 s, once per width 18.5 s). Set up again for each page."""
    _, page = loaded
    return functools.cache(lambda width: measure(page, width))


# After a resize the theme animates some widths (the search box eases to its new width over
# 250 ms): measured mid-way, a page is wider than the viewport for a moment (seen: 1334 px at
# 1280). So the measurement waits one frame, for the transitions to start, then takes every finite
# one to its end (the layout it ends in, without waiting 250 ms for it at each width).
SETTLE_JS = """
async () => {
  await new Promise((resolve) => requestAnimationFrame(() => resolve()));
  for (const animation of document.getAnimations()) {
    if (animation.effect && animation.effect.getComputedTiming().endTime !== Infinity) {
      animation.finish();
    }
  }
}
"""


def measure(page, width):
    """The formulas' visibility (VISIBILITY_JS) and the document's scroll and client widths, at
    `width` once the layout has settled."""
    page.set_viewport_size({"width": width, "height": 800})
    page.evaluate(SETTLE_JS)
    report = page.evaluate(VISIBILITY_JS)
    report["page_widths"] = page.evaluate("() => [document.documentElement.scrollWidth,"
                                          " document.documentElement.clientWidth]")
    return report


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_every_display_formula_can_be_seen_whole(loaded, measured, width):
    source, _ = loaded
    report = measured(width)
    print(f"{source} at {width} px: {report['count']} display formulas, "
          f"{report['wide']} scroll in their box, {len(report['problems'])} cannot be seen whole")

    assert not report["problems"], f"{source} at {width} px:\n" + "\n".join(report["problems"])


def test_the_page_height_does_not_change_when_read_to_the_end(loaded):
    source, page = loaded
    page.set_viewport_size({"width": 1280, "height": 800})
    before = page.evaluate("() => document.documentElement.scrollHeight")
    page.evaluate(SCROLL_THROUGH_JS)
    after = page.evaluate("() => document.documentElement.scrollHeight")
    formulas = page.evaluate("""() => document.querySelectorAll(
        'article mjx-container[display="true"]').length""")
    # An off-screen display formula holds the height MathJax computed at build time; the browser
    # draws it with each nested box snapped to its layout unit (1/64 px), a fraction of a pixel
    # off (measured: at most 1.8 px for a 34-row alignment, 0.11 px for most), not a guess of
    # ems per formula (which was off by 1,116 px on the two-layer page).
    tolerance = 1 + 0.2 * formulas

    assert abs(after - before) <= tolerance, (
        f"{source}: {before} px tall when loaded, {after} px once every part was on screen"
        f" ({formulas} display formulas, tolerance {tolerance:.1f} px)")


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_the_page_does_not_scroll_sideways(loaded, measured, width):
    source, _ = loaded
    sizes = measured(width)["page_widths"]

    assert sizes[0] <= sizes[1], f"{source} at {width} px is {sizes[0]} px wide"


def _ink(png):
    """How much is drawn in a screenshot: the sum over pixels of their darkness (0-255)."""
    from PIL import Image
    gray = Image.open(io.BytesIO(png)).convert("L")
    return sum(255 - value for value in gray.get_flattened_data())


def test_lazy_layout_cuts_no_ink_off_a_formula(shared_page):
    """Skipping a formula's layout off screen also clips its paint to its box, and a formula's ink
    reaches past the boxes MathJax gives it (superscripts above the top): the drawing must keep
    room for it. Each display formula of a page with many superscripts is photographed with a
    margin around it, as served and with nothing skipped; the ink must be the same (a cut
    superscript removed 1-3% of a formula's ink; anti-aliasing of the same drawing moved by a
    fraction of a pixel changes it by under 0.5%)."""
    _, page, _ = shared_page("regularization.md")
    page.set_viewport_size({"width": 1280, "height": 800})
    formulas = page.locator('article mjx-container[display="true"]')
    count = formulas.count()

    def photographs():
        shots = []
        for index in range(count):
            formula = formulas.nth(index)
            formula.scroll_into_view_if_needed()
            page.evaluate(SETTLE_JS)
            box = formula.bounding_box()
            left, top = max(0, box["x"] - 8), max(0, box["y"] - 12)
            shots.append(page.screenshot(clip={"x": left, "y": top, "height": box["height"] + 24,
                                               "width": min(box["width"] + 16, 1280 - left)}))
        return [_ink(shot) for shot in shots]

    as_served = photographs()
    style = page.add_style_tag(content="* { content-visibility: visible !important; }")
    laid_out = photographs()
    style.evaluate("(element) => element.remove()")

    cut = [(index, served, full) for index, (served, full) in enumerate(zip(as_served, laid_out))
           if abs(served - full) > 0.005 * full]
    assert count >= 10 and not cut, f"{count} formulas; ink as served vs laid out: {cut}"
