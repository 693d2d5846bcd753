r"""The marks' HTML: a compact check sign that opens the evidence the checker computed.

A display formula's mark is a `<details>` (native: no script, keyboard and touch work as for any
disclosure) whose `<summary>` is one short line (`✓ 1 link, 2 shapes`, `defines P_{ij}` with the
name typeset) and whose panel shows, per link, the sizes, a 3 x 3 corner of one instance's values
of both sides side by side, the largest relative difference over all trials and how many trials.
An inline claim gets a small `✓` button that opens the same panel as a popover (HTML `popover`:
no script either). Every number comes from `BlockResult.evidence` (pages/evidence.py).

Math in a mark (a symbol's name, a link's two sides) is TeX the checker copied from the page it
checked: `<span class="arithmatex fc-mark-math">`, typeset like the page's math and accounted by the
checker's hook as its own output (`mark_math`).
"""

from __future__ import annotations

from math import log10

import xml.etree.ElementTree as etree

from ...tex.vocabulary import tex_name
from ...pages.results import Status

MARK_MATH_CLASS = "fc-mark-math"
SHOWN_SIDE = 48
SUMMARY_NAMES = 3  # names a closed mark shows  # longest side (characters of TeX) written out in a link's heading


def name_tex(name: str) -> str:
    r"""A symbol's name as the checker keeps it (`ell`, `P_{ij}`, `hat_X_{id}`) in TeX.

    >>> [name_tex(n) for n in ("ell", "P_{ij}", "hat_X_{id}", "W_1", "dW", "mu_{d}")]
    ['\\ell', 'P_{ij}', '\\hat{X}_{id}', 'W_1', 'dW', '\\mu_{d}']

    The entries of a subscripted name are written as the page writes them, in parentheses:

    >>> name_tex("a_1_{nk}")
    '(a_1)_{nk}'
    """
    base, brace, rest = name.partition("_{")
    shown = tex_name(base)
    if brace and "_" in shown:  # `(a_1)_{nk}`: a_1_{nk} is a double subscript in TeX
        shown = f"({shown})"
    return shown + ("_{" + rest if brace else "")


# Why further instances were drawn (evaluation/trace.py, DrawnFor), as the mark says it: a verb and
# what it applies to; reasons with one verb are said together.
DRAWN_FOR_WORDS = {
    "kink": ("see", "every kink on both sides"),
    "sign": ("see", "the sign of every scalar on both sides"),
    "pair": ("see", "every two scalars with all four pairs of signs"),
    "branches": ("see", "every two branches of scalars with each pair of sides they can take"),
    "domain": ("look for", "an argument outside a function's domain"),
    "inequality": ("try", "every inequality"),
}


def drawn_for_text(reasons: list) -> str:
    """`, to see A and B, and to try C` for the reasons in `reasons` (in their order).

    >>> drawn_for_text(["kink", "sign", "inequality"])
    ', to see every kink on both sides and the sign of every scalar on both sides, and to try every inequality'
    >>> drawn_for_text(["domain"])
    ", to look for an argument outside a function's domain"
    >>> drawn_for_text([])
    ''
    """
    groups: dict = {}
    for reason in reasons:
        verb, what = DRAWN_FOR_WORDS[str(getattr(reason, "value", reason))]
        groups.setdefault(verb, []).append(what)
    parts = [f"to {verb} {and_list(whats)}" for verb, whats in groups.items()]
    return f", {and_list(parts, serial=True)}" if parts else ""


def and_list(items: list, serial: bool = False) -> str:
    """`a`, `a and b`, `a, b and c`; with `serial` (clauses that hold commas) `a, and b`."""
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + (", and " if serial else " and ") + items[-1]


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' * (count != 1)}"


def claim_counts(block) -> str:
    """`1 link, 2 shapes`: relations and code comparisons apart from shape annotations.

    >>> from types import SimpleNamespace as B
    >>> claim_counts(B(links=3, shape_checks=2)), claim_counts(B(links=2, shape_checks=0))
    ('1 link, 2 shapes', '2 links')
    """
    shapes = getattr(block, "shape_checks", 0)
    text = plural(block.links - shapes, "link")
    return text + (f", {plural(shapes, 'shape')}" if shapes else "")


def number(value: float) -> str:
    """Three significant digits, a real minus sign.

    >>> [number(v) for v in (-0.030258, 1.0, 0.0, 12345.6, 3.1e-16)]
    ['−0.0303', '1', '0', '1.23e+04', '3.1e-16']
    """
    return f"{value:.3g}".replace("-", "−") if value < 0 else f"{value:.3g}"


def strip_underbraces(tex: str) -> str:
    r"""`\underbrace{A}_{B}` -> `A`: a side's shape annotation is counted apart.

    >>> strip_underbraces(r"\underbrace{X^\top}_{D \times N} \, \underbrace{G}_{N \times K}")
    'X^\\top \\, G'
    """
    out, at = [], 0
    marker = "\\underbrace{"
    while (start := tex.find(marker, at)) >= 0:
        out.append(tex[at:start])
        body_end = _closing_brace(tex, start + len(marker) - 1)
        out.append(tex[start + len(marker):body_end])
        at = body_end + 1
        rest = tex[at:].lstrip()
        if rest.startswith("_{"):
            at = _closing_brace(tex, tex.index("_{", at) + 1) + 1
    out.append(tex[at:])
    return " ".join("".join(out).split())


def _closing_brace(text: str, opening: int) -> int:
    depth = 0
    for index in range(opening, len(text)):
        if text[index] == "{":
            depth += 1
        elif text[index] == "}":
            depth -= 1
            if depth == 0:
                return index
    return len(text) - 1


def math(parent, tex: str, tail: str = ""):
    """Inline math inside a mark: TeX the checker copied from the page."""
    element = etree.SubElement(parent, "span", {"class": f"arithmatex {MARK_MATH_CLASS}"})
    element.text = f"\\({tex}\\)"
    element.tail = tail
    return element


def text(parent, tag: str, content: str = "", **attributes):
    element = etree.SubElement(parent, tag, {k.rstrip("_"): v for k, v in attributes.items()})
    element.text = content
    return element


def names_line(parent, verb: str, names) -> None:
    """`verb \\(A\\), \\(B\\)` appended to `parent` (which has text or children already)."""
    last = parent[-1] if len(parent) else None
    lead = f"{verb} "
    if last is None:
        parent.text = (parent.text or "") + lead
    else:
        last.tail = (last.tail or "") + lead
    for index, name in enumerate(names):
        math(parent, name_tex(name), ", " if index < len(names) - 1 else "")


def summary_line(summary, block) -> None:
    """The one line of a closed mark."""
    status = block.status
    sign = text(summary, "span", {Status.CHECKED: "✓", Status.UNCHECKED: "–"}.get(status, "≔"),
                class_="fc-sign", **{"aria-hidden": "true"})
    hidden = text(summary, "span", "Formula checker: ", class_="fc-visually-hidden")
    sign.tail = None
    if status == Status.CHECKED:
        hidden.tail = f"checked: {claim_counts(block)}"
    elif status in (Status.DECLARED, Status.DEFINED):
        names = block.defines
        names_line(summary, "declares" if status == Status.DECLARED else "defines", names[:SUMMARY_NAMES])
        if len(names) > SUMMARY_NAMES:  # the panel names them all
            summary[-1].tail = (summary[-1].tail or "") + f" and {len(names) - SUMMARY_NAMES} more"
    else:
        hidden.tail = f"not checked: {block.reason}"


def sizes_text(sizes: dict) -> str:
    return ", ".join(f"{name} = {value}" for name, value in sizes.items())


def values_table(parent, caption: str, rows: list, axes: tuple, shown=number):
    table = text(parent, "table", class_="fc-values")
    text(table, "caption", caption)
    body = text(table, "tbody")
    for row in rows:
        line = text(body, "tr")
        for value in row:
            text(line, "td", shown(value))
    return table


def rounded_digits(half_unit: float):
    """How the values of a link `\\approx` a decimal are shown: three significant digits more than
    the decimal's, so that the table shows what the decimal rounds (1.098612 beside 1.0986).

    >>> rounded_digits(5e-05)(1.0986122886681098), rounded_digits(5e-05)(1.0986)
    ('1.098612', '1.0986')
    """
    decimals = round(-log10(2 * half_unit))
    return lambda value: f"{value:.{decimals + 3}g}".replace("-", "−")


def axes_note(evidence) -> str:
    """Which entries the two small tables show."""
    shown = list(evidence.axes)
    if not shown:
        return "the value (a scalar)"
    extent = dict(zip(list(evidence.axes) + ["_"] * 4, evidence.shape))
    starts = getattr(evidence, "firsts", {})  # `\\text{for } 2 \\le t \\le T`: from 2
    first = [f"{axis} = {starts.get(axis, 1)}..{starts.get(axis, 1) + min(3, extent[axis]) - 1}"
             for axis in shown]
    fixed = getattr(evidence, "fixed", ())
    return ("entries " + ", ".join(first)
            + (f" ({', '.join(f'{a} = {starts.get(a, 1)}' for a in fixed)})" if fixed else "")
            + f" of {' × '.join(str(n) for n in evidence.shape)}")


def link_panel(parent, index: int, evidence) -> None:
    item = text(parent, "li", class_="fc-link")
    head = text(item, "p", class_="fc-link-head")
    left, right = strip_underbraces(evidence.left), strip_underbraces(evidence.right)
    if evidence.kind == "code":
        head.text = "The formula's value against the reference code "
        text(head, "code", right)
        left_caption, right_caption = "formula", "code"
    elif max(len(left), len(right)) <= SHOWN_SIDE:
        head.text = f"Link {index}: "
        relation = {"<": "<", ">": ">", "<=": "\\le", ">=": "\\ge"}.get(evidence.relation,
                                                                           evidence.relation)
        math(head, f"{left} {relation} {right}")
        left_caption, right_caption = "left", "right"
    else:
        head.text = f"Link {index} (relation {index} of the formula, read left to right)"
        left_caption, right_caption = "left side", "right side"
    note = text(item, "p", "One instance, " + axes_note(evidence) + ":", class_="fc-note")
    note.tail = None
    sides = text(item, "div", class_="fc-sides")
    rounding = getattr(evidence, "rounding", None)
    shown = number if rounding is None else rounded_digits(rounding[1])
    values_table(sides, left_caption, evidence.left_values, evidence.axes, shown)
    values_table(sides, right_caption, evidence.right_values, evidence.axes, shown)
    if rounding is not None:
        verdict = (f"differs from the decimal by at most {number(rounding[0])}, within half a unit "
                   f"of its last digit ({number(rounding[1])})")
    elif evidence.largest_difference is None:
        verdict = f"held at all {evidence.entries} entries"
    else:
        verdict = f"largest relative difference {number(evidence.largest_difference)}"
    text(item, "p", f"{verdict}, over {plural(evidence.trials, 'trial')}",
         class_="fc-verdict")


def read_as(panel, block) -> None:
    """How the checker read names the page did not declare: the left sides of `=` read as
    definitions (their first use), and the letters of size relations read as sizes."""
    sizes = getattr(block, "read_as_sizes", [])
    for names, tail in (
            (getattr(block, "read_from_equals", []), " as defined by = (its first use)."),
            (sizes, f" as {'a size' if len(sizes) == 1 else 'sizes'}: the checker chose sizes that "
                    f"satisfy the size relation{'s' * (len(sizes) > 1)}, and checked "
                    f"{'it' if len(sizes) == 1 else 'them'} with those sizes.")):
        if names:
            line = text(panel, "p", "")
            names_line(line, "Reads", names)
            line[-1].tail = (line[-1].tail or "") + tail


def evidence_panel(block, anchor: str = "") -> etree.Element:
    """The opened mark: sizes, links side by side, differences, trials (or the status alone)."""
    panel = etree.Element("div", {"class": "fc-evidence"})
    evidence = getattr(block, "evidence", []) or []
    if block.status == Status.CHECKED:
        sizes = next((e.sizes for e in evidence if e.sizes), {})
        if getattr(block, "reads_random", True):
            first = text(panel, "p", f"Checked on {plural(block.trials, 'random instance')}"
                         + (f" of sizes {sizes_text(sizes)}" if sizes else "") + ".")
        else:  # `\\log 3 \\approx 1.0986`: nothing drawn, every instance the same
            first = text(panel, "p", f"Checked on {plural(block.trials, 'instance')}"
                         + (f" of sizes {sizes_text(sizes)}" if sizes else "")
                         + "; it reads no random value, so each gave the same values.")
        shapes = getattr(block, "shape_checks", 0)
        if shapes:
            first.text += f" {plural(shapes, 'shape')} written on the formula held."
        extra = getattr(block, "extra_trials", 0)
        if extra:
            first.text += (f" {plural(extra, 'further instance')} drawn at larger scales"
                           f"{drawn_for_text(getattr(block, 'drawn_for', []))}")
            unusable = getattr(block, "unusable_trials", 0)
            first.text += (f" ({unusable} of them could not be evaluated at the larger scale of "
                           "their random values and were not used)." if unusable else ".")
        one_sided = getattr(block, "one_sided", None)
        if one_sided:
            # a branch is `LINE:COL TeX`; the page shows where it is, not its TeX source
            places = [f"line {str(b).split()[0].replace(':', ', column ')}" for b in one_sided]
            first.text += f" Seen on one side only: the kinks at {'; '.join(places)}."
        if evidence:
            links = text(panel, "ol", class_="fc-links")
            for index, link in enumerate(evidence, start=1):
                link_panel(links, index, link)
        if block.defines:
            line = text(panel, "p", "")
            names_line(line, "Defines", block.defines)
            line[-1].tail = (line[-1].tail or "") + "."
        read_as(panel, block)
    elif block.status in (Status.DECLARED, Status.DEFINED):
        line = text(panel, "p", "")
        names_line(line, "Declares" if block.status == Status.DECLARED else "Defines", block.defines)
        line[-1].tail = (line[-1].tail or "") + " for the formulas below; nothing to compare here."
        read_as(panel, block)
    else:
        text(panel, "p", f"Not checked: {block.reason}.")
    if anchor:
        link = text(panel, "p", "", class_="fc-anchor")
        text(link, "a", f"#{anchor}", class_="fc-permalink", href=f"#{anchor}")
    return panel


def display_mark(mark, block) -> etree.Element:
    """The `<details>` mark of a display block that passed (or is declared/unchecked)."""
    details = etree.Element("details", {"class": f"fc-mark fc-mark--{mark.status}",
                                        "data-search-exclude": ""})
    summary = etree.SubElement(details, "summary")
    summary_line(summary, block)
    details.append(evidence_panel(block, mark.anchor))
    return details


def inline_sign(block, ident: str) -> tuple:
    """(button, popover) for an inline claim that held: a small `✓` that opens the panel."""
    button = etree.Element("button", {"type": "button", "class": "fc-inline-sign",
                                      "popovertarget": ident,
                                      "aria-label": f"Evidence of this check: {claim_counts(block)}"})
    button.text = "✓"
    # An <aside>: Material's search index drops an excluded element until the first closing tag
    # of the same name, so the excluded element's tag must not occur inside it.
    popover = etree.Element("aside", {"id": ident, "popover": "", "class": "fc-popover",
                                    "data-search-exclude": "", "role": "dialog",
                                    "aria-label": "Evidence of the check"})
    head = text(popover, "p", f"Formula checker: checked, {claim_counts(block)}",
                class_="fc-popover-head")
    head.tail = None
    popover.append(evidence_panel(block))
    return button, popover


def mark_math(element) -> list:
    """The TeX of every formula a mark element holds (what the hook accounts as its own)."""
    found = []
    for span in element.iter("span"):
        if MARK_MATH_CLASS in span.get("class", "").split():
            found.append(span.text[2:-2])
    return found
