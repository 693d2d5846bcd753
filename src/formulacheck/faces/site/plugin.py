"""The MkDocs face of the checker: a mark on every formula, the coverage page, no wrong formula.

The events of one build; the plugin MkDocs loads (`plugins: [formulacheck]`, its options and the
order of its events among other plugins and hooks) is faces/site/mkdocs_plugin.py. Per build:

- `on_nav` checks every page once (`check_markdown` on the text MkDocs will render) and, under
  `mkdocs build` / `gh-deploy`, stops the build with the checker's messages if any formula failed
  (a `PluginError`: MkDocs prints it without a traceback). Under `mkdocs serve` it logs a warning
  and the page shows the failure in place, so the live preview keeps working.
- `on_page_markdown` puts a placeholder above each display block; the Markdown extension of
  `faces/site/mark_tree.py` turns it into the mark and the formula's anchor, and gives each inline span its
  small mark (a class and a title). On the coverage page it returns the generated coverage instead
  of the committed stub.
- `on_post_build` replaces the TeX in the search index by readable math (faces/site/search_text.py).
- `on_page_content` proves that the checker read exactly the math the reader sees: the formulas
  MathJax will typeset in the page's HTML (`html_math.math_in_html`) and the blocks and spans the
  checker accounted for (checked, or classified or marked with a reason) must be the same
  multiset; a formula only one side has stops the build with `page:LINE:COL`. A formula that comes
  from no line of the page (a docstring rendered by mkdocstrings on an API reference page) has
  no line to check, so it is refused the same way: docstrings carry no math; so is math that a
  snippet (`--8<--`) brings onto the page, at the snippet's line. And a formula in an element the
  page keeps from the reader (the `hidden` attribute, a style of `display: none` or `visibility:
  hidden`: `html_math.hides`) is refused: a claim the reader sees must not rest on a definition
  the reader cannot. So is math in a notebook cell's output (`notebook_outputs.py`), which the
  checker does not read.

A tool that ignores hooks (Zensical) builds the same pages without marks, and the stub coverage page
says how to get the numbers (`formulacheck docs/*.md`).
"""

from __future__ import annotations

import logging
import os
import re
import xml.etree.ElementTree as etree
from html import escape
from dataclasses import dataclass
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.utils.meta import get_data

# A page whose text, checker and `code:` packages are unchanged reuses an earlier build's result.
from ...pages.cache import cached_check_markdown, cached_check_page
from .coverage import CoveredPage, coverage_markdown
from .html_math import math_in_html, rewrite_math
from .evidence_html import inline_sign, mark_math
from .mark_tree import MarkRegistry, MarksExtension, mark_element
from .search_text import rewrite_search_index
from .marks import duplicate_labels, inline_mark, insert_placeholders, marks
from .snippets import missing_snippets, snippet_showing
from .notebook_outputs import math_outputs, output_math_problems
from ...mutation.records import SUFFIX as RECORD_SUFFIX
from ...pages.notebook import code_cell_places
from ...pages.results import Status

__all__ = ["on_startup", "on_config", "on_files", "on_nav", "on_page_markdown", "on_page_content",
           "on_post_build"]

COVERAGE_PAGE = "coverage.md"
log = logging.getLogger("mkdocs.plugins.formulacheck")


@dataclass
class Options:
    """The plugin's options (mkdocs.yml, `plugins: - formulacheck: {trials: 5}`), as one build
    uses them; the defaults are what a site gets without options."""

    trials: int = 3
    seed: int = 0
    coverage_page: str = COVERAGE_PAGE  # generated in place of the committed stub
    stop_serve_on_failure: bool = False  # `mkdocs serve` shows a failure in place by default


OPTIONS = Options()


class _Build:
    """What one build knows: the command, the placeholder registry, each page's checked text."""

    serving = False  # set once per `mkdocs` invocation by on_startup; a build by default refuses

    def __init__(self):
        self.registry = MarkRegistry()
        self.checked: dict = {}  # src_uri -> (markdown text, front-matter lines, PageResult)
        self.results: dict = {}  # src_uri -> (PageResult, page text), what the HTML must show
        self.titles: dict = {}
        self.pages: list = []  # CoveredPage, in the site's order
        self.coverage_math: list = []  # (tex, display) the coverage page shows


_build = _Build()


def on_startup(command, dirty):
    """`mkdocs serve` shows failures in place; `build` and `gh-deploy` refuse them."""
    _Build.serving = command == "serve"


def on_config(config):
    global _build
    _build = _Build()
    config.markdown_extensions.append(MarksExtension(_build.registry))
    if OPTIONS.coverage_page and "md_in_html" not in config.markdown_extensions:
        # The coverage page is Markdown inside <div markdown> (coverage.py); without md_in_html the
        # tables and formulas in it stay raw text, and the page's math is not the math it shows.
        # The extension acts only on elements that carry a markdown attribute.
        config.markdown_extensions.append("md_in_html")
    return config


def on_files(files, config):
    """The site publishes no record of equivalent mutants (`docs/NAME.mutants.yml` beside its page
    is for the page's authors and `formulacheck mutate`, not for readers)."""
    for file in [f for f in files if f.src_uri.endswith(RECORD_SUFFIX)]:
        files.remove(file)
    return files


def on_nav(nav, config, files):
    for page in nav.pages:
        if page.title:
            _build.titles[page.file.src_uri] = page.title
    ordered = [p.file for p in nav.pages] + [f for f in files.documentation_pages()
                                             if f not in {p.file for p in nav.pages}]
    problems = []
    for file in ordered:
        if file.src_uri == OPTIONS.coverage_page:
            continue
        if file.src_uri.endswith(".md") and "pymdownx.snippets" in config.markdown_extensions:
            problems += missing_snippets(file.content_string, _page_name(file.src_uri, config),
                                         config.mdx_configs.get("pymdownx.snippets", {}))
        covered = _check_file(file, config)
        if covered is None:
            continue
        _build.pages.append(covered)
        if covered.result is not None:
            problems += _problems(covered.result)
    _report(problems)
    return nav


def coverage_inputs() -> str:
    """Everything this build's coverage page is made from, as text: each page's name, title and
    the checker's result (statuses, marks' evidence). Under `mkdocs serve --dirty` the page is
    rendered again only when this changes (overrides/hooks/live_rebuild.py): an edit of prose
    changes no result, and rendering the page's copies of every formula took a quarter of a save's
    rebuild."""
    return repr([(page.src_uri, page.title, page.result, page.problem) for page in _build.pages])


def on_page_markdown(markdown, page, config, files):
    src_uri = page.file.src_uri
    _build.registry.inline = []
    _build.registry.mark_math = []
    if src_uri == OPTIONS.coverage_page:
        _build.coverage_math = []
        return coverage_markdown(_build.pages, _build.coverage_math)
    if not src_uri.endswith(".md"):
        return markdown
    known = _build.checked.get(src_uri)
    if known is not None and known[0] == markdown:
        _, offset, result = known
    else:  # another plugin changed the text after on_nav: check what will be rendered
        offset, result = 0, cached_check_markdown(markdown, _page_name(src_uri, config),
                                                    trials=OPTIONS.trials, seed=OPTIONS.seed)
        _report(_problems(result))
    _build.results[src_uri] = (result, "\n" * offset + markdown)
    _build.registry.inline = [(flat(span.source), inline_mark(span)) for span in result.spans]
    if not result.blocks:
        return markdown
    tokens = [_build.registry.add(mark) for mark in marks(result.blocks)]
    return insert_placeholders(markdown, result.blocks, tokens, offset)


def on_page_content(html, page, config, files):
    """The math of the page's HTML must be the math the checker accounted for (see above)."""
    src_uri = page.file.src_uri
    result, text = _build.results.get(src_uri, (None, ""))
    hidden = []
    shown = math_in_html(html, hidden)
    accounted = [] if result is None else (
        [(b.source, True, b.line, 1) for b in result.blocks]
        + [(s.source, False, s.line, s.start_col) for s in result.spans])
    # Math the marks hold is a copy of checked math (names, links' sides), shown as evidence.
    if src_uri.endswith(".md"):  # a notebook's marks are written after this check
        accounted += [(tex, False, 0, 0) for tex in _build.registry.mark_math]
    if src_uri == OPTIONS.coverage_page:  # the coverage page shows copies of the checked formulas
        accounted += [(tex, display, 0, 0) for tex, display in _build.coverage_math]
    name = _page_name(src_uri, config)
    problems = []
    if src_uri.endswith(".ipynb"):  # math in a code cell's output: refused at the cell
        outputs = math_outputs(html)
        problems += output_math_problems(outputs, code_cell_places(text), name)
        accounted += [(tex, display, 0, 0) for _, kind, tex, display in outputs
                      if kind == "markdown"]
    snippets = (config.mdx_configs.get("pymdownx.snippets", {})
                if "pymdownx.snippets" in config.markdown_extensions else None)
    problems += (unaccounted_math(shown, accounted, text, name, snippets)
                 + hidden_math(hidden, accounted, text, name))
    _report(problems, what="formula")
    if result is not None and src_uri.endswith(".ipynb") and (result.spans or result.blocks):
        html = mark_notebook_math(html, result)
    return html


def on_post_build(config):
    """The search index gets readable math instead of TeX (faces/site/search_text.py)."""
    changed = rewrite_search_index(config.site_dir)
    log.debug("formulacheck: readable math in %d search entries", changed)


def mark_notebook_math(html: str, result) -> str:
    """A notebook's inline formulas get the marks the Markdown extension gives a page's: nbconvert
    leaves them as `$...$` text in the cells, so each becomes an arithmatex span (which MathJax and
    the build-time renderer typeset the same way) with its status class and title, and a checked
    claim its `✓` button. Its popover (the evidence) holds blocks, which a cell's paragraph cannot:
    the popovers follow the notebook's cells, and a popover shows in the top layer wherever it
    stands."""
    pending = [(flat(span.source), inline_mark(span)) for span in result.spans]
    blocks = list(zip((flat(b.source) for b in result.blocks), marks(result.blocks)))
    placed: dict = {}  # token -> the mark of the display formula before it
    popovers: list = []

    def mark(tex, display):
        if display:
            at = next((k for k, (known, _) in enumerate(blocks) if known == flat(tex)), None)
            shown = escape("$$" + tex + "$$", quote=False)
            if at is None:
                return shown
            token = f"fcnotebookmark{len(placed)}x"
            placed[token] = (blocks.pop(at)[1], tex, shown)
            return token
        at = next((k for k, (known, _) in enumerate(pending) if known == flat(tex)), None)
        if at is None:
            return escape("$" + tex + "$", quote=False)
        found = pending.pop(at)[1]
        element = (f'<span class="arithmatex fc-inline fc-inline--{found.status}" '
                   f'title="{escape("Formula checker: " + found.text)}">'
                   f'{escape(chr(92) + "(" + tex + chr(92) + ")", quote=False)}</span>')
        if found.status in (Status.FAILED, Status.ERROR):
            element += (f'<span class="fc-inline-problem" role="note"> '
                        f'{escape(found.text, quote=False)} (line {found.line})</span>')
        elif found.status == Status.CHECKED and found.result is not None:
            span = found.result
            button, popover = inline_sign(span, f"fc-evidence-{span.line}-{span.start_col}")
            element += etree.tostring(button, encoding="unicode")
            popovers.append(popover)
        return element

    html = rewrite_math(html, mark)
    html = _wrap_notebook_blocks(html, placed) if placed else html
    for popover in popovers:
        _build.registry.mark_math += mark_math(popover)
        html += "\n" + etree.tostring(popover, encoding="unicode")
    return html


def _wrap_notebook_blocks(html: str, placed: dict) -> str:
    """Each display formula of a notebook (a paragraph of its own in nbconvert's HTML) and its
    mark become `<div class="fc-equation" id=ANCHOR>`, as on a Markdown page."""
    def wrap(found):
        mark, tex, _ = placed[found.group(1)]
        element = mark_element(mark)
        _build.registry.mark_math += mark_math(element)
        # The formula in the element arithmatex writes for a page's display math: MathJax (and
        # the build-time renderer) search below an element only when its class is a processed one.
        return (f'<div class="fc-equation fc-equation--{mark.status}" id="{mark.anchor}">'
                f'<div class="arithmatex">{escape(chr(92) + "[" + tex + chr(92) + "]", quote=False)}'
                f"</div>{etree.tostring(element, encoding='unicode')}</div>")

    html = re.sub(r"<p>\s*(fcnotebookmark\d+x)\s*</p>", wrap, html)
    # A formula that shares its paragraph with text keeps its place, without a mark.
    return re.sub(r"fcnotebookmark\d+x", lambda found: placed[found.group(0)][2], html)


def _page_name(src_uri: str, config) -> str:
    """`docs/affine.md`: the path the author edits, relative to the folder of mkdocs.yml."""
    base = os.path.dirname(os.path.abspath(config.config_file_path or "mkdocs.yml"))
    return Path(os.path.relpath(os.path.join(config.docs_dir, src_uri), base)).as_posix()


def _check_file(file, config):
    title = _build.titles.get(file.src_uri, file.src_uri)
    name = _page_name(file.src_uri, config)
    if file.src_uri.endswith(".md"):
        content = file.content_string
        markdown, _ = get_data(content)
        # Line numbers in messages are the file's: count the front matter MkDocs strips.
        stripped = content[:len(content) - len(markdown)] if content.endswith(markdown) else ""
        offset = stripped.count("\n")
        result = cached_check_markdown("\n" * offset + markdown, name, trials=OPTIONS.trials,
                                       seed=OPTIONS.seed)
        _build.checked[file.src_uri] = (markdown, offset, result)
        _build.results[file.src_uri] = (result, "\n" * offset + markdown)
        if file.src_uri not in _build.titles:  # not titled in the nav: the page's first heading
            headings = (l[2:].strip() for l in markdown.splitlines() if l.startswith("# "))
            title = next(headings, title)
        return CoveredPage(file.src_uri, title, result)
    if file.src_uri.endswith(".ipynb"):
        try:  # relative to the working folder, so messages read `docs/train.ipynb:LINE:COL`
            result = cached_check_page(os.path.relpath(file.abs_src_path), trials=OPTIONS.trials,
                                       seed=OPTIONS.seed)
        except (ValueError, OSError) as problem:  # a checker that cannot read notebooks says so
            return CoveredPage(file.src_uri, title, problem=str(problem))
        _build.results[file.src_uri] = (result, Path(file.abs_src_path).read_text(encoding="utf-8"))
        return CoveredPage(file.src_uri, title, result)
    return None


def _problems(result) -> list:
    return ([b.message for b in result.blocks + result.spans if not b.ok]
            + duplicate_labels(result.blocks))


def flat(tex: str) -> str:
    return " ".join(tex.split())


def unaccounted_math(shown: list, accounted: list, text: str, name: str,
                     snippet_options: dict | None = None) -> list:
    r"""Messages for the formulas only one side has: `shown` is `(tex, display)` from the HTML,
    `accounted` is `(tex, display, line, col)` from the checker, `text` the page's Markdown, and
    `snippet_options` those of pymdownx.snippets when the site uses it (math a snippet brings onto
    the page is refused at the snippet's line).

    >>> unaccounted_math([("x", False), ("y", True)], [("x", False, 3, 2)], "a\n\n$$\ny\n$$\n", "p.md")
    ['p.md:4:1: error: the page shows display math the formula checker did not read: y; expected a block the checker reads ($$ on lines of their own), or report it as a bug of the checker']
    """
    waiting: dict = {}
    for tex, display, line, col in accounted:
        waiting.setdefault((flat(tex), display), []).append((line, col))
    problems = []
    for tex, display in shown:
        places = waiting.get((flat(tex), display))
        if places:
            places.pop(0)
            continue
        kind = "display" if display else "inline"
        snippet = None
        if snippet_options is not None and tex.strip() not in text:
            snippet = snippet_showing(tex, text, snippet_options)
        if snippet is not None:
            problems.append(f"{name}:{snippet.line}:{snippet.col}: error: the page shows {kind} "
                            f"math from the snippet {snippet.filename}, which the formula checker "
                            f"does not read: {flat(tex)}; expected the formula written on the page "
                            "itself (the checker reads the page's own lines; a snippet may embed "
                            "code, not math)")
            continue
        line, col = _locate(text, tex)
        problems.append(f"{name}:{line}:{col}: error: the page shows {kind} math the formula "
                        f"checker did not read: {flat(tex)}; expected "
                        + ("a block the checker reads ($$ on lines of their own)" if display else
                           "$...$ in the text of a paragraph, list, table or note")
                        + (", or report it as a bug of the checker" if line and tex.strip() in text
                           else "; this formula comes from no line of the page (a docstring "
                                "rendered by mkdocstrings?), and docstrings carry no math: write "
                                "it on a page"))
    for (tex, display), places in waiting.items():
        # A copy the checker put in a mark (no place on the page) is missing only where its
        # formula is, which has its own message.
        for line, col in (place for place in places if place[0]):
            problems.append(f"{name}:{line}:{col}: error: the formula checker read "
                            f"{'a display block' if display else 'an inline span'} that the page "
                            f"does not show as math: {tex}; expected "
                            + ("$$ on lines of their own with a blank line before and after"
                               if display else "math MathJax typesets (no space after the opening "
                                               "$ or before the closing $)"))
    return problems


def hidden_math(hidden: list, accounted: list, text: str, name: str) -> list:
    r"""Messages for the formulas of `hidden` (`(tex, display)`, inside an element the page keeps
    from the reader: `html_math.hides`) that the checker read from the page, at the place it read
    them (`accounted`, as for `unaccounted_math`; copies in marks, with no place, go with their
    formula). The checker reads only what the reader sees: a hidden definition would let a claim
    the reader sees rest on math the reader never reads.

    >>> hidden_math([("y = 2 x", False), ("y", False)],
    ...             [("y = 2 x", False, 3, 7), ("y", False, 0, 0)], "", "p.md")
    ['p.md:3:7: error: the page hides this inline math from the reader: y = 2 x; the checker reads only what the reader sees, and math in an element with the hidden attribute or a style of display: none or visibility: hidden is hidden; expected the formula shown, or removed']
    """
    places: dict = {}
    for tex, display, line, col in accounted:
        if line:
            places.setdefault((flat(tex), display), []).append((line, col))
    problems = []
    for tex, display in hidden:
        waiting = places.get((flat(tex), display))
        if not waiting:
            continue
        line, col = waiting.pop(0)
        problems.append(f"{name}:{line}:{col}: error: the page hides this "
                        f"{'display' if display else 'inline'} math from the reader: {flat(tex)}; "
                        "the checker reads only what the reader sees, and math in an element with "
                        "the hidden attribute or a style of display: none or visibility: hidden is "
                        "hidden; expected the formula shown, or removed")
    return problems


def _locate(text: str, tex: str) -> tuple:
    """(line, col) of the first place the page holds `tex` (or its first line), else (0, 0)."""
    for probe in (tex.strip(), tex.strip().split("\n")[0].strip()):
        at = text.find(probe) if probe else -1
        if at >= 0:
            return text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1
    directive = text.find("\n:::")  # an API reference page: the first mkdocstrings directive
    return (text.count("\n", 0, directive) + 2, 1) if directive >= 0 else (0, 0)


def _report(problems: list, what: str = "formula") -> None:
    if not problems:
        return
    if _Build.serving and not OPTIONS.stop_serve_on_failure:
        for message in problems:
            log.warning("formula check failed (shown on the page):\n%s", message)
        return
    count = f"{len(problems)} {what}{'s' * (len(problems) != 1)}"
    raise PluginError(f"formulacheck: {count} did not pass, so the site is not built "
                      "(`mkdocs serve` shows them in place):\n\n" + "\n\n".join(problems))
