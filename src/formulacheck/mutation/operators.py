r"""The mutants of a formula: each operator makes one small change an author could make by
mistake, at one place (`minus to plus at 77`: the change and its offset in the formula's TeX).

`mutants` are the token-level operators of any display block; `inline_mutants` add one for the
often short inline claims (the side after `=` doubled); `more_mistakes` make the mistakes those
operators never make (a sign after a plain symbol, a number inside the formula);
`shape_table_mutants` change a shape table's shapes and transpose its expressions; `substitutions`
apply a page's own typical mistakes (its record, mutation/records.py).

>>> mutants(r"F = (X W) + 1")
[('plus to minus at 9', 'F = (X W) - 1')]
"""

from __future__ import annotations

import re

SWAPPED_LETTERS = {"i": "k", "j": "k", "k": "j", "d": "k", "h": "k"}
SIZES = ("N", "D", "H", "K")


def _each_match(text: str, pattern: str, replace, label: str):
    for match in re.finditer(pattern, text):
        new = replace(match)
        if new is None or new == match.group(0):
            continue
        yield f"{label} at {match.start()}", text[:match.start()] + new + text[match.end():]


def mutants(text: str) -> list:
    """(change, mutated text) for every operator at every place it applies."""
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
                       lambda m: rf"\sum_{{{SWAPPED_LETTERS.get(m.group(1), 'j')}=",
                       "summation index changed")
    out += _each_match(text, r"\\mathbb\{1\}\((\w+|y_i) (=|>) (\w+|y_i)\)", _indicator_mutant,
                       "indicator index changed")
    out += _each_match(text, r"_\{(\w)(\w)\}", lambda m: f"_{{{m.group(2)}{m.group(1)}}}",
                       "subscript indices swapped")
    out += _each_match(text, r"_\{(\w)(\w)\}",
                       lambda m: f"_{{{m.group(1)}{SWAPPED_LETTERS.get(m.group(2), 'i')}}}",
                       "second subscript index changed")
    out += _each_match(text, r"(\w) \\times (\w)", lambda m: f"{m.group(2)} \\times {m.group(1)}",
                       "shape annotation transposed")
    out += _each_match(text, r"e\^\{", lambda m: "{", "dropped exp")
    out += _each_match(text, r"\\log ", lambda m: "", "dropped log")
    out += _each_match(text, r"= 1$|= 0$", lambda m: "= 2", "constant changed")
    out += arithmetic_subscript_mutants(text)
    return out


#: A subscript of several items with index arithmetic, `_{n,c,S(i-1)+p,S(j-1)+q}`.
ARITHMETIC_SUBSCRIPT = r"_\{([^{}]*,[^{}]*)\}"


def arithmetic_subscript_mutants(text: str) -> list:
    """The mistakes of index arithmetic (evaluation/index_arithmetic.py), in a subscript of items
    separated by commas one of which computes: two neighbouring items swapped (a transposed
    index), a `+` and a `-` exchanged, an offset `-1` or `+1` dropped (`S(i-1)` for `S(i)`).

    >>> [change for change, _ in arithmetic_subscript_mutants("X_{n,h-1}")]
    ['subscript items swapped at 1', 'index arithmetic sign flipped at 1', 'index offset dropped at 1']
    """
    out = []
    for match in re.finditer(ARITHMETIC_SUBSCRIPT, text):
        inner = match.group(1)
        if not re.search(r"[+\-(]", inner):
            continue
        items = inner.split(",")
        changed = []
        for k in range(len(items) - 1):
            swapped = items[:k] + [items[k + 1], items[k]] + items[k + 2:]
            changed.append(("subscript items swapped", ",".join(swapped)))
        for sign in re.finditer(r"[+\-]", inner):
            flipped = "-" if sign.group(0) == "+" else "+"
            changed.append(("index arithmetic sign flipped",
                            inner[:sign.start()] + flipped + inner[sign.end():]))
        for offset in re.finditer(r"[+\-]\s*1(?!\d)", inner):
            changed.append(("index offset dropped", inner[:offset.start()] + inner[offset.end():]))
        for label, new in changed:
            if new != inner:
                mutated = text[:match.start(1)] + new + text[match.end(1):]
                out.append((f"{label} at {match.start()}", mutated))
    return out


def inline_mutants(text: str) -> list:
    """The mutants of an inline claim: those of a display block, plus each side after an `=`
    doubled (`A = B` to `A = 2 \\cdot B`), so a claim too short for the token-level operators
    (`M_{i y_i} = \\Delta`, `\\frac{\\partial L}{\\partial F} = G`) still has one."""
    return mutants(text) + list(_each_match(text, r"(?<![\\:<>])= ", lambda m: "= 2 \\cdot ",
                                            "side after = doubled"))


# Mistakes the operators above do not make: they flip a sign only after `)`, `}` or a space (never
# in `X^\top G + \lambda W`), drop a minus only before a command (not in `-V_i`), reverse a
# comparison only inside an indicator, and change a number only as the final constant. Numbers are
# those a derivation computes (a coefficient, a fraction's part, a power, a shape's 1), not those
# that define a function or an index (`\max(0, .)`, `z > 0`, `\mathbf{1}_N`, a subscript, a sum's
# bound, the first value of a range `1 \le p \le k_h`: a range that starts later states the
# same formula for fewer values, true whenever the formula is).
MORE_MISTAKES = [
    ("sign after a symbol flipped", r"(?<=[\w'|]) \+ ", " - "),
    ("sign after a symbol flipped", r"(?<=[\w'|]) - ", " + "),
    ("dropped minus before a symbol", r"(?<=[=(\s])-(?=\w)", ""),
    ("comparison reversed", r" < | > ", lambda sign: " > " if sign.group(0) == " < " else " < "),
    ("number changed",
     r"(?<![_=\w\\(<>])(?<!\\mathbf\{)(?<!\\mathbb\{)(?<!_\{)(?<!, )(?<!> )(?<!< )\d+(?![\d.])"
     r"(?! \\leq? [a-z] \\leq? )",
     lambda number: str(int(number.group(0)) + 1)),
]
#: Words, labels and tags are presentation: a number changed there is no mistake in the math.
PRESENTATION = r"\\(?:text|label|tag)\{[^}]*\}"


def substitutions(text: str, mistakes, made: set) -> list:
    """(change, mutated text) for each `(name, pattern, replacement)` of `mistakes` at each
    place its pattern matches outside presentation, leaving out what `made` already holds.

    >>> substitutions(r"a = 2 b \\text{2}", [("number changed", r"\\d", "3")], set())
    [('number changed at 4', 'a = 3 b \\\\text{2}')]
    """
    shown_only = [range(*words.span()) for words in re.finditer(PRESENTATION, text)]
    out = []
    for name, pattern, replacement in mistakes:
        for match in re.finditer(pattern, text):
            if any(match.start() in span for span in shown_only):
                continue
            new = replacement(match) if callable(replacement) else match.expand(replacement)
            mutated = text[:match.start()] + new + text[match.end():]
            if mutated != text and mutated not in made:
                made.add(mutated)
                out.append((f"{name} at {match.start()}", mutated))
    return out


def shape_table_mutants(text: str) -> list:
    """(change, mutated text) for a shape table: every shape changed in every way an author could
    get it wrong (transposed, one size replaced by another, a vector for a scalar and back), and
    every non-scalar expression transposed (a scalar is its own transpose). Sizes are distinct and
    a size is only ever replaced by another size or by 1, so no rewrite names the same shape."""
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
            out.append((f"row {number + 1}: shape {shape} -> {new_shape}",
                        "\n".join(lines[:number] + [mutated] + lines[number + 1:])))
        if shape.strip() not in ("1", "\\text{scalar}"):
            mutated = line.replace(f"{expression} & ", f"{{{expression}}}^\\top & ", 1)
            out.append((f"row {number + 1}: {expression} transposed",
                        "\n".join(lines[:number] + [mutated] + lines[number + 1:])))
    return out


def all_mutants(text: str, *, inline: bool = False, table: bool = False, mistakes=()) -> list:
    """Every mutant of a checked formula: the operators (of an inline claim: `inline_mutants`;
    of a shape table: `shape_table_mutants` too), MORE_MISTAKES, then the page's own `mistakes`;
    each mutated text once."""
    out = list(inline_mutants(text) if inline else mutants(text))
    if table:
        out += shape_table_mutants(text)
    made = {mutated for _, mutated in out}
    out += substitutions(text, MORE_MISTAKES, made)
    out += substitutions(text, mistakes, made)
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
