"""Snippet lines (`--8<-- "path"`) of a page, read before MkDocs renders it.

pymdownx.snippets with `check_paths: true` stops a build on a missing file with a traceback that
names neither the page nor its line. The MkDocs hook runs `missing_snippets` first, so the author
reads `docs/page.md:LINE:COL: error: the snippet file ... does not exist` instead. And the checker
reads a page's own lines, not the files it includes: math that a snippet brings onto the page is
refused at the snippet's line (`snippet_showing`), not reported as math from nowhere. The paths
are resolved by pymdownx's own code (its base paths, its `path:section` and `path:1:5` forms), so
these checks and the build agree on which files exist.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple


class SnippetLine(NamedTuple):
    line: int  # 1-based, in the page's whole file
    col: int  # of the path
    filename: str  # as written, without a `:section` or `:1:5` part
    found: str | None  # the file pymdownx.snippets would read, or None


def snippet_lines(text: str, options: dict) -> Iterator[SnippetLine]:
    """The snippet lines of `text` (single lines and `--8<--` blocks; URLs are left out).

    `options` are the extension's options from mkdocs.yml (`base_path`, ...); lines are counted
    in `text` (1-based), which should be the whole file, front matter included.

    >>> [tuple(s) for s in snippet_lines('A\\n\\n--8<-- "no/such.md:part"\\n', {"base_path": ["."]})]
    [(3, 9, 'no/such.md', None)]
    """
    import markdown  # MkDocs' own dependency; loaded only when a site is built

    renderer = markdown.Markdown(extensions=["pymdownx.snippets"],
                                 extension_configs={"pymdownx.snippets": dict(options)})
    snippets = renderer.preprocessors["snippet"]
    in_block = False
    for number, line in enumerate(text.splitlines(), start=1):
        match = snippets.RE_ALL_SNIPPETS.match(line)
        if match and match.group("escape"):
            continue
        if match and match.group("block_marker"):
            in_block = not in_block
            continue
        if match:
            path, col = match.group("snippet")[1:-1].strip(), match.start("snippet") + 2
        elif in_block and line.strip() and not line.strip().startswith(";"):
            path, col = line.strip(), len(line) - len(line.lstrip()) + 1
        else:
            continue
        if path.lower().startswith(("http://", "https://")):
            continue
        parts = snippets.split_path(path)
        filename = parts[0] if parts else path
        yield SnippetLine(number, col, filename, snippets.get_snippet_path(filename))


def missing_snippets(text: str, page: str, options: dict) -> list:
    """One message per snippet line of `text` whose file pymdownx.snippets would not find.

    >>> missing_snippets('Intro\\n\\n--8<-- "no/such/file.py:part"\\n', "docs/p.md", {"base_path": ["."]})
    ['docs/p.md:3:9: error: the snippet file no/such/file.py does not exist (looked in .); expected a path relative to a base_path of pymdownx.snippets in mkdocs.yml']
    """
    bases = options.get("base_path", ["."])
    bases = ", ".join([bases] if isinstance(bases, str) else [str(base) for base in bases])
    return [f"{page}:{s.line}:{s.col}: error: the snippet file {s.filename} does not exist "
            f"(looked in {bases}); expected a path relative to a base_path of pymdownx.snippets "
            "in mkdocs.yml" for s in snippet_lines(text, options) if s.found is None]


def snippet_showing(tex: str, text: str, options: dict) -> SnippetLine | None:
    """The first snippet line of `text` whose file holds `tex` (math the page shows but does not
    hold), or None."""
    for snippet in snippet_lines(text, options):
        if snippet.found and tex.strip() in Path(snippet.found).read_text(encoding="utf-8",
                                                                          errors="replace"):
            return snippet
    return None
