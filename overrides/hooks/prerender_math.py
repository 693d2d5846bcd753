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

Typeset formulas are kept between builds under `.cache/prerender_math/` of the working folder
(`RenderedMathCache`; set PRERENDER_MATH_CACHE_DIR to move it, or to `off`): a build typesets
only the formulas no earlier build did. A formula is kept with what it adds to the stylesheet, and
for one taken from the cache the Node process is told that instead, so the stylesheet is the same
as if every formula had been typeset (tests/site/test_site_prerender.py builds a site both ways).
The one error MathJax finds across formulas, an equation label used twice on a page, is found for
every page by the checker's plugin (marks.duplicate_labels): a formula from the cache cannot hide it.

A TeX error fails `mkdocs build` naming the page and the formula; under `mkdocs serve` it is a
warning and the formula stays TeX, which the client MathJax then shows as an error in place.
The client loads MathJax only for math left unrendered (e.g. a build that ignores hooks).

The events it handles (MkDocs calls each `on_` function of a hook file):

>>> sorted(name for name in dir() if name.startswith("on_"))
['on_build_error', 'on_post_build', 'on_post_page', 'on_startup']
"""

import atexit
import hashlib
import html
import json
import logging
import os
import posixpath
import re
import shutil
import subprocess
import time
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url

# What MathJax typesets and how it finds it, shared with the formula checker's hook, which proves
# that the math of every page is the math the checker accounted for.
from formulacheck.faces.site.html_math import PRERENDERED_ATTRIBUTE, find_math, prerender_html  # noqa: F401
from formulacheck.pages.cache import cache_setting

log = logging.getLogger("mkdocs.hooks.prerender_math")

REPO_ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = REPO_ROOT / ".tools" / "node_modules"
RENDER_SCRIPT = REPO_ROOT / "overrides" / "prerender" / "render.cjs"
STYLESHEET = "stylesheets/mathjax-chtml.css"
# Relative to the working folder, as the checker's results cache (`.cache/formulacheck`).
DEFAULT_CACHE_DIR = os.path.join(".cache", "prerender_math")
FONT_DIR = "vendor/mathjax/es5/output/chtml/fonts/woff-v2"
# Laying out a page's hundreds of display formulas dominates the time to show it: the browser lays
# out a display formula's drawing (`mjx-math`) only when it nears the viewport. Until then its box
# has the size MathJax computed at build time (render.cjs writes it as the drawing's
# contain-intrinsic-size), so the page has its true height from the start. The container is not
# skipped: a skipped subtree leaves the accessibility tree, and the container also holds the
# formula's MathML for screen readers (`mjx-assistive-mml`).
# content-visibility clips paint to the drawing's padding box, and MathJax's boxes are not its ink:
# superscripts and accents reach above them (measured: up to 3% of a formula's ink cut). The
# padding gives the ink room on every side; the negative vertical margins take it back out of the
# layout, so lines and page heights are as without it.
OFFSCREEN_FORMULAS_CSS = """
.md-typeset mjx-container[jax="CHTML"][display="true"] > mjx-math {
  content-visibility: auto;
  padding: 0.5em 0.25em;
  margin-top: -0.5em;
  margin-bottom: -0.5em;
}
"""


# A formula's fonts are requested only once the browser lays it out: after the page is parsed and
# its scripts have run, and for a display formula only once it nears the viewport. Preloading the
# fonts a page's math uses lets them arrive while the page is still being parsed, instead of
# after it (on the page-speed benchmark the fonts, not the parsing, were the last thing a page
# waited for before its math was typeset).
FONT_FACE = re.compile(r'font-family:\s*(MJX[\w-]+);\s*src:\s*url\("([^"]+)"\)')
# Every character is drawn from MJXZERO (zero-width space) then its variant's font; a variant
# is a class on the character, and characters of no variant class use `.MJX-TEX`'s font.
VARIANT_FONTS = re.compile(r"\.(TEX-\w+|MJX-TEX)\s*\{\s*font-family:\s*MJXZERO,\s*(MJX[\w-]+);")
VARIANT_CLASS = re.compile(r'<mjx-c class="[^"]*\b(TEX-\w+)"')


def font_preloads(page_html, stylesheet_css):
    """The `<link rel="preload">` tags for the MathJax fonts the typeset math in ``page_html`` uses.

    ``stylesheet_css`` is the CHTML stylesheet: its @font-face rules name each font family's file
    (relative to the stylesheet) and its variant rules name each variant class's family. The URLs
    are returned relative to the stylesheet; `on_post_page` makes them relative to the page.

    >>> css = ('@font-face { font-family: MJXZERO; src: url("f/Zero.woff") format("woff"); }\\n'
    ...        '@font-face { font-family: MJXTEX; src: url("f/Main.woff") format("woff"); }\\n'
    ...        '@font-face { font-family: MJXTEX-I; src: url("f/Italic.woff") format("woff"); }\\n'
    ...        '.MJX-TEX { font-family: MJXZERO, MJXTEX; }\\n'
    ...        '.TEX-I { font-family: MJXZERO, MJXTEX-I; }\\n')
    >>> page = '<mjx-container><mjx-c class="mjx-c1D465 TEX-I"></mjx-c></mjx-container>'
    >>> font_preloads(page, css)
    ['f/Italic.woff', 'f/Main.woff', 'f/Zero.woff']
    >>> font_preloads("<p>no math</p>", css)
    []
    """
    if "<mjx-container" not in page_html:
        return []
    files = dict(FONT_FACE.findall(stylesheet_css))
    variants = dict(VARIANT_FONTS.findall(stylesheet_css))
    families = {"MJXZERO", variants["MJX-TEX"]}
    used = set(VARIANT_CLASS.findall(page_html))
    families |= {variants[name] for name in used if name in variants}
    return sorted(files[family] for family in families)


class RenderedMathCache:
    """Typeset formulas kept between builds, as pack files in ``folder``: each build that typeset
    formulas no pack had adds one pack of them, and once there are MAX_PACKS packs, one pack of the
    formulas the build used replaces them all. A pack is `{"version": ..., "formulas": {key: [html,
    usage]}}`, the key a hash of the formula; the version a hash of everything typesetting depends
    on besides (the renderer script, the mathjax-full version, the fonts' URL), so a pack of
    another version is not read. Only formulas that typeset without error are kept; a pack that
    cannot be read counts as absent. (One pack a build, not one file a formula: creating 1,800
    files added a second to a build that typesets every formula.)
    """

    MAX_PACKS = 20
    USAGE_KINDS = {"w", "c", "d"}  # render.cjs: a wrapper, a character, a stretchy delimiter

    def __init__(self, folder, font_url):
        self.folder = Path(folder)
        package = json.loads((NODE_MODULES / "mathjax-full" / "package.json").read_text("utf-8"))
        inputs = [RENDER_SCRIPT.read_bytes(), package["version"].encode(), font_url.encode()]
        self.version = hashlib.sha256(b"\0".join(inputs)).hexdigest()
        self._formulas = None  # key -> [html, usage], read at the first lookup
        self._packs, self._new, self._used = [], {}, set()

    @classmethod
    def from_environment(cls, font_url):
        """The cache PRERENDER_MATH_CACHE_DIR names (default `.cache/prerender_math`), or None for
        `off` or an empty value (read as FORMULACHECK_CACHE_DIR is: an empty value never means the
        working folder)."""
        folder = cache_setting("PRERENDER_MATH_CACHE_DIR", DEFAULT_CACHE_DIR)
        return None if folder is None else cls(folder, font_url)

    @staticmethod
    def _key(tex, display):
        return hashlib.sha256((b"D" if display else b"I") + tex.encode("utf-8")).hexdigest()

    def _read(self):
        if self._formulas is not None:
            return
        self._formulas = {}
        for path in sorted(self.folder.glob("*.json")) if self.folder.is_dir() else []:
            try:
                pack = json.loads(path.read_text("utf-8"))
                if pack["version"] == self.version:
                    self._formulas.update(pack["formulas"])
            except (OSError, ValueError, KeyError, TypeError):
                pass
            self._packs.append(path)

    def get(self, tex, display):
        """(html, usage) of the formula, or None."""
        self._read()
        key = self._key(tex, display)
        found = self._formulas.get(key)
        if not (isinstance(found, list) and len(found) == 2 and isinstance(found[0], str)
                and isinstance(found[1], list) and all(
                    isinstance(use, list) and len(use) == 2 and use[0] in self.USAGE_KINDS
                    for use in found[1])):
            return None
        self._used.add(key)
        return found[0], found[1]

    def put(self, tex, display, html_text, usage):
        self._read()
        key = self._key(tex, display)
        self._formulas[key] = self._new[key] = [html_text, usage]
        self._used.add(key)

    def save(self):
        """Write the formulas typeset since the last save as a pack (or, once there are MAX_PACKS,
        every formula used since this cache was made, in place of every pack)."""
        if not self._new:  # a build that typeset nothing new writes nothing
            return
        replace_all = len(self._packs) >= self.MAX_PACKS
        formulas = {key: self._formulas[key] for key in self._used} if replace_all else self._new
        path = self.folder / f"{time.time_ns()}-{os.getpid()}.json"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(".tmp")  # a build reading the folder now must not see it
            partial.write_text(json.dumps({"version": self.version, "formulas": formulas}),
                               encoding="utf-8")
            os.replace(partial, path)
        except OSError as error:  # a cache that cannot be written costs time, not the build
            log.warning(f"prerender_math: cannot keep the typeset formulas in {self.folder}: "
                        f"{error}")
            return
        if replace_all:
            for old in self._packs:
                try:
                    os.remove(old)
                except OSError:
                    pass
            self._packs = []
        self._packs.append(path)
        self._new = {}


class TexError(Exception):
    """MathJax could not read a formula; the message is MathJax's own."""


class NodeRenderer:
    """One Node process (render.cjs) answering JSON requests, one line each way; with a
    ``cache`` (a RenderedMathCache), formulas typeset by earlier builds are taken from it."""

    def __init__(self, font_url, cache=None):
        node = shutil.which("node")
        if node is None or not (NODE_MODULES / "mathjax-full").is_dir():
            raise PluginError("prerender_math: needs node and mathjax-full in .tools/node_modules;"
                              " run `make tools` (make serve, build and test do).")
        self._process = subprocess.Popen(
            [node, str(RENDER_SCRIPT), str(NODE_MODULES), font_url],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8",
        )
        self._cache = {}
        self.disk = cache
        # What the formulas taken from the disk cache use, told to Node before its next answer, in
        # order (its Usage lists keep the order of first uses, the stylesheet's, and ignore repeats).
        self._usage = []
        self.seconds = 0.0
        self.from_disk = 0
        atexit.register(self.close)

    def ask(self, request):
        if self._usage:
            usage, self._usage = self._usage, []
            told = self._ask({"use": usage})
            if "error" in told:
                folder = self.disk.folder if self.disk else DEFAULT_CACHE_DIR
                raise PluginError(f"prerender_math: the renderer refused what a cached formula "
                                  f"uses ({told['error']}); delete {folder} and build again")
        return self._ask(request)

    def _ask(self, request):
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
        if key in self._cache:
            return self._cache[key]
        stored = self.disk and self.disk.get(tex, display)
        if stored:
            html_text, usage = stored
            self._tell(usage)
            self.from_disk += 1
        else:
            started = time.perf_counter()
            answer = self.ask({"tex": tex, "display": display})
            self.seconds += time.perf_counter() - started
            if "error" in answer:
                raise TexError(answer["error"])
            html_text, usage = answer["html"], answer["usage"]
            if self.disk:
                self.disk.put(tex, display, html_text, usage)
        self._cache[key] = html_text
        return html_text

    def _tell(self, usage):
        self._usage += usage

    def alive(self):
        return self._process.poll() is None

    def close(self):
        if self._process.poll() is None:
            self._process.stdin.close()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()


_state = {"command": "build", "renderer": None, "formulas": 0, "font_css": None}


def on_startup(command, dirty):
    _state["command"] = command


def _renderer():
    if _state["renderer"] is None:
        font_url = get_relative_url(FONT_DIR, STYLESHEET)
        _state["renderer"] = NodeRenderer(font_url, RenderedMathCache.from_environment(font_url))
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
    stylesheet_url = get_relative_url(STYLESHEET, page.url)
    links = [f'<link rel="stylesheet" href="{stylesheet_url}">']
    if _state["font_css"] is None:
        # The @font-face and variant rules are the same in every build's stylesheet.
        _state["font_css"] = renderer.ask({"stylesheet": True})["css"]
    for font in font_preloads(output, _state["font_css"]):
        font_url = posixpath.normpath(posixpath.join(posixpath.dirname(stylesheet_url), font))
        links.append(
            f'<link rel="preload" href="{font_url}" as="font" type="font/woff" crossorigin>'
        )
    return output.replace("</head>", "\n".join(links) + "\n</head>", 1)


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
    if renderer.disk:
        renderer.disk.save()
    log.info(f"prerender_math: {_state['formulas']} formulas ({len(renderer._cache)} distinct"
             f"{' so far' if serving else ''}, {renderer.from_disk} of them from the cache) "
             f"typeset at build time in {renderer.seconds:.1f} s")
    _state["formulas"] = 0
    renderer.seconds, renderer.from_disk = 0.0, 0


def on_build_error(error):
    renderer = _state["renderer"]
    if _state["command"] == "serve" and renderer is not None and renderer.alive():
        return  # kept: the next (dirty) rebuild's stylesheet must still cover every page
    _state["renderer"] = None
    if renderer is not None:
        renderer.close()
