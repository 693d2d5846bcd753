"""What the site shows beside each display formula, computed from the checker's own results.

Three things per block: a stable anchor id (from its `\\label{...}`, else from its TeX: `eq-` and a
short hash, so inserting or moving another formula never changes it),
the mark's text (`checked: 3 links × 3 trials, shape N × K`, `declares X, W`,
`not checked: REASON`, `FAILED: ...`), and where in the Markdown the mark goes. Nothing here is
written by an author: a mark can only say what the `BlockResult` says. `faces/site/mark_tree.py` turns the
placeholders into HTML.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from ...pages.results import Status, as_sizes_note, from_equals_note
from .search_text import readable_tex

LABEL = re.compile(r"\\label\{([^}]*)\}")


@dataclass
class Mark:
    """The mark of one block: `status` (a checker status), a one-line `text`, optional `detail`
    (the checker's whole message, for a failure), the block's `anchor` and its page line."""

    anchor: str
    status: str
    text: str
    detail: str = ""
    line: int = 0
    result: object = None  # the BlockResult, whose evidence the mark opens (faces/site/evidence_html.py)


def label_of(block) -> str | None:
    """The block's `\\label{...}`: the checker's, or read from the source when it could not parse.

    >>> from formulacheck import check_markdown
    >>> page = "$$\\nx \\\\in \\\\mathbb{R} \\\\label{eq:x}\\n$$\\n"
    >>> label_of(check_markdown(page, "p.md").blocks[0])
    'eq:x'
    """
    if block.label:
        return block.label
    found = LABEL.search(block.source)
    return found.group(1).strip() if found else None


def anchor_for_label(label: str) -> str:
    """`eq-` plus the label in lowercase with other characters as `-` (`eq:` is not doubled).

    >>> anchor_for_label("eq:score-gradient"), anchor_for_label("dW by X^T G")
    ('eq-score-gradient', 'eq-dw-by-x-t-g')
    """
    slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
    return slug if slug.startswith("eq-") else f"eq-{slug}"


def content_anchor(tex: str) -> str:
    """`eq-` and 7 hex digits of the SHA-256 of the formula's TeX, spaces normalised: the anchor
    of an unlabelled formula depends on nothing but its own text.

    >>> content_anchor("F \\\\coloneqq X W"), content_anchor(" F  \\\\coloneqq\\n X W ")
    ('eq-ce72ed0', 'eq-ce72ed0')
    """
    normalised = " ".join(LABEL.sub("", tex).split())
    return "eq-" + hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:7]


def anchors(blocks) -> list:
    """One unique id per block, in page order: from the label, else from the TeX (`content_anchor`).

    Neither depends on the block's position, so inserting a formula leaves every other anchor as
    it was. The same formula written twice on a page gets `-2`, `-3`, ... on its second, third
    occurrence (counted from the top); a label used twice is the caller's error to report (see
    `duplicate_labels`), and its second block falls back to its TeX.

    >>> from types import SimpleNamespace as B
    >>> anchors([B(label="eq:a", source="a"), B(label=None, source="x = y"),
    ...          B(label=None, source="x  =  y")])
    ['eq-a', 'eq-afd9754', 'eq-afd9754-2']
    >>> anchors([B(label=None, source="z"), B(label=None, source="x = y")])[1]
    'eq-afd9754'
    """
    labelled = [anchor_for_label(label_of(b)) if label_of(b) else None for b in blocks]
    taken: set = set()
    ids = []
    for block, wanted in zip(blocks, labelled):
        if wanted is not None and wanted not in taken:
            chosen = wanted
        else:
            base = chosen = content_anchor(block.source)
            reserved = set(labelled) | taken
            occurrence = 1
            while chosen in reserved:
                occurrence += 1
                chosen = f"{base}-{occurrence}"
        taken.add(chosen)
        ids.append(chosen)
    return ids


def duplicate_labels(blocks) -> list:
    """Messages for labels that give the same anchor twice on one page (`page:LINE: ...`)."""
    seen: dict = {}
    problems = []
    for block in blocks:
        label = label_of(block)
        if label is None:
            continue
        anchor = anchor_for_label(label)
        if anchor in seen:
            problems.append(f"{block.page}:{block.line}: error: the label {label} gives the anchor "
                            f"#{anchor}, already used by the formula at line {seen[anchor]}; "
                            "expected a label unique on the page")
        else:
            seen[anchor] = block.line
    return problems


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' * (count != 1)}"


def _from_equals(block) -> str:
    """How an `=` was read: as the definition of a new name, not as a claim (GRAMMAR.md)."""
    if not block.read_from_equals:
        return ""
    return f" ({from_equals_note(block.read_from_equals)})"


def mark_text(block) -> tuple:
    """(one-line text, detail) for a block, from its result alone.

    >>> from formulacheck import check_markdown
    >>> page = ("$$\\nW \\\\in \\\\mathbb{R}^{D \\\\times K}\\n$$\\n\\n"
    ...         "$$\\nW^\\\\top W = (W^\\\\top W)^\\\\top\\n$$\\n")
    >>> [mark_text(b)[0] for b in check_markdown(page, "p.md").blocks]
    ['declares W', 'checked: 1 link × 3 trials, shape K × K']
    """
    status = block.status
    if status == Status.CHECKED:
        text = f"checked: {_plural(block.links, 'link')} × {_plural(block.trials, 'trial')}"
        if block.shapes:
            shapes = "; ".join(shape.replace(" x ", " × ") for shape in block.shapes)
            text += f", {'shape' if len(block.shapes) == 1 else 'shapes'} {shapes}"
        if block.code:
            text += f", against {block.code.split('(')[0].strip()}"
        if block.defines:
            text += f"; defines {', '.join(block.defines)}" + _from_equals(block)
        if block.read_as_sizes:
            text += f"; {as_sizes_note(block.read_as_sizes)}"
        return text, ""
    if status == Status.DECLARED:
        return f"declares {', '.join(block.defines)}", ""
    if status == Status.DEFINED:
        return f"defines {', '.join(block.defines)}" + _from_equals(block), ""
    if status == Status.UNCHECKED:
        return f"not checked: {block.reason}", ""
    # the mark sits under the formula it is about: its text needs no place
    first = block.problem.text if block.problem is not None else str(status)
    return f"FAILED: {first}" if status == Status.FAILED else f"ERROR: {first}", block.message


def marks(blocks) -> list:
    """The `Mark` of every block, in page order."""
    return [Mark(anchor, block.status, *mark_text(block), line=block.line, result=block)
            for anchor, block in zip(anchors(blocks), blocks)]


def insert_placeholders(markdown: str, blocks, tokens, line_offset: int = 0) -> str:
    """Put `tokens[n]` as a paragraph of its own directly above block n's opening line.

    The placeholder takes the opening line's indentation, so a formula inside a list, an
    admonition or a tab keeps its container; blank lines around it keep it out of any paragraph.
    `line_offset` is how many page lines (front matter) precede `markdown`.

    >>> from types import SimpleNamespace as B
    >>> insert_placeholders("text\\n\\n    $$\\n    x\\n    $$\\n", [B(opening_line=3)], ["TOKEN"])
    'text\\n\\n\\n    TOKEN\\n\\n    $$\\n    x\\n    $$\\n'
    """
    lines = markdown.split("\n")
    at = {block.opening_line - 1 - line_offset: token for block, token in zip(blocks, tokens)}
    out = []
    for index, line in enumerate(lines):
        if index in at:
            indent = line[:len(line) - len(line.lstrip())]
            out += ["", indent + at[index], ""]
        out.append(line)
    return "\n".join(out)


def inline_mark(span) -> Mark:
    r"""The small mark of an inline span (pages/inline.py): its status and a one-line text for the title.

    >>> from formulacheck import check_markdown
    >>> page = "$$\nx \\in \\mathbb{R}\n$$\n\nSo $(x + 1)^2 = x^2 + 2 x + 1$ and $x^2$.\n"
    >>> [inline_mark(s).text for s in check_markdown(page, "p.md").spans]
    ['checked: 1 link × 3 trials', 'not a claim: a bare expression: no relation at the top level, so nothing is claimed']
    """
    if span.status == Status.CLASSIFIED:
        # a tooltip is plain text, so the rule's examples are written as a reader reads them
        # (`j ≠ y_i`, `10^-5`), not as TeX
        text = f"not a claim: {readable_tex(span.reason)}"
    else:
        text, _ = mark_text(span)
        if span.status == Status.CHECKED:
            text = text.split(", shape")[0]  # the prose around an inline formula says the rest
            if span.after_scope:
                text += ", with the definitions further down the page"
    return Mark("", span.status, text, span.message if not span.ok else "", line=span.line,
                result=span)
