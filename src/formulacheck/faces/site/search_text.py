r"""Readable math for the site's search index: no raw TeX in search results.

Material's search indexes each page's HTML before the build-time renderer typesets its math, so
the index would hold `\(X^\top G\)`. After the build (`rewrite_search_index`, called by the hook's
`on_post_build`) every formula in the index's titles and texts, found as MathJax finds it
(html_math.find_math; not inside `<code>` or `<pre>`), is replaced by a readable form
(`readable_tex`): the symbols a reader types or sees (`X^T G`, `∂L/∂W`, `Σ_i`), no backslash
command. A learner's `X^T` then finds the pages that write `X^\top` (see CARET).
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

from ...tex.vocabulary import (READABLE, READABLE_BLACKBOARD, READABLE_DROPPED,
                                READABLE_REMOVED_WITH_ARGUMENT, READABLE_SPACES)
from .html_math import find_math

_COMMAND = re.compile(r"\\([A-Za-z]+|.)")


def _argument(tex: str, at: int) -> tuple:
    """(the braced argument starting at `at` (after spaces), the index after it)."""
    while at < len(tex) and tex[at] == " ":
        at += 1
    if at >= len(tex) or tex[at] != "{":
        return (tex[at:at + 1], at + 1) if at < len(tex) else ("", at)
    depth = 0
    for index in range(at, len(tex)):
        depth += {"{": 1, "}": -1}.get(tex[index], 0)
        if depth == 0:
            return tex[at + 1:index], index + 1
    return tex[at + 1:], len(tex)


def readable_tex(tex: str) -> str:
    r"""The TeX of a formula as readable text: no backslash commands, no braces.

    >>> readable_tex(r"\frac{\partial L}{\partial W} = X^\top G")
    '∂L/∂W = X^T G'
    >>> readable_tex(r"b \in \mathbb{R}^{K}, \quad \sum_{i=1}^{N} G_{ik} \label{eq:x}")
    'b ∈ ℝ^K, Σ_i=1^N G_ik'
    >>> readable_tex(r"\operatorname{tr}\left(G^\top \mathrm{d}F\right) + \lambda \|W\|_F^2")
    'tr(G^T dF) + λ ‖W‖_F^2'
    """
    out, at = [], 0
    while at < len(tex):
        found = _COMMAND.search(tex, at)
        if found is None:
            out.append(tex[at:])
            break
        out.append(tex[at:found.start()])
        name, at = found.group(1), found.end()
        if name == "frac" or name in ("dfrac", "tfrac"):
            top, at = _argument(tex, at)
            bottom, at = _argument(tex, at)
            top, bottom = (re.sub(r"([∂∇])\s+", r"\1", readable_tex(part)) for part in (top, bottom))
            wrap = lambda part: f"({part})" if re.search(r"[\s+\-]", part) else part
            out.append(f"{wrap(top)}/{wrap(bottom)}")
        elif name == "mathbb":
            letter, at = _argument(tex, at)
            out.append(READABLE_BLACKBOARD.get(letter.strip(), letter))
        elif name in READABLE_REMOVED_WITH_ARGUMENT:
            _, at = _argument(tex, at)
        elif name in ("begin", "end"):
            _, at = _argument(tex, at)
            out.append(" ")
        elif name in READABLE_SPACES:
            out.append(" ")
        elif name in READABLE:
            out.append(READABLE[name] + (" " if name.isalpha() and len(READABLE[name]) > 1 else ""))
        elif name in READABLE_DROPPED:
            continue
        else:  # \log, \exp, \max, \mathrm{d}, \text{...}, \hat{x}: the name or the argument
            if at < len(tex) and tex[at:at + 1] == "{" and name not in ("log", "exp", "max",
                                                                          "min", "det", "tr"):
                argument, at = _argument(tex, at)
                out.append(readable_tex(argument))
            else:
                out.append(name + " ")
    text = re.sub(r"&(?!\w+;|#\d+;)", " ", "".join(out))  # alignment marks, not entities
    text = re.sub(r"[{}]", "", text)
    text = re.sub(r"\s+([_^])", r"\1", text)
    text = re.sub(r"([_^])\s+", r"\1", text)
    text = re.sub(r"\s+([),.;])", r"\1", text)
    text = re.sub(r"\(\s+", "(", text)
    return " ".join(text.split())


CARET = "\u02c6"  # MODIFIER LETTER CIRCUMFLEX ACCENT: a letter to the search, not an operator
_CODE = re.compile(r"(<(code|pre)>.*?</\2>)", re.DOTALL)


def readable_math(text: str) -> str:
    r"""`text` (a search entry: text with `<p>`, `<code>` and the like) with each formula
    replaced by `readable_tex` of it; code is left alone.

    >>> readable_math(r"<p>so \(X^\top G\) and <code>$x$</code> cost \$5</p>")
    '<p>so XˆT G and <code>$x$</code> cost $5</p>'

    A caret between letters becomes `ˆ` (CARET): the search's query language reads `^` as a
    boost, so docs/javascripts/search-query.js sends a reader's `X^T` as `XˆT`, which then
    matches this text.
    """
    pieces = _CODE.split(text)
    out = []
    index = 0
    while index < len(pieces):
        piece = pieces[index]
        if index % 3 == 0:
            readable = "".join(p if isinstance(p, str) else readable_tex(p[0])
                               for p in find_math(piece))
            out.append(re.sub(r"(?<=\w)\^(?=\w)", CARET, readable))
            index += 1
        else:
            out.append(piece)
            index += 2
    return "".join(out)


# Entries of the pages a rebuild under `mkdocs serve` did not change come back unchanged: each
# distinct entry is made readable once per process.
_readable_entry = functools.lru_cache(maxsize=16384)(readable_math)


def rewrite_search_index(site_dir) -> int:
    """Rewrite `search/search_index.json` under `site_dir` with readable math; the number of
    entries changed (0 when the site has no index)."""
    path = Path(site_dir) / "search" / "search_index.json"
    if not path.is_file():
        return 0
    index = json.loads(path.read_text(encoding="utf-8"))
    changed = 0
    for entry in index.get("docs", []):
        for field in ("title", "text"):
            if field in entry:
                readable = _readable_entry(entry[field])
                changed += readable != entry[field]
                entry[field] = readable
    path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return changed
