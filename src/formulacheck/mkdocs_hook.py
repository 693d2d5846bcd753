"""The MkDocs face of the checker: a mark on every formula, the coverage page, no wrong formula.

Listed in mkdocs.yml through the one-line shim `overrides/hooks/formula_marks.py` (MkDocs `hooks:`
takes file paths). Per build:

- `on_nav` checks every page once (`check_markdown` on the text MkDocs will render) and, under
  `mkdocs build` / `gh-deploy`, stops the build with the checker's messages if any formula failed
  (a `PluginError`: MkDocs prints it without a traceback). Under `mkdocs serve` it logs a warning
  and the page shows the failure in place, so the live preview keeps working.
- `on_page_markdown` puts a placeholder above each display block; the Markdown extension of
  `mark_tree.py` turns it into the mark and the formula's anchor. On the coverage page it returns
  the generated coverage instead of the committed stub.

A tool that ignores hooks (Zensical) builds the same pages without marks, and the stub coverage page
says how to get the numbers (`formulacheck docs/*.md`).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.utils.meta import get_data

# A page whose text, checker and `code:` packages are unchanged reuses an earlier build's result.
from .check_cache import cached_check_markdown, cached_check_page
from .coverage import CoveredPage, coverage_markdown
from .mark_tree import MarkRegistry, MarksExtension
from .site_marks import duplicate_labels, insert_placeholders, marks

__all__ = ["on_startup", "on_config", "on_nav", "on_page_markdown"]

COVERAGE_PAGE = "coverage.md"
log = logging.getLogger("mkdocs.plugins.formulacheck")


class _Build:
    """What one build knows: the command, the placeholder registry, each page's checked text."""

    serving = False  # set once per `mkdocs` invocation by on_startup; a build by default refuses

    def __init__(self):
        self.registry = MarkRegistry()
        self.checked: dict = {}  # src_uri -> (markdown text, front-matter lines, PageResult)
        self.titles: dict = {}
        self.pages: list = []  # CoveredPage, in the site's order


_build = _Build()


def on_startup(command, dirty):
    """`mkdocs serve` shows failures in place; `build` and `gh-deploy` refuse them."""
    _Build.serving = command == "serve"


def on_config(config):
    global _build
    _build = _Build()
    config.markdown_extensions.append(MarksExtension(_build.registry))
    return config


def on_nav(nav, config, files):
    for page in nav.pages:
        if page.title:
            _build.titles[page.file.src_uri] = page.title
    ordered = [p.file for p in nav.pages] + [f for f in files.documentation_pages()
                                             if f not in {p.file for p in nav.pages}]
    problems = []
    for file in ordered:
        if file.src_uri == COVERAGE_PAGE:
            continue
        covered = _check_file(file, config)
        if covered is None:
            continue
        _build.pages.append(covered)
        if covered.result is not None:
            problems += _problems(covered.result)
    _report(problems)
    return nav


def on_page_markdown(markdown, page, config, files):
    src_uri = page.file.src_uri
    if src_uri == COVERAGE_PAGE:
        return coverage_markdown(_build.pages)
    if not src_uri.endswith(".md"):
        return markdown
    known = _build.checked.get(src_uri)
    if known is not None and known[0] == markdown:
        _, offset, result = known
    else:  # another plugin changed the text after on_nav: check what will be rendered
        offset, result = 0, cached_check_markdown(markdown, _page_name(src_uri, config))
        _report(_problems(result))
    if not result.blocks:
        return markdown
    tokens = [_build.registry.add(mark) for mark in marks(result.blocks)]
    return insert_placeholders(markdown, result.blocks, tokens, offset)


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
        result = cached_check_markdown("\n" * offset + markdown, name)
        _build.checked[file.src_uri] = (markdown, offset, result)
        if file.src_uri not in _build.titles:  # not titled in the nav: the page's first heading
            headings = (l[2:].strip() for l in markdown.splitlines() if l.startswith("# "))
            title = next(headings, title)
        return CoveredPage(file.src_uri, title, result)
    if file.src_uri.endswith(".ipynb"):
        try:  # relative to the working folder, so messages read `docs/train.ipynb:LINE:COL`
            result = cached_check_page(os.path.relpath(file.abs_src_path))
        except (ValueError, OSError) as problem:  # a checker that cannot read notebooks says so
            return CoveredPage(file.src_uri, title, problem=str(problem))
        return CoveredPage(file.src_uri, title, result)
    return None


def _problems(result) -> list:
    return [b.message for b in result.blocks if not b.ok] + duplicate_labels(result.blocks)


def _report(problems: list) -> None:
    if not problems:
        return
    if _Build.serving:
        for message in problems:
            log.warning("formula check failed (shown on the page):\n%s", message)
        return
    count = f"{len(problems)} formula{'s' * (len(problems) != 1)}"
    raise PluginError(f"formulacheck: {count} did not pass, so the site is not built "
                      "(`mkdocs serve` shows them in place):\n\n" + "\n\n".join(problems))
