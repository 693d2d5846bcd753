"""Page speed as a reader gets it: headless Chromium, first visit, empty cache.

For every page in the nav: the time from navigation start to "all math typeset" (the
`math-typeset` performance mark the site's math script sets once the page's formulas are in their
final HTML with styles and fonts loaded, whether typeset at build time or by MathJax), and the bytes
transferred (HTML, scripts, styles, fonts; text assets gzip-compressed by the local server, as
GitHub Pages does). Prints a table, the longest page, and every page against the targets: <= 1.0 s
to typeset, <= 0.6 MB transferred. The machine may be shared: say how loaded it was (printed). A measurement, not a test: it exits 0 either way.

Requests go from the browser to the local server directly, as a reader's do: none is intercepted by
this process (the browser tests' PageWatch does that to block other hosts; here the browser itself
can reach no other host, and a request to one is still reported).

Usage: .venv/bin/python benchmarks/page_speed.py [--repeats 5]   (or `make bench-page`)
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "site"))

from browser_support import (  # noqa: E402 (the helpers live beside the browser tests)
    LocalSiteServer,
    build_site,
    find_chromium,
    launch_chromium,
    longest_pages,
    nav_pages,
    page_url_path,
)
from page_watch import open_in_new_context  # noqa: E402

TYPESET_TARGET_S = 1.0
TRANSFER_TARGET_MB = 0.6

FIRST_VISIT_JS = """
() => {
  const entries = [...performance.getEntriesByType("navigation"),
                   ...performance.getEntriesByType("resource")];
  return {
    typesetMs: performance.getEntriesByName("math-typeset")[0].startTime,
    formulas: document.querySelectorAll("article mjx-container").length,
    transferred: entries.reduce((sum, entry) => sum + entry.transferSize, 0),
    decoded: entries.reduce((sum, entry) => sum + entry.decodedBodySize, 0),
    requests: entries.length,
  };
}
"""


def measure_first_visit(browser, origin, path, intercept=False):
    """One cache-empty visit of ``path``: typeset time (ms), bytes, formulas, request count."""
    # Not intercepted: each request would otherwise make a round trip through this process, which
    # a reader's browser does not (measured: 0.4-0.5 s of a page's time on a loaded machine).
    context, page, watch = open_in_new_context(browser, origin, path, intercept=intercept)
    page.wait_for_load_state("networkidle")
    figures = page.evaluate(FIRST_VISIT_JS)
    context.close()
    if watch.problems():
        raise RuntimeError(f"{path}: " + "; ".join(watch.problems()))
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5, help="visits per page (median)")
    parser.add_argument("--intercept", action="store_true",
                        help="route every request through this process, as the browser tests do")
    arguments = parser.parse_args()
    chromium = find_chromium()
    if chromium is None:
        sys.exit("no Chromium found: install Debian's `chromium` package or set CHROMIUM=/path")

    from playwright.sync_api import sync_playwright

    sources = nav_pages()
    with tempfile.TemporaryDirectory() as site_dir, LocalSiteServer(site_dir) as server:
        started = time.perf_counter()
        build_site(site_dir, site_url=server.origin + "/")
        print(f"mkdocs build --strict: {time.perf_counter() - started:.1f} s\n")
        longest = longest_pages(site_dir, sources, count=1)[0]
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright, chromium, offline=True)
            print(f"{'page':<24}{'formulas':>9}{'typeset s':>11}{'sent kB':>9}"
                  f"{'unzipped kB':>13}{'requests':>10}")
            results = {}
            for source in sources:
                visits = [measure_first_visit(browser, server.origin, page_url_path(source),
                                              intercept=arguments.intercept)
                          for _ in range(arguments.repeats)]
                typeset_s = statistics.median(v["typesetMs"] for v in visits) / 1000
                last = visits[-1]
                results[source] = (typeset_s, last["transferred"])
                print(f"{source + (' *' if source == longest else ''):<24}{last['formulas']:>9}"
                      f"{typeset_s:>11.2f}{last['transferred'] / 1000:>9.0f}"
                      f"{last['decoded'] / 1000:>13.0f}{last['requests']:>10}")
            browser.close()

    typeset_s, transferred = results[longest]
    print(f"\n* longest page: {longest} (median of {arguments.repeats} first visits)")
    print(f"  navigation to all math typeset: {typeset_s:.2f} s "
          f"(target <= {TYPESET_TARGET_S} s: {'met' if typeset_s <= TYPESET_TARGET_S else 'MISSED'})")
    print(f"  transferred: {transferred / 1e6:.2f} MB "
          f"(target <= {TRANSFER_TARGET_MB} MB: "
          f"{'met' if transferred / 1e6 <= TRANSFER_TARGET_MB else 'MISSED'})")
    slow = [source for source, (seconds, _) in results.items() if seconds > TYPESET_TARGET_S]
    heavy = [source for source, (_, sent) in results.items() if sent / 1e6 > TRANSFER_TARGET_MB]
    print(f"every page: typeset <= {TYPESET_TARGET_S} s: "
          f"{'met' if not slow else 'MISSED by ' + ', '.join(slow)}; transferred <= "
          f"{TRANSFER_TARGET_MB} MB: {'met' if not heavy else 'MISSED by ' + ', '.join(heavy)}")
    print(f"load average (1 min) at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
