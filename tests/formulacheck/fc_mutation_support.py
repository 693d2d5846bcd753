"""Automatic token-level mutants of formulas, and a fast way to check one block in its scope.

Each operator makes one small change an author could make by mistake; a mutant is one change at
one place. `blocks_with_scope` checks a page once and remembers the scope before every block, so a
mutant of a claim is checked in the right scope without re-checking the whole page.
"""

from __future__ import annotations

import copy
import re

from formulacheck.pages.check import check_item, page_items
from formulacheck.pages.markdown import RawBlock, ScopeMark
from formulacheck.evaluation.scope import Scope

SWAPPED_LETTERS = {"i": "k", "j": "k", "k": "j", "d": "k", "h": "k"}


def _each_match(text: str, pattern: str, replace, label: str):
    for match in re.finditer(pattern, text):
        new = replace(match)
        if new is None or new == match.group(0):
            continue
        yield f"{label} at {match.start()}", text[:match.start()] + new + text[match.end():]


def mutants(text: str):
    """(description, mutated text) for every operator at every place it applies."""
    out = []
    out += _each_match(text, r"(?<=[\s)}]) \+ ", lambda m: " - ", "plus to minus")
    out += _each_match(text, r"(?<=[\s)}]) - ", lambda m: " + ", "minus to plus")
    out += _each_match(text, r"(?<=[=(\s])-(?=\\)", lambda m: "", "dropped leading minus")
    out += _each_match(text, r"\^\\top", lambda m: "", "dropped transpose")
    out += _each_match(text, r"\\frac\{1\}\{N\}\s*", lambda m: "", "dropped 1/N")
    out += _each_match(text, r"\\frac\{\\lambda\}\{2\}", lambda m: r"\lambda", "dropped 1/2")
    out += _each_match(text, r"\\sum_\{(\w)=1\}\^\{(\w)\}",
                       lambda m: rf"\sum_{{{m.group(1)}=1}}^{{{'N' if m.group(2) != 'N' else 'K'}}}",
                       "summation range changed")
    out += _each_match(text, r"\\sum_\{(\w)=1\}",
                       lambda m: rf"\sum_{{{m.group(1)}=2}}", "summation lower bound changed")
    out += _each_match(text, r"\\sum_\{(\w)=",
                       lambda m: rf"\sum_{{{SWAPPED_LETTERS.get(m.group(1), 'j')}=", "summation index changed")
    out += _each_match(text, r"\\mathbb\{1\}\((\w+|y_i) (=|>) (\w+|y_i)\)",
                       lambda m: _indicator_mutant(m), "indicator index changed")
    out += _each_match(text, r"_\{(\w)(\w)\}", lambda m: f"_{{{m.group(2)}{m.group(1)}}}",
                       "subscript indices swapped")
    out += _each_match(text, r"_\{(\w)(\w)\}", lambda m: f"_{{{m.group(1)}{SWAPPED_LETTERS.get(m.group(2), 'i')}}}",
                       "second subscript index changed")
    out += _each_match(text, r"(\w) \\times (\w)", lambda m: f"{m.group(2)} \\times {m.group(1)}",
                       "shape annotation transposed")
    out += _each_match(text, r"e\^\{", lambda m: "{", "dropped exp")
    out += _each_match(text, r"\\log ", lambda m: "", "dropped log")
    out += _each_match(text, r"= 1$|= 0$", lambda m: "= 2", "constant changed")
    return out


def inline_mutants(text: str):
    """The mutants of an inline claim: those of a display block, plus each side after an `=`
    doubled (`A = B` to `A = 2 \\cdot B`), so a claim too short for the token-level operators
    (`M_{i y_i} = \\Delta`, `\\frac{\\partial L}{\\partial F} = G`) still has one."""
    out = mutants(text)
    out += _each_match(text, r"(?<![\\:<>])= ", lambda m: "= 2 \\cdot ", "side after = doubled")
    return out


SIZES = ("N", "D", "H", "K")


def shape_table_mutants(text: str):
    """(description, mutated text) for a shape table: every shape changed in every way an author
    could get it wrong (transposed, one size replaced by another, a vector for a scalar and back),
    and every non-scalar expression transposed (a scalar is its own transpose). Sizes are distinct
    and a size is only ever replaced by another size or by 1, so no rewrite names the same shape."""
    lines = text.split("\n")
    out = []
    for number, line in enumerate(lines):
        cells = line.rstrip(" \\").split(" & ")
        if len(cells) < 2 or "\\text{symbol}" in line:
            continue
        expression, shape = cells[0], cells[1]
        replacements = set()
        parts = [part.strip() for part in shape.split("\\times")]
        if len(parts) == 2:
            replacements.add(f"{parts[1]} \\times {parts[0]}")
        for k, part in enumerate(parts):
            for size in SIZES + ("1",):
                if size != part:
                    replacements.add(" \\times ".join(parts[:k] + [size] + parts[k + 1:]))
        for new_shape in sorted(replacements):
            mutated = line.replace(f"{expression} & {shape}", f"{expression} & {new_shape}", 1)
            out.append((f"line {number + 1}: shape {shape} -> {new_shape}",
                        "\n".join(lines[:number] + [mutated] + lines[number + 1:])))
        if shape.strip() not in ("1", "\\text{scalar}"):
            mutated = line.replace(f"{expression} & ", f"{{{expression}}}^\\top & ", 1)
            out.append((f"line {number + 1}: {expression} transposed",
                        "\n".join(lines[:number] + [mutated] + lines[number + 1:])))
    return out


def _indicator_mutant(match):
    left, op, right = match.group(1), match.group(2), match.group(3)
    if right in SWAPPED_LETTERS:
        return rf"\mathbb{{1}}({left} {op} {SWAPPED_LETTERS[right]})"
    if left in SWAPPED_LETTERS:
        return rf"\mathbb{{1}}({SWAPPED_LETTERS[left]} {op} {right})"
    if op == ">":
        return rf"\mathbb{{1}}({left} < {right})"
    return None


def blocks_with_scope(text: str, name: str, trials: int = 3, *, items=None, clean=None):
    """[(raw item, scope it is checked in, result)] for every display block and inline span of a
    page, in page order. An inline claim the checker defers to the end of its scope (it names a
    symbol defined further down) is paired with the scope at that end, as the checker checks it.
    `items` and `clean` (a notebook's items and padding remover) default to a Markdown page's."""
    page_lines = text.splitlines()
    items = page_items(text) if items is None else items
    out, waiting = [], []
    scope = Scope(0)
    for item in items + [ScopeMark(0, "")]:
        if isinstance(item, ScopeMark):
            for index, raw in waiting:
                before = snapshot(scope)
                out[index] = (raw, before, check_item(raw, scope, name, page_lines, trials))
            scope, waiting = Scope(0), []
            continue
        if clean is not None:
            item = RawBlock(item.line, item.col, clean(item), dict(item.markers), list(item.problems),
                            item.start_index, item.end_index, item.kind)
        before = snapshot(scope)
        known = len(scope.symbols)
        result = check_item(item, scope, name, page_lines, trials)
        if (item.kind == "inline" and result.status == "error" and len(scope.symbols) == known
                and "undeclared symbol" in result.message.split("\n")[0]):
            waiting.append((len(out), item))
        out.append((item, before, result))
    return out


def snapshot(scope: Scope) -> Scope:
    """A copy whose symbol table can grow without touching the original (memo is shared: the
    values of existing definitions do not change)."""
    twin = copy.copy(scope)
    twin.symbols = dict(scope.symbols)
    twin.sizes = dict(scope.sizes)
    twin.failed = dict(scope.failed)
    twin.memo = {trial: dict(values) for trial, values in scope.memo.items()}
    return twin


def check_mutant(raw: RawBlock, scope: Scope, text: str, name: str = "mutant.md", trials: int = 3):
    """Check block or span `raw` with its TeX replaced by `text`, in a copy of `scope`. A mutated
    inline span goes through the same rules as the page's (a mutant the inline rules classify as
    not a claim is not caught, and survives)."""
    mutated = RawBlock(raw.line, raw.col, text, dict(raw.markers), list(raw.problems),
                       raw.start_index, raw.end_index, raw.kind)
    return check_item(mutated, snapshot(scope), name, [], trials)
