r"""Inline math: the `$...$` and `\(...\)` spans of a page, found as pymdownx.arithmatex finds them.

The site's Markdown hands MathJax every span that arithmatex's inline pattern matches in the text
Markdown leaves to inline patterns. This module uses arithmatex's own regular expressions
(`RE_SMART_DOLLAR_INLINE`, `RE_BRACKET_INLINE`) on the same text: paragraphs, list items, table
cells, headings, admonitions, tabs and footnotes, and not fenced code, code spans (which Markdown
takes first), HTML comments or the display blocks `page.read_blocks` found. `$$...$$` in the middle
of a paragraph is matched by the inline pattern too (as its inner `$...$`), so it is read here.
A notebook's Markdown cells are searched with the plain `$...$` pattern (`RE_DOLLAR_INLINE`):
MathJax reads them itself, without arithmatex's rule about spaces inside the dollars.

Each span is then either a statement, checked in the page's scope at its place like a display block
(an inline definition defines), or not a claim by one of the rules of `classify` (GRAMMAR.md,
"Inline math"), or marked `<!-- unchecked: REASON -->` directly after its closing delimiter.
The MkDocs hook proves the two agree: the math in the built HTML is exactly the set of spans and
blocks the checker accounted for (`faces/site/plugin.py`).
"""

from __future__ import annotations

import re

from pymdownx.arithmatex import RE_BRACKET_INLINE, RE_DOLLAR_INLINE, RE_SMART_DOLLAR_INLINE

from ..errors import FormulaError
from .markdown import FENCE, RawBlock
from ..evaluation.scope import EULER, SIZE_VALUES, SymbolKind
from ..tex.constructs import COMPARISON_IN_PARENTHESES
from ..tex.parser import ExpressionParser
from ..tex.prose_words import states_relation
from ..tex.relation_labels import read_relation_labels
from ..tex.syntax import Add, Call, Fraction, Name, Neg, Number, Power, Product, Subscripted
from ..tex.tokens import Token, tokenize
from ..tex.vocabulary import (ACCENTS, BOLD, CHAIN_RELATIONS, GREEK, RELATIONS, ROUNDS_TO,
                              TEXT_COMMANDS)

PAGE_INLINE = re.compile("(?:%s)" % "|".join([RE_SMART_DOLLAR_INLINE, RE_BRACKET_INLINE]))
NOTEBOOK_INLINE = re.compile("(?:%s)" % "|".join([RE_DOLLAR_INLINE, RE_BRACKET_INLINE]))
# A code span: a run of backticks up to the next run of the same length (Markdown's rule).
CODE_SPAN = re.compile(r"(?<![\\`])(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.DOTALL)
COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
MARKER_AFTER = re.compile(r"[ \t]*<!--\s*unchecked\s*:\s*(.*?)\s*-->")
# Lines that start a new Markdown block inside a run of non-blank lines: list items, headings,
# table rows, admonitions, tabs, footnote and definition bodies, quotes, HTML.
BLOCK_START = re.compile(r"^\s*(?:[-*+]\s|\d+[.)]\s|#|\||!!!|\?\?\?|===|\[\^[^\]]*\]:|>|:\s|<)")
HIDDEN = "\x02"  # masks text that is not searched; arithmatex's patterns never match across it
# `h \\approx 0.001` gives a value of the text as `h = 0.001` does; `\\log 3 \\approx 1.0986` is a claim
COMPARISONS = frozenset(RELATIONS) | {ROUNDS_TO}
NOT_CLAIMS = {
    "expression": "a bare expression: no relation at the top level, so nothing is claimed",
    "index condition": "a condition on index letters or labels, such as j = k or j \\neq y_i",
    "value": "the value or case of a size or a parameter of the text, such as N = 300, "
             "h = 10^{-5} or z > 0",
}


def find_spans(text: str, blocks: list, *, notebook: bool = False) -> list:
    r"""The inline spans of a page, as `RawBlock`s of kind "inline", in page order.

    `blocks` are the display blocks of the page (`page.read_blocks`): their lines are not searched.

    >>> from formulacheck.pages.markdown import read_blocks
    >>> page = "A $x = 1$ and `$y$` and \\(z\\).\n\n$$\nw\n$$\n\n- so $$F = X W$$ here\n"
    >>> [(s.line, s.col, s.text) for s in find_spans(page, read_blocks(page))]
    [(1, 4, 'x = 1'), (1, 27, 'z'), (7, 8, 'F = X W')]
    """
    masked = _masked(text, blocks)
    pattern = NOTEBOOK_INLINE if notebook else PAGE_INLINE
    starts = _line_starts(text)
    spans = []
    for begin, end in _chunks(masked):
        for match in pattern.finditer(masked, begin, end):
            group = 3 if match.group(3) is not None else 6
            if match.group(group) is None:
                continue  # an escaped backslash run, not math
            offset = match.start(group)
            line = _line_of(starts, offset)
            span = RawBlock(line + 1, offset - starts[line] + 1, text[offset:match.end(group)],
                            start_index=line, kind="inline")
            span.end_index = _line_of(starts, match.end(group))
            marker = MARKER_AFTER.match(text, match.end())
            if marker:
                span.markers["unchecked"] = marker.group(1)
            spans.append(span)
    return spans


def _line_starts(text: str) -> list:
    """Offsets of the page lines, split as `page.read_blocks` splits them (`str.splitlines`)."""
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    return starts[:-1] if len(starts) > 1 else starts


def _line_of(starts: list, offset: int) -> int:
    low, high = 0, len(starts) - 1
    while low < high:
        middle = (low + high + 1) // 2
        if starts[middle] <= offset:
            low = middle
        else:
            high = middle - 1
    return low


def _hide(chars: list, begin: int, end: int) -> None:
    for index in range(begin, min(end, len(chars))):
        if not chars[index].splitlines() == [""]:  # keep line breaks: lines stay where they are
            chars[index] = HIDDEN


def _masked(text: str, blocks: list) -> str:
    """`text` with everything that is not searched for inline math replaced by HIDDEN."""
    chars = list(text)
    lines = text.splitlines()
    starts = _line_starts(text)
    starts += [len(text) + 1] * (len(lines) + 2 - len(starts))
    fence = None
    for number, line in enumerate(lines):
        if fence is not None or FENCE.match(line):
            if fence is None:
                fence = FENCE.match(line).group(1)[:3]
            elif line.strip().startswith(fence):
                fence = None
            _hide(chars, starts[number], starts[number] + len(line))
    for block in blocks:
        if isinstance(block, RawBlock):
            _hide(chars, starts[block.start_index], starts[block.end_index + 1] - 1)
    for pattern in (COMMENT, CODE_SPAN):
        for match in pattern.finditer("".join(chars)):
            _hide(chars, *match.span())
    return "".join(chars)


def _chunks(masked: str):
    """(begin, end) offsets of the runs of text Markdown hands to inline patterns one at a time:
    paragraphs (split where a list item, heading, ... starts) and table cells."""
    position, current = 0, None
    for raw_line in masked.splitlines(keepends=True):
        line = raw_line.rstrip("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
        end = position + len(line)
        if not line.strip() or BLOCK_START.match(line):
            if current is not None:
                yield current
                current = None
            if line.lstrip().startswith("|"):
                yield from _cells(masked, position, end)
            elif line.strip():
                current = (position, end)
        else:
            current = (current[0] if current else position, end)
        position += len(raw_line)
    if current is not None:
        yield current


def _cells(masked: str, begin: int, end: int):
    cell = begin
    for index in range(begin, end):
        if masked[index] == "|" and masked[index - 1] != "\\":
            yield cell, index
            cell = index + 1
    yield cell, end


# -- what is not a claim ---------------------------------------------------------------------
def classify(tex: str, scope) -> str | None:
    r"""The rule by which an inline span is not a claim (a key of NOT_CLAIMS), or None.

    - **expression**: no relation outside brackets (`X^\top G`, `\mathbb{1}(y_i = j)`), or a
      relation sign alone (`=`, `\coloneqq`, named in prose);
    - **index condition**: comparisons whose every side is an index letter (a lowercase letter
      that is not a symbol of the scope), a label entry (`y_i`), a whole number, or index
      arithmetic (`S (i - 1) + p`) (`j = k`, `j \neq y_i`, `m = i`, `S (i - 1) + p = h`);
    - **value**: comparisons whose every side is atomic (a number such as `300`, `0.5`, `10^{-5}`
      or `2 \times 10^{-3}`, a size, an index letter, or one symbol as written: `h`, `\lambda`,
      `b_1`, `Z_{ih}`, `\hat{X}_{id}`), at least one side a number or a size and one side a name (a
      relation between numbers only, `2 < 1`, is a claim), and no `=` joining two symbols: the
      value of a size or a parameter in the text (`N = 300`, `h = 10^{-5}`), or a case (`z > 0`, `0
      \le p < h`). A symbol the page defines as a number is no parameter of the text: after `D
      \coloneqq 2`, `D = 3` is a claim, checked (and failed).

    (In an empty scope every lowercase letter is an index letter, so `0 \le p < h` is an index
    condition; after `p, h \in \mathbb{R}` it is a case, a value.)

    A relation hides from the rules above only in parentheses or brackets, or in a subscript or
    superscript; a brace group hides nothing: `{F = 2 X W}` is typeset as F = 2XW, and
    `\boxed{F = 2 X W}` or `F \overset{(a)}{=} 2 X W` shows its relation too, so each is read.
    Nor do parentheses around the whole span (`(j = k)` is `j = k`), and a comparison in
    parentheses that follow no name (`Z \odot (Z > 0)`) is read as a statement, to be refused.

    >>> from formulacheck.evaluation.scope import Scope
    >>> [classify(t, Scope()) for t in ("X^\\top G", "j \\neq y_i", "N = 300", "h = 10^{-5}",
    ...         "0 \\le p < h", "A_{ij} = B_{ij}", "\\max(0, 0) = 0", "=", "{F = 2 X W}",
    ...         "\\sum_{i=1}^{N} x_i", "\\boxed{F = X}", "F \\overset{(a)}{=} X", "2 < 1")]
    ['expression', 'index condition', 'value', 'value', 'index condition', None, None,
     'expression', None, 'expression', None, None, None]
    """
    try:
        *tokens, end = read_relation_labels(tokenize(tex))  # `\overset{(a)}{=}` is `=`
    except FormulaError:  # unreadable TeX: the statement parser reports it, at its place
        return None
    return _classify_tokens(tokens, end, scope)


def _classify_tokens(tokens: list[Token], end: Token, scope) -> str | None:
    """`classify` on the span's tokens (`end` the end token)."""
    split = _top_level(tokens)
    if split is None:
        return None  # `F \text{ equals } X W`: a claim in words, read as a statement
    sides, relations = split
    inner = _inside_parentheses(tokens) if not relations else None
    if inner:
        # parentheses around the whole span hide nothing: `$(j = k)$` is read as `$j = k$`, and
        # `$(F = 2 X W)$` shows a claim, which the statement parser refuses ("a claim is written
        # without parentheses")
        return _classify_tokens(inner, end, scope)
    if not relations and _comparison_in_parentheses(tokens, end):
        return None  # `$Z \odot (Z > 0)$`: read as a statement, refused as in display math
    if not relations or all(not side for side in sides):
        return "expression"
    if any(r.text not in COMPARISONS for r in relations) or any(not side for side in sides):
        return None
    kinds = [_atom(side, scope) for side in sides]
    if None in kinds:
        return None
    if all(kind in ("number", "whole") for kind in kinds):
        return None  # `2 < 1`, `10^{-5} = 10^{-3}`: no parameter, no case; a claim about numbers
    if all(kind in ("index", "whole") for kind in kinds) and "index" in kinds:
        return "index condition"
    if not any(kind in ("number", "whole", "size") for kind in kinds):
        return None
    for relation, left, right in zip(relations, kinds, kinds[1:]):
        if relation.text == "=" and left == right == "symbol":
            return None
    if any(kind == "symbol" and _defined_as_a_number(side + [end], scope)
           for kind, side in zip(kinds, sides)):
        return None  # `D = 3` after `D \coloneqq 2`: the page gave the value; the span claims it
    return "value"


def _top_level(tokens: list[Token]):
    """(sides, relations): `tokens` split at their relations outside brackets and scripts (and at
    `:`), or None when words at the top level state a relation (`F \\text{ equals } X W`)."""
    sides, current, relations, depth = [], [], [], 0
    groups = []  # for each open `{`: whether it is a script (hides a relation) or not
    closed_script = False  # whether the last group closed was a script (`_{i=1}^{N}`)
    for previous, token in zip([None] + tokens, tokens):
        if token.text == "{":
            # Only a script (`_{i=1}`, `^{...}`) hides a relation: `{F = 2 X W}` is typeset as
            # F = 2XW, and a command's argument shows its relation too (`\boxed{F = 2 X W}`,
            # `\overset{(a)}{=}`), so either is read as a statement (and refused if the grammar
            # has no reading for it).
            script = previous is not None and (previous.text in ("_", "^")
                                               or previous.text == "}" and closed_script)
            groups.append(script)
            depth += script
        elif token.text == "}":
            closed_script = groups.pop() if groups else False
            depth -= closed_script
        elif token.text in ("(", "[", "\\{", "\\left"):
            depth += 1
        elif token.text in (")", "]", "\\}", "\\right"):
            depth -= 1
        if depth == 0 and token.text in TEXT_COMMANDS and states_relation(token):
            return None
        if depth == 0 and (token.text in CHAIN_RELATIONS or token.text == ":"):
            relations.append(token)
            sides.append(current)
            current = []
        else:
            current.append(token)
    sides.append(current)
    return sides, relations


def _comparison_in_parentheses(tokens: list[Token], end: Token) -> bool:
    """Whether the span holds a comparison in plain parentheses that follow no name (`(F = X W)
    (G = Y)`, `Z \\odot (Z > 0)`), which the grammar refuses as no value. Parentheses after a
    name are an application, as prose writes them (`P(Y = k)`, `\\mathbb{1}(y_i = j)`), and stay
    an expression; so does a span the grammar cannot read for another reason."""
    if not any(token.text in RELATIONS for token in tokens):
        return False  # most expressions: nothing to parse
    for index, token in enumerate(tokens):
        previous = tokens[index - 1].text if index else None
        if token.text != "(" or not (previous is None or previous in _OPERATORS_BEFORE_A_GROUP):
            continue
        try:
            ExpressionParser(tokens[index:] + [end]).parse_expr()
        except FormulaError as problem:
            if problem.message.startswith(COMPARISON_IN_PARENTHESES):
                return True
    return False


# What may stand before a group that is a factor or a term of its own, not an argument.
_OPERATORS_BEFORE_A_GROUP = frozenset({"(", ")", "+", "-", ",", "\\odot", "\\otimes", "\\cdot",
                                       "\\times", "\\quad", "\\qquad"})


def _inside_parentheses(tokens: list[Token]) -> list[Token] | None:
    """The tokens inside one pair of parentheses around the whole span (`( ... )`,
    `\\left( ... \\right)`), or None."""
    texts = [t.text for t in tokens]
    if texts[:2] == ["\\left", "("] and texts[-2:] == ["\\right", ")"]:
        inner = tokens[2:-2]
    elif texts[:1] == ["("] and texts[-1:] == [")"]:
        inner = tokens[1:-1]
    else:
        return None
    depth = 0
    for token in inner:  # the opening parenthesis must close at the end, not before
        depth += (token.text == "(") - (token.text == ")")
        if depth < 0:
            return None
    return inner


def names_a_defined_number(tex: str, scope) -> bool:
    r"""Whether a side of `tex` (a span `classify` read as a value or an index condition: atomic
    sides between relations) names a symbol `scope` defines as a number. A summary at the top of a
    page gives a value before the definition it contradicts (`$\lambda = 10^{-2}$`, then
    `\lambda \coloneqq 10^{-3}`; `$k = 3$`, then `k \coloneqq 2`): at the end of the scope it is
    a claim (pages/check.py).

    >>> from formulacheck.evaluation.scope import Scope
    >>> names_a_defined_number(r"\lambda = 10^{-2}", Scope())
    False
    """
    try:
        *tokens, end = read_relation_labels(tokenize(tex))
    except FormulaError:
        return False
    while (inner := _inside_parentheses(tokens)) is not None:  # `$(k = 3)$` reads as `$k = 3$`
        tokens = inner
    split = _top_level(tokens)
    return split is not None and any(side and _defined_as_a_number(side + [end], scope)
                                     for side in split[0])


def _defined_as_a_number(tokens: list[Token], scope) -> bool:
    r"""Whether `tokens` (one symbol, then the end token) name a symbol the scope defines as a
    number: a `\coloneqq` whose body holds only numbers, arithmetic and such symbols
    (`\lambda \coloneqq 10^{-3}`, `m \coloneqq 2 D + 1` after `D \coloneqq 2`). A span that
    gives such a symbol a value claims what the page already fixed, so it is checked."""
    try:
        node = ExpressionParser(tokens).parse_expr()
    except FormulaError:
        return False
    return isinstance(node, (Name, Subscripted)) and _constant(node, scope, set())


# Nodes whose value is a number when their parts are (`Call`: exp, log, sqrt, abs, max of them).
_ARITHMETIC = {Neg: lambda n: [n.operand], Add: lambda n: [term for _, term in n.terms],
               Product: lambda n: n.factors, Fraction: lambda n: [n.numerator, n.denominator],
               Power: lambda n: [n.base, n.exponent], Call: lambda n: n.args}


def _constant(node, scope, seen: set) -> bool:
    if isinstance(node, Number):
        return True
    if type(node) in _ARITHMETIC:
        return all(_constant(part, scope, seen) for part in _ARITHMETIC[type(node)](node))
    if isinstance(node, (Name, Subscripted)):
        name = node.name if isinstance(node, Name) else f"{node.base}_{node.text}"
        symbol = scope.lookup(name, 0)
        if symbol is None or symbol.kind != SymbolKind.DEFINED or name in seen:
            return False
        return _constant(symbol.body, scope, seen | {name})
    return False


def _atom(side: list[Token], scope) -> str | None:
    """"whole", "number", "size", "index", "symbol" for an atomic side, else None."""
    texts = [t.text for t in side]
    if texts[0] in ("-", "+"):
        side, texts = side[1:], texts[1:]
        if not side:
            return None
    if _is_number(texts):
        whole = len(side) == 1 and "." not in texts[0]
        return "whole" if whole else "number"
    if len(side) == 1 and side[0].kind == "letter":
        name = side[0].text
        if name == EULER and not scope.any_arity(name):
            return "number"  # Euler's number (evaluation/scope.py)
        if scope.is_size(name) or (name in SIZE_VALUES and not scope.any_arity(name)):
            return "size"
        if name.islower() and not scope.any_arity(name):
            return "index"
        return "symbol"
    plain = [t.text for t in side if t.text not in ("{", "}")]
    if len(plain) == 3 and plain[1] == "_" and scope.is_size(f"{plain[0]}_{plain[2]}"):
        return "size"  # `d_k` of `\\mathbb{R}^{n \\times d_k}` (tex/shapes.py)
    if _is_label_entry(side, scope):
        return "index"
    if _is_index_arithmetic(side, scope):  # `S (i - 1) + p`, as in a subscript
        return "index"
    return "symbol" if _is_one_symbol(side) else None


def _is_index_arithmetic(side: list[Token], scope) -> bool:
    """Index arithmetic (evaluation/index_arithmetic.py) written in the text, `S (i - 1) + p`:
    index letters, sizes (`S`, `k_h`, `H'`) and whole numbers with `+`, `-` and parentheses, at
    least one index letter and one operator."""
    letters, operators, position = 0, 0, 0
    while position < len(side):
        token = side[position]
        following = side[position + 1:position + 3]
        if token.kind == "letter" and len(following) == 2 and following[0].is_("_"):
            if not scope.is_size(f"{token.text}_{following[1].text}"):
                return False
            position += 3
            continue
        if token.kind == "letter" and following[:1] and following[0].is_("'"):
            position += 2  # `H'`
            continue
        if token.kind == "letter" and token.text.islower() and not scope.any_arity(token.text) \
                and not scope.is_size(token.text):
            letters += 1
        elif token.kind == "letter":
            if not (scope.is_size(token.text) or token.text in SIZE_VALUES):
                return False
        elif token.kind == "number":
            if "." in token.text:
                return False
        elif token.text in ("+", "-", "(", ")"):
            operators += 1
        else:
            return False
        position += 1
    return letters > 0 and operators > 0


def _is_number(texts: list) -> bool:
    """`300`, `0.5`, `10^{-5}`, `10^5`, `2 \\times 10^{-3}`, `2 \\cdot 10^{-3}`."""
    if len(texts) == 1:
        return texts[0][:1].isdigit()
    if len(texts) > 2 and texts[1] in ("\\times", "\\cdot") and texts[0][:1].isdigit():
        texts = texts[2:]
    if texts[:2] != ["10", "^"]:
        return False
    exponent = [t for t in texts[2:] if t not in ("{", "}")]
    return (len(exponent) in (1, 2) and exponent[-1].isdigit()
            and (len(exponent) == 1 or exponent[0] in ("-", "+")))


def _is_label_entry(side: list[Token], scope) -> bool:
    texts = [t.text for t in side if t.text not in ("{", "}")]
    if len(texts) != 3 or texts[1] != "_" or not side[0].kind == "letter":
        return False
    symbol = scope.lookup(texts[0], 0)
    return (symbol is None or symbol.kind == SymbolKind.LABELS) and texts[2].isalpha() and texts[2].islower()


def _is_one_symbol(side: list[Token]) -> bool:
    """One symbol as written: a letter, greek, `\\hat{X}`, `\\boldsymbol{w}`, `(W_2)`, with an
    optional subscript of letters and digits (`b_1`, `Z_{ih}`, `(W_2)_{hk}`, `y_i`)."""
    texts = [t.text for t in side]
    head = side[0]
    if head.kind == "letter" or head.text[1:] in GREEK or head.text in ACCENTS | BOLD:
        rest = side[1:]
    elif texts[:1] == ["("] and ")" in texts:
        closing = texts.index(")")
        if not _is_one_symbol(side[1:closing]):
            return False
        rest = side[closing + 1:]
    else:
        return False
    if not rest:
        return True
    if rest[0].text != "_":
        return False
    inner = [t for t in rest[1:] if t.text not in ("{", "}", ",")]
    braced = len(rest) > 1 and rest[1].text == "{"
    if not inner or (not braced and len(inner) > 1):
        return False
    return all(t.kind in ("letter", "number") or t.text[1:] in GREEK for t in inner)
