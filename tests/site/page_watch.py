"""What a reader's browser sees on a page: requests, console errors, and the state of the math.

`PageWatch` is attached to a fresh browser context before the first request. It lets through only
requests to the local server, and records everything a reader would notice going wrong.
"""

import urllib.parse

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

WIDE_VIEWPORT = {"width": 1280, "height": 900}

# Resolves once every typeset that was queued (first load or instant navigation) has finished.
# The site's math script chains each page's typeset (pre-rendered math: styles and fonts; otherwise
# MathJax) on window.mathTypeset, so the chain is followed until it stops growing.
WAIT_FOR_TYPESET_JS = """
async () => {
  let promise;
  do {
    promise = window.mathTypeset;
    await promise;
    await new Promise((resolve) => setTimeout(resolve, 0));
  } while (promise !== window.mathTypeset);
}
"""

MATH_READY_JS = (
    "() => Boolean(window.mathTypeset && performance.getEntriesByName('math-typeset').length)"
)

# Math left as TeX (no MathJax container), error nodes, and TeX-looking text anywhere on the page
# outside rendered math, code or script (e.g. a notebook cell or a table-of-contents entry that
# MathJax did not process).
MATH_REPORT_JS = r"""
() => {
  const content = document.querySelector("article.md-content__inner") || document.body;
  const marked = [...content.querySelectorAll(".arithmatex")];
  const untypeset = marked
    .filter((node) => !node.querySelector("mjx-container"))
    .map((node) => node.textContent.trim().slice(0, 80));
  const errors = [...content.querySelectorAll("mjx-merror")].map(
    (node) => node.getAttribute("data-mjx-error") || node.textContent.slice(0, 80));
  const texPattern = /\\[A-Za-z]{2,}|\\[()[\]]|\$\$|\$[^$\s][^$]*\$/;
  const rawTex = [];
  // The whole body: navigation and table of contents repeat headings that contain math.
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
    acceptNode: (text) =>
      text.parentElement.closest("mjx-container, code, pre, script, style, .md-clipboard")
        ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
  });
  while (walker.nextNode()) {
    const text = walker.currentNode.textContent;
    if (texPattern.test(text)) rawTex.push(text.trim().slice(0, 80));
  }
  return {
    containers: content.querySelectorAll("mjx-container").length,
    marked: marked.length,
    untypeset, errors, rawTex,
  };
}
"""


class PageWatch:
    """Blocks and records requests to other hosts; records console errors, page errors,
    failed requests and HTTP error responses of one browser context.

    With ``intercept=False`` requests to other hosts are recorded but not blocked here: every
    request then goes straight to the network instead of through this Python process (which adds
    hundreds of milliseconds to a page's load on a busy machine). The caller blocks them instead
    (`launch_chromium(..., offline=True)`).
    """

    def __init__(self, context, origin, *, intercept=True):
        self.origin = origin
        self.allowed_netloc = urllib.parse.urlsplit(origin).netloc
        self.blocked_requests = []
        self.console_errors = []
        self.failed_requests = []
        if intercept:
            context.route("**/*", self._route)
        else:
            context.on("request", self._on_request)
        context.on("console", self._on_console)
        context.on("weberror", lambda error: self.console_errors.append(str(error.error)))
        context.on("requestfailed", self._on_request_failed)
        context.on("response", self._on_response)

    def _route(self, route):
        url = route.request.url
        if urllib.parse.urlsplit(url).netloc == self.allowed_netloc:
            route.continue_()
        else:
            self.blocked_requests.append(url)
            route.abort("blockedbyclient")

    def _on_request(self, request):
        if urllib.parse.urlsplit(request.url).netloc not in (self.allowed_netloc, ""):
            self.blocked_requests.append(request.url)

    def _on_console(self, message):
        if message.type == "error":
            self.console_errors.append(f"{message.text} ({message.location.get('url', '')})")

    def _on_request_failed(self, request):
        if request.url not in self.blocked_requests:
            self.failed_requests.append(f"{request.url}: {request.failure}")

    def _on_response(self, response):
        if response.status >= 400:
            self.failed_requests.append(f"{response.url}: HTTP {response.status}")

    def problems(self):
        """Everything recorded so far, as readable lines (empty when the page behaved)."""
        return (
            [f"request to another host: {url}" for url in self.blocked_requests]
            + [f"console error: {text}" for text in self.console_errors]
            + [f"failed request: {text}" for text in self.failed_requests]
        )


def wait_for_math(page, timeout_ms=15_000):
    """Wait until the page's math is typeset and every queued typeset has finished."""
    page.wait_for_function(MATH_READY_JS, timeout=timeout_ms)
    page.evaluate(WAIT_FOR_TYPESET_JS)


def math_problems(page):
    """Readable lines for math left untypeset, MathJax error nodes and raw TeX in the text."""
    report = page.evaluate(MATH_REPORT_JS)
    return (
        [f"formula not typeset: {tex}" for tex in report["untypeset"]]
        + [f"MathJax error node: {text}" for text in report["errors"]]
        + [f"raw TeX in the page text: {text}" for text in report["rawTex"]]
    )


def open_in_new_context(browser, origin, path, *, color_scheme="light", viewport=WIDE_VIEWPORT,
                        intercept=True, init_script=None):
    """Open ``path`` in a fresh context (empty cache) and wait until its math is typeset.

    Returns (context, page, watch); `watch.problems()` lists other-host requests, console errors
    and failed requests seen so far. The caller closes the context. ``intercept``: see `PageWatch`;
    ``init_script``: JavaScript run in every document of the context before the page's own.
    """
    context = browser.new_context(
        color_scheme=color_scheme, viewport=viewport, service_workers="block"
    )
    if init_script is not None:
        context.add_init_script(init_script)
    watch = PageWatch(context, origin, intercept=intercept)
    page = context.new_page()
    page.goto(origin + path, wait_until="load")
    try:
        wait_for_math(page)
    except PlaywrightTimeoutError:
        context.close()
        seen = "\n".join(watch.problems()) or "no failed request or console error"
        pytest.fail(f"{path}: the math was never typeset; {seen}", pytrace=False)
    return context, page, watch
