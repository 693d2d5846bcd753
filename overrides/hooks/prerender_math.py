"""MkDocs hook: typeset every formula at build time, so a reader's browser never runs MathJax.

The site's client MathJax (docs/javascripts/mathjax-config.js) typesets the TeX inside elements of
the classes `arithmatex` (the pages' math), `jp-RenderedMarkdown` (notebook Markdown cells) and
`md-ellipsis` (navigation labels). This hook finds the same TeX in each built page, the same way
MathJax's FindTeX does, and replaces it with MathJax's CommonHTML output plus assistive MathML,
rendered by one Node process per build (overrides/prerender/render.cjs, mathjax-full 3.2.2 from
.tools/, the version of the vendored client MathJax; under `mkdocs serve` one process, and its
results, for all rebuilds). The CHTML styles of every character used on
any page go into one static stylesheet linked from every page, so instant navigation needs no new
styles; its fonts are the vendored ones, addressed relative to the stylesheet.

A TeX error fails `mkdocs build` naming the page and the formula; under `mkdocs serve` it is a
warning and the formula stays TeX, which the client MathJax then shows as an error in place.
The client loads MathJax only for math left unrendered (e.g. a build that ignores hooks).
"""

import atexit
import html
import json
import logging
import re
import shutil
import subprocess
import time
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url

log = logging.getLogger("mkdocs.hooks.prerender_math")

REPO_ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = REPO_ROOT / ".tools" / "node_modules"
RENDER_SCRIPT = REPO_ROOT / "overrides" / "prerender" / "render.cjs"
STYLESHEET = "stylesheets/mathjax-chtml.css"
FONT_DIR = "vendor/mathjax/es5/output/chtml/fonts/woff-v2"
# Laying out a page's 200 display formulas dominated the time to show it (two-layer.md: 1.35 s
# without this rule, 0.87 s with it, median of 5 first visits): the browser now lays out a display
# formula when it nears the viewport. It stays in the page for find-in-page and screen readers; an
# estimated height holds its place until then, and its measured height afterwards.
OFFSCREEN_FORMULAS_CSS = """
.md-typeset div.arithmatex {
  content-visibility: auto;
  contain-intrinsic-block-size: auto 4.5em;
}
"""
# Set on the notebook cells this hook typeset: the client then knows a `$` left there is prose.
PRERENDERED_ATTRIBUTE = "data-math-prerendered"

# The client config's choices, as MathJax compiles them (see HTMLDomStrings and FindTeX).
PROCESS_CLASS = re.compile(r"(?:^| )(?:arithmatex|jp-RenderedMarkdown|md-ellipsis)(?: |$)")
IGNORE_CLASS = re.compile(r"(?:^| )(?:.+)(?: |$)")
SKIP_TAGS = {"script", "noscript", "style", "textarea", "pre", "code", "annotation",
             "annotation-xml"}
RAW_TEXT_TAGS = {"script", "style", "textarea", "title"}
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
             "track", "wbr"}
DELIMITERS = {"$$": ("$$", True), "\\[": ("\\]", True), "\\(": ("\\)", False), "$": ("$", False)}
# Opening delimiters longest first, environments, escaped `\$` or `\\`, and \ref / \eqref (which
# MathJax typesets even outside math: its processRefs option).
_START = re.compile(r"\$\$|\\\[|\\\(|\$|\\begin\s*\{([^}]*)\}|\\([\\$])|(\\(?:eq)?ref\s*\{[^}]*\})")
_TAG = re.compile(r"<!--.*?-->|<![^>]*>|<(/?)([A-Za-z][\w:-]*)((?:\"[^\"]*\"|'[^']*'|[^'\">])*)>",
                  re.DOTALL)
_CLASS = re.compile(r"(?:^|\s)class\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+))")


def find_math(text):
    """Split ``text`` into plain strings and ``(tex, display)`` formulas, as MathJax's FindTeX
    does with the site's delimiters, escapes (``\\$``) and environments.

    >>> find_math(r"a $x_1$ and \\[y\\] cost \\$5, {$$} $a{$}b$ \\eqref{e}")
    ['a ', ('x_1', False), ' and ', ('y', True), ' cost $5, {$$} ', ('a{$}b', False), ' ', ('\\\\eqref{e}', False)]
    >>> find_math(r"\\begin{aligned} a &= b \\end{aligned} and $ unclosed")
    [('\\\\begin{aligned} a &= b \\\\end{aligned}', True), ' and $ unclosed']
    """
    pieces, position, search_from = [], 0, 0
    while (start := _START.search(text, search_from)) is not None:
        search_from = start.end()
        opening, environment, escaped, reference = start.group(0, 1, 2, 3)
        if escaped or reference:
            found = (start.end(), escaped or (reference, False))
        elif environment is not None:
            end = _find_end(text, start.end(), rf"\\end\s*\{{{re.escape(environment)}\}}")
            found = end and (end[1], (text[start.start():end[1]], True))
        else:
            close, display = DELIMITERS[opening]
            end = _find_end(text, start.end(), re.escape(close))
            found = end and (end[1], (text[start.end():end[0]], display))
        if not found:
            continue
        position_after, piece = found
        pieces += [text[position:start.start()], piece]
        position = search_from = position_after
    pieces.append(text[position:])
    return _merge_strings(pieces)


def _find_end(text, position, close_pattern):
    """(start, end) of the closing delimiter at brace depth 0 after ``position``, or None."""
    braces = 0
    for match in re.compile(f"({close_pattern})|\\\\.|[{{}}]", re.DOTALL).finditer(text, position):
        if match.group(1) is not None and braces == 0:
            return match.start(), match.end()
        if match.group(0) == "{":
            braces += 1
        elif match.group(0) == "}" and braces:
            braces -= 1
    return None


def _merge_strings(pieces):
    merged = []
    for piece in pieces:
        if piece == "":
            continue
        if isinstance(piece, str) and merged and isinstance(merged[-1], str):
            merged[-1] += piece
        else:
            merged.append(piece)
    return merged


def prerender_html(page_html, render):
    """Return ``page_html`` with each formula that the client would typeset replaced by
    ``render(tex, display)``; notebook cells get the ``data-math-prerendered`` attribute.

    >>> fake = lambda tex, display: f"<mjx-container display='{display}'>{tex}</mjx-container>"
    >>> prerender_html('<head><title>\\\\(t\\\\)</title></head><body><p class="x">\\\\(a\\\\)</p>'
    ...     '<span class="arithmatex">\\\\(a &lt; b\\\\)</span><code>$c$</code></body>', fake)
    '<head><title>\\\\(t\\\\)</title></head><body><p class="x">\\\\(a\\\\)</p><span class="arithmatex"><mjx-container display=\\'False\\'>a < b</mjx-container></span><code>$c$</code></body>'
    >>> prerender_html('<body><div class="jp-RenderedMarkdown"><p>$x$ <a class="a">$y$</a></p>'
    ...     '<pre>$z$</pre></div></body>', fake)
    '<body><div class="jp-RenderedMarkdown" data-math-prerendered><p><mjx-container display=\\'False\\'>x</mjx-container> <a class="a">$y$</a></p><pre>$z$</pre></div></body>'
    """
    output, position = [], 0
    # Each open element: (tag name, whether MathJax visits its children, whether it searches
    # their text: not below an ignored class, or below a processed one).
    stack, index = [], 0
    while (tag := _TAG.search(page_html, index)) is not None:
        text = page_html[position:tag.start()]
        output.append(_render_text(text, render) if stack and all(stack[-1][1:]) else text)
        closing, name = tag.group(1), (tag.group(2) or "").lower()
        markup, index = tag.group(0), tag.end()
        if name and not closing:
            attributes = tag.group(3)
            classes = _class_of(attributes)
            processed = bool(PROCESS_CLASS.search(classes))
            # MathJax searches from the body down (the head is never searched).
            visited, searched = (True, True) if name == "body" else (stack[-1][1:] if stack else
                                                                     (False, False))
            if name in RAW_TEXT_TAGS:
                end = re.compile(rf"</{name}\s*>", re.IGNORECASE).search(page_html, index)
                index = end.end() if end else len(page_html)
                markup = page_html[tag.start():index]
            elif not (name in VOID_TAGS or attributes.rstrip().endswith("/")):
                searched = (searched and not IGNORE_CLASS.search(classes)) or processed
                stack.append((name, visited and (processed or name not in SKIP_TAGS), searched))
                if processed and "jp-RenderedMarkdown" in classes.split():
                    markup = markup[:-1] + f" {PRERENDERED_ATTRIBUTE}>"
        elif name and closing:
            names = [entry[0] for entry in stack]
            if name in names:
                del stack[len(names) - 1 - names[::-1].index(name):]
        output.append(markup)
        position = index
    output.append(page_html[position:])
    return "".join(output)


def _class_of(attributes):
    match = _CLASS.search(attributes)
    return next((group for group in match.groups() if group is not None), "") if match else ""


def _render_text(text, render):
    if "$" not in text and "\\" not in text:
        return text
    plain = html.unescape(text)
    pieces = find_math(plain)
    if pieces == [plain]:
        return text
    return "".join(html.escape(piece, quote=False) if isinstance(piece, str) else render(*piece)
                   for piece in pieces)


class TexError(Exception):
    """MathJax could not read a formula; the message is MathJax's own."""


class NodeRenderer:
    """One Node process (render.cjs) answering JSON requests, one line each way."""

    def __init__(self, font_url):
        node = shutil.which("node")
        if node is None or not (NODE_MODULES / "mathjax-full").is_dir():
            raise PluginError("prerender_math: needs node and mathjax-full in .tools/node_modules;"
                              " run `make tools` (make serve, build and test do).")
        self._process = subprocess.Popen(
            [node, str(RENDER_SCRIPT), str(NODE_MODULES), font_url],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8",
        )
        self._cache = {}
        self.seconds = 0.0
        atexit.register(self.close)

    def ask(self, request):
        try:
            self._process.stdin.write(json.dumps(request) + "\n")
            self._process.stdin.flush()
            line = self._process.stdout.readline()
        except (BrokenPipeError, OSError) as error:
            raise PluginError(f"prerender_math: the Node renderer stopped ({error})") from None
        if not line:
            raise PluginError(f"prerender_math: the Node renderer exited "
                              f"(code {self._process.poll()}); see its message above")
        return json.loads(line)

    def render(self, tex, display):
        key = (tex, display)
        if key not in self._cache:
            started = time.perf_counter()
            answer = self.ask({"tex": tex, "display": display})
            self.seconds += time.perf_counter() - started
            if "error" in answer:
                raise TexError(answer["error"])
            self._cache[key] = answer["html"]
        return self._cache[key]

    def alive(self):
        return self._process.poll() is None

    def close(self):
        if self._process.poll() is None:
            self._process.stdin.close()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()


_state = {"command": "build", "renderer": None, "formulas": 0}


def on_startup(command, dirty):
    _state["command"] = command


def _renderer():
    if _state["renderer"] is None:
        font_url = get_relative_url(FONT_DIR, STYLESHEET)
        _state["renderer"] = NodeRenderer(font_url)
    return _state["renderer"]


def on_post_page(output, page, config):
    renderer = _renderer()
    renderer.ask({"reset": True})
    source = page.file.src_uri

    def render(tex, display):
        try:
            container = renderer.render(tex, display)
        except TexError as error:
            message = f"{source}: TeX error in formula `{' '.join(tex.split())}`: {error}"
            if _state["command"] == "serve":
                log.warning(message + " (left as TeX; shown in place by the client MathJax)")
                opening, closing = ("\\[", "\\]") if display else ("\\(", "\\)")
                return html.escape(opening + tex + closing, quote=False)
            raise PluginError(message) from None
        _state["formulas"] += 1
        return container

    output = prerender_html(output, render)
    link = f'<link rel="stylesheet" href="{get_relative_url(STYLESHEET, page.url)}">'
    return output.replace("</head>", link + "\n</head>", 1)


def on_post_build(config):
    # Under `mkdocs serve` the renderer lives on between rebuilds: unchanged math is not typeset
    # again, and its stylesheet keeps the characters of every page (a dirty rebuild renders only
    # the changed pages, but the stylesheet serves them all).
    serving = _state["command"] == "serve"
    renderer = _state["renderer"]
    if not serving:
        _state["renderer"] = None
    if renderer is None:
        return
    stylesheet = renderer.ask({"stylesheet": True})["css"] + OFFSCREEN_FORMULAS_CSS
    if not serving:
        renderer.close()
    target = Path(config.site_dir) / STYLESHEET
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(stylesheet, encoding="utf-8")
    if not (Path(config.site_dir) / FONT_DIR).is_dir():
        log.warning(f"prerender_math: {FONT_DIR} is missing from the site; math has no fonts")
    log.info(f"prerender_math: {_state['formulas']} formulas ({len(renderer._cache)} distinct"
             f"{' so far' if serving else ''}) typeset at build time in {renderer.seconds:.1f} s")
    _state["formulas"] = 0
    renderer.seconds = 0.0


def on_build_error(error):
    renderer = _state["renderer"]
    if _state["command"] == "serve" and renderer is not None and renderer.alive():
        return  # kept: the next (dirty) rebuild's stylesheet must still cover every page
    _state["renderer"] = None
    if renderer is not None:
        renderer.close()
