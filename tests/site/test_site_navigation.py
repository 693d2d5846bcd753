"""Moving around the site the way a reader does: the first load and instant navigation."""

import os

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from browser_support import nav_pages, page_url_path
from page_watch import math_problems, wait_for_math

NAV_PAGES = nav_pages()
TYPESET_COUNT_JS = "() => performance.getEntriesByName('math-typeset').length"
# Material takes over a click on a link only once it has read the site's sitemap.xml (its click
# handler pairs each click with the latest sitemap: a click before the first is an ordinary page
# load), and on a loaded machine the sitemap can arrive after the page's math is typeset. So:
# wait for Material's request of the sitemap to end, then read the file once more. Our request
# starts after Material's ended, so its body is read after Material's, whose parse follows in the
# same chain of promises: when ours is read, Material has its sitemap.
SITEMAP_READ_JS = """
async (url) => {
  const deadline = performance.now() + 30000;
  while (!performance.getEntriesByName(url).some((entry) => entry.responseEnd > 0)) {
    if (performance.now() > deadline) throw new Error(`Material never requested ${url}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await (await (await fetch(url)).blob()).text();
}
"""


def click_nav_link(page, url):
    """Click the primary-navigation link to `url`, as a reader would."""
    clicked = page.evaluate(
        """(url) => {
          const link = [...document.querySelectorAll("nav.md-nav--primary a.md-nav__link")]
            .find((anchor) => anchor.href === url);
          if (link) link.click();
          return Boolean(link);
        }""",
        url,
    )
    assert clicked, f"no navigation link to {url}"


def test_instant_navigation_keeps_math_typeset(open_page, served_site):
    page, watch = open_page("/")
    page.evaluate(SITEMAP_READ_JS, served_site.origin + "/sitemap.xml")
    # A full page load would drop this flag: it proves navigation stayed instant (same document).
    page.evaluate("() => { window.stillTheFirstDocument = true; }")
    problems = []
    for source in NAV_PAGES[1:] + NAV_PAGES[:1]:
        url = served_site.origin + page_url_path(source)
        typesets_before = page.evaluate(TYPESET_COUNT_JS)
        click_nav_link(page, url)
        # Waits for the typeset of the new page; a full page reload (a new document, whose count
        # starts again) ends the wait too, and is reported as such below rather than as a timeout.
        try:
            page.wait_for_function(
                "([url, before]) => location.href === url && (window.stillTheFirstDocument !== true"
                " || performance.getEntriesByName('math-typeset').length > before)",
                arg=[url, typesets_before],
            )
        except PlaywrightTimeoutError:
            problems.append(f"{source}: after the click, the page at {page.url} did not typeset "
                            f"its math within 30 s (load average {os.getloadavg()[0]:.1f})")
            break
        wait_for_math(page)
        if not page.evaluate("() => window.stillTheFirstDocument === true"):
            problems.append(f"{source}: full page reload instead of instant navigation")
        problems += [f"{source}: {line}" for line in math_problems(page)]
    problems += watch.problems()

    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("source", NAV_PAGES[:1])
def test_first_load_typesets_once(open_page, source):
    # MathJax's own startup typeset is off; a second typeset racing it is the documented defect.
    page, _ = open_page(page_url_path(source))
    page.wait_for_timeout(300)

    assert page.evaluate(TYPESET_COUNT_JS) == 1
