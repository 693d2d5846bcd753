r"""From the TeX of one display block to a list of statements (`Chain` nodes) and its label.

A block holds statements separated, at the top level, by `,`, `;`, `\quad`, `\qquad` or a line
break `\\` of an aligned environment. A line of an aligned environment that starts with `&` (as in
`&= ...`) continues the chain of the line before. `\begin{aligned}`, `\label`, `\tag`, `&`,
`\left`/`\right` and a final `.` or `,` are presentation. Words (`\text{...}`) separate statements
too, read by their role (tex/prose_words.py): after a qualifier (`\quad \text{for all } i`) what
holds no relation is skipped up to the next `\quad`; after a connective (`\text{ and }`) a claim
follows.
A list `a, b \in S` declares every name in the list.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..errors import fail_at
from .named_operators import (is_operator_call, refuse_function_word,
                              refuse_operator_word_without_argument)
from .decimals import written_decimal
from .parser import ExpressionParser
from .prose_words import (QUALIFYING, refuse_value_after_connective, refuse_words_with_object,
                          states_a_condition, takes_object, word_role)
from .relation_labels import read_relation_labels
from .shape_table import is_shape_table, parse_shape_table
from .shapes import parse_shape_label, shape_from_tokens
from .label_grids import label_grid_follows, parse_label_grid
from .structures import parse_bounded_set
from .syntax import Chain, LabelSet, Name, RealSpace, Subscripted
from .tokens import Token, tokenize
from .vocabulary import (CHAIN_RELATIONS, CLOSERS, LABEL_DOTS, LAYOUT_ENVIRONMENTS, NOT_CLAIMS,
                         OPENERS, ROUNDS_TO, SEPARATORS, TEXT_COMMANDS)

_END_OF_LINE = 10**9  # a column past the end of any line


@dataclass
class ParsedBlock:
    statements: list
    label: str | None


def parse_block(text: str, first_line: int = 1, first_col: int = 1) -> ParsedBlock:
    r"""Parse the TeX of a display block into statements.

    >>> block = parse_block(r"X \in \mathbb{R}^{N \times D}, \quad \lambda > 0 \label{eq:decl}")
    >>> [len(s.items) for s in block.statements], block.label
    ([2, 2], 'eq:decl')
    """
    tokens = tokenize(text, first_line, first_col)
    tokens, label = _strip_presentation(tokens)
    if is_shape_table(tokens):
        return ParsedBlock([parse_shape_table(tokens)], label)
    statements, pending_names = [], []
    parts = _split_parts(tokens)
    # Words (`\text{ and }`, `\mbox{so that}`) separate statements like `\quad`, read by their
    # role (tex/prose_words.py) up to the next `\quad`, `\qquad` or `\\`: after a qualifier
    # (`\text{for all } i`) a piece is skipped unless it holds a relation; after a connective
    # (`\text{ and }`) it must be a claim.
    role, words = None, None
    holds_math = any(part_tokens for part_tokens, _, _ in parts)  # words alone: no formula
    for number, (part_tokens, separator_before, separator_after) in enumerate(parts):
        if separator_before in ("\\quad", "\\qquad", "\\\\"):
            role, words = None, None
        # (words in a qualifier continue it: `\text{for all } i \text{ and } j`)
        elif isinstance(separator_before, Token) and holds_math and role not in QUALIFYING:
            read_as = word_role(separator_before)  # None: punctuation or spaces alone
            if read_as is not None:
                role, words = read_as, separator_before
        if not part_tokens:
            continue
        if role is not None and is_index_range(parts, number):
            continue
        if role is not None and is_qualifier(part_tokens):
            # After a connective: the object of further words (`\text{and, by the definition of }
            # y \text{, } ...`), or a list of names to declare (`\text{and } a, b \in S`).
            inside_words = (isinstance(separator_after, Token) and number + 1 < len(parts)
                            and parts[number + 1][0] and isinstance(separator_before, Token)
                            and takes_object(separator_before))
            if role in QUALIFYING or inside_words:
                continue
            if separator_after != ",":
                refuse_value_after_connective(words, part_tokens[0])
        elif isinstance(separator_before, Token):
            refuse_words_with_object(separator_before)
        bound = index_bound(part_tokens) if role is not None else None
        if bound is not None:  # `\text{for } 1 \le i \le H'`: the range of i in the statement
            if not statements:
                raise fail_at(part_tokens[0], "a range of an index letter qualifies the formula "
                                              "before it; expected it after a formula")
            statements[-1].ranges.append(bound)
            continue
        end = part_tokens[-1]
        chain = _parse_chain(part_tokens + [Token("end", "", end.line, end.col + 1)])
        following = tokens.index(end) + 1  # the separator after the part, if any
        chain.end = tokens[following] if following < len(tokens) - 1 else None
        if chain.end is None and part_tokens[0].line != end.line:  # a continued line: quote to
            chain.end = Token("end", "", end.line, _END_OF_LINE)  # the end of its last line
        if not chain.relations and separator_after == "," and isinstance(chain.items[0],
                                                                         (Name, Subscripted)):
            pending_names.append(chain.items[0])
            continue
        if pending_names:
            if not chain.relations or chain.relations[0].text not in ("\\in", ">"):
                raise fail_at(pending_names[0].tok, "a list of names must end in a declaration "
                                                    "such as a, b \\in \\mathbb{R}")
            chain.names = pending_names
            pending_names = []
        if role is not None and states_a_condition(words):
            chain.condition_words = words
        statements.append(chain)
    if pending_names:
        raise fail_at(pending_names[0].tok, "a list of names must end in a declaration such as "
                                            "a, b \\in \\mathbb{R}")
    return ParsedBlock(statements, label)


@lru_cache(maxsize=4096)
def parsed_block(text: str, first_line: int = 1, first_col: int = 1) -> ParsedBlock:
    """`parse_block`, kept for the same text at the same place: every page is checked under each
    size assignment (scope.SIZE_ASSIGNMENTS), and parsing does not depend on the sizes. Nothing
    changes a syntax tree after parsing, so the trees can be shared. A block that does not parse
    raises its FormulaError every time (exceptions are not kept).

    >>> parsed_block("x = 1", 3, 1) is parsed_block("x = 1", 3, 1)
    True
    >>> parsed_block("x = 1", 3, 1) is parsed_block("x = 2", 3, 1)
    False
    """
    return parse_block(text, first_line, first_col)


def is_qualifier(tokens: list[Token]) -> bool:
    r"""Whether the tokens after words (`\text{for all } i`) are a qualifier, skipped as
    presentation: only when they hold no relation. Anything with a relation is a statement and is
    checked (a condition such as `j \neq y_i` there is refused like any `\neq` claim), so nothing
    skipped can hide a claim.

    >>> [is_qualifier(tokenize(t)[:-1]) for t in ("i, j", "j \\neq y_i", "C = D", "x > 0")]
    [True, False, False, False]
    """
    return not any(t.text in CHAIN_RELATIONS for t in tokens)


def is_index_range(parts, number: int) -> bool:
    r"""Whether part `number` starts the range of a qualifier, `\text{for } i = 1, \dots, N`:
    an index letter equal to 1, then `\dots` (or `\ldots`, `\cdots`), then one last value. The
    other parts hold no relation and are skipped as a qualifier anyway.

    >>> parts = _split_parts(tokenize(r"\text{for } i = 1, \dots, N"))
    >>> [is_index_range(parts, k) for k in range(len(parts))]
    [False, True, False, False]
    """
    tokens = parts[number][0]
    if len(tokens) != 3 or number + 2 >= len(parts):
        return False
    letter, relation, first = tokens
    dots, last = parts[number + 1][0], parts[number + 2][0]
    return (letter.kind == "letter" and letter.text.islower() and relation.is_("=")
            and first.is_("1") and len(dots) == 1 and dots[0].text in LABEL_DOTS and len(last) == 1
            and last[0].kind in ("letter", "number"))


def index_bound(tokens: list[Token]):
    r"""`1 \le i \le H + 2P` (after words, as in `\quad \text{for } 1 \le i \le H'`): the
    triple (letter token, upper bound, first value), the range first..upper of the index letter i
    in the formula before it; None for anything else (`0 \le p \le 1` after `\text{for }` is a
    claim about p). The first value is a whole number of at least 1 (`2 \le t \le T`).

    >>> letter, upper, first = index_bound(tokenize(r"1 \le h \le H + 2P")[:-1])
    >>> letter.text, type(upper).__name__, first
    ('h', 'Add', 1)
    >>> index_bound(tokenize(r"2 \le t \le T")[:-1])[2], index_bound(tokenize(r"0 \le p \le 1")[:-1])
    (2, None)
    """
    if len(tokens) < 5 or tokens[1].text not in ("\\le", "\\leq"):
        return None
    first, letter, relation = tokens[0], tokens[2], tokens[3]
    if letter.kind != "letter" or not letter.text.islower() or relation.text not in ("\\le", "\\leq"):
        return None
    if not (first.kind == "number" and first.text.isdigit() and int(first.text) >= 1):
        return None
    end = tokens[-1]
    parser = ExpressionParser(tokens[4:] + [Token("end", "", end.line, end.col + 1)])
    upper = parser.parse_expr()
    if not parser.at_end():
        raise fail_at(parser.tok, f"unexpected {parser.tok} after the range of {letter.text}; "
                                  "expected one range such as 1 \\le i \\le N per item")
    return letter, upper, int(first.text)


def _strip_presentation(tokens: list[Token]):
    tokens = read_relation_labels(tokens)  # `\overset{(a)}{=}` is `=` with a caption
    label = None
    kept = []
    matrix_depth = 0
    for previous, token in zip([None] + tokens, tokens):
        if token.text in ("\\label", "\\tag"):
            label = label or (token.arg or "").strip()
            continue
        if token.text in ("\\begin", "\\end") and (token.arg or "").strip() in LAYOUT_ENVIRONMENTS:
            continue
        if token.text in ("\\begin", "\\end"):
            matrix_depth += 1 if token.text == "\\begin" else -1
        if token.text in ("\\left", "\\right"):
            continue
        if token.is_("(") and previous is not None and previous.text == "\\left":
            # `\\alpha \\left( ... \\right)`: a sized group after a scalar is a product
            token = Token(token.kind, token.text, token.line, token.col, "\\left")
        if token.is_("&") and matrix_depth == 0:
            continue
        if token.is_(".") and previous is not None and previous.text in ("\\left", "\\right"):
            continue  # `\left.` and `\right.`: an invisible delimiter
        if token.text in ("\\lvert", "\\rvert"):  # amsmath's bars of an absolute value
            token = Token("sym", "|", token.line, token.col)
        kept.append(token)
    return kept, label


def _split_parts(tokens: list[Token]):
    """Split at top-level separators; returns (tokens, separator before, separator after), a
    separator spelled as written, or the token of the words (`\\text{...}`)."""
    parts, current = [], []
    depth, matrix_depth = 0, 0
    before = None
    body = tokens[:-1]
    skip_to = 0  # the spacing that starts a continued line is skipped up to here
    for index, token in enumerate(body):
        if index < skip_to:
            continue
        if token.text in OPENERS:
            depth += 1
        elif token.text in CLOSERS:
            depth -= 1
        elif token.text == "\\begin":
            matrix_depth += 1
        elif token.text == "\\end":
            matrix_depth -= 1
        top = depth == 0 and matrix_depth == 0
        if top and token.text == "\\\\":
            following = body[index + 1] if index + 1 < len(body) else None
            if following is not None and following.text in CHAIN_RELATIONS:
                continue  # `&=` continuation: the `&` is already gone, the chain goes on
            continued = _continued_line(body, index + 1) if current else None
            if continued is not None:  # `&= a + b \\ &\quad + c`: the expression goes on
                skip_to = continued
                continue
            parts.append((current, before, "\\\\"))
            current, before = [], "\\\\"
            continue
        if top and token.text in SEPARATORS:
            parts.append((current, before, token.text))
            current, before = [], token.text
            continue
        following = body[index + 1] if index + 1 < len(body) else tokens[-1]
        if top and is_operator_call(token, following):  # `\text{vec}(X)`: an operator, not words
            current.append(token)
            continue
        if top and token.text in TEXT_COMMANDS:
            refuse_operator_word_without_argument(token, following)
            refuse_function_word(token, following)
            parts.append((current, before, token))
            current, before = [], token
            continue
        current.append(token)
    while current and current[-1].text in (".", ","):
        current.pop()
    parts.append((current, before, None))
    return parts


def _continued_line(body: list[Token], start: int):
    r"""Where the line from `start` continues the expression of the line above, the index of its
    `+` or `-` (after any `\quad`, `\qquad`); else None. A line continues the one above when it
    starts with `+` or `-` and holds no relation and no words: TeX's long formulas are split so,
    `&= a + b \\ &\quad + c`. A line with a relation (`-a = b`) is a statement of its own.

    >>> tokens = tokenize(r"a = b \\ \quad + c \\ - a = d")[:-1]
    >>> _continued_line(tokens, 4), _continued_line(tokens, 8)
    (5, None)
    """
    index = start
    while index < len(body) and body[index].text in ("\\quad", "\\qquad"):
        index += 1
    if index >= len(body) or body[index].text not in ("+", "-"):
        return None
    depth = 0
    for token in body[index:]:
        if token.text in OPENERS or token.text == "\\begin":
            depth += 1
        elif token.text in CLOSERS or token.text == "\\end":
            depth -= 1
        elif depth == 0 and token.text == "\\\\":
            break
        elif depth == 0 and (token.text in CHAIN_RELATIONS or token.text in TEXT_COMMANDS):
            return None
    return index


def _parse_chain(tokens: list[Token]) -> Chain:
    parser = ExpressionParser(tokens)
    start = parser.tok
    starts = [parser.tok]
    items = [parser.parse_expr()]
    relations = []
    while not parser.at_end():
        relation = parser.tok
        if relation.is_(":") and parser.peek().is_("="):
            parser.take()
            relation = Token("cmd", "\\coloneqq", relation.line, relation.col)
        elif relation.text == "\\eqqcolon":
            raise fail_at(relation, "\\eqqcolon defines the left side from the right; expected "
                                    "\\coloneqq (name on the left)")
        elif relation.text not in CHAIN_RELATIONS:
            raise fail_at(relation, f"unexpected {relation}; expected an operator, a relation "
                                    "(=, \\coloneqq, \\in, >) or the end of the statement")
        elif relation.text in NOT_CLAIMS:
            raise fail_at(relation, f"{relation.text} is not a checkable claim; expected =, "
                                    "\\coloneqq, \\in or >, or mark the block <!-- unchecked: ... -->")
        parser.take()
        relations.append(relation)
        starts.append(parser.tok)
        if relation.text == "\\in":
            items.append(_parse_set(parser))
        else:
            items.append(parser.parse_expr())
        if relation.text == ROUNDS_TO and not (written_decimal(items[-2]) or written_decimal(items[-1])):
            raise fail_at(relation, "\\approx is not a checkable claim without a decimal on one "
                                    "side: expected the value written as a decimal to the digits "
                                    "it means (\\log 3 \\approx 1.0986, checked to half a unit "
                                    "of its last digit), =, \\coloneqq, \\in or >, or mark the "
                                    "block <!-- unchecked: ... -->")
    return Chain(start, items, relations, starts=starts)


def _parse_set(parser: ExpressionParser):
    token = parser.tok
    bounded = parse_bounded_set(parser)  # `\\{0, 1\\}^{N \\times K}`, `[0, 1]` (tex/structures.py)
    if bounded is not None:
        return bounded
    if token.text == "\\mathbb" and token.arg == "R":
        parser.take()
        if not parser.tok.is_("^"):
            return RealSpace(token, ())
        parser.take()
        return RealSpace(token, _shape_after_caret(parser))
    if token.text == "\\{":
        parser.take()
        first = parser.take()
        if not first.is_("1"):
            raise fail_at(first, "label sets start at 1 (indices on pages are 1-based); expected "
                                 "\\{1, \\dots, K\\}")
        parser.expect(",", "in the label set \\{1, \\dots, K\\}")
        if parser.tok.text not in ("\\dots", "\\ldots", "\\cdots"):
            raise fail_at(parser.tok, "expected \\dots in the label set \\{1, \\dots, K\\}")
        parser.take()
        parser.expect(",", "in the label set \\{1, \\dots, K\\}")
        upper = parser.take()
        if upper.kind != "letter" or not upper.text.isupper():
            raise fail_at(upper, "expected a size name such as K as the last label")
        parser.expect("\\}", "to close the label set")
        power = None
        if parser.tok.is_("^"):
            parser.take()
            if label_grid_follows(parser):  # `\{1, \dots, V\}^{N \times T}` (tex/label_grids.py)
                return LabelSet(token, upper.text, parse_label_grid(parser))
            size = parser.parse_group_or_token("as the number of labels")
            if not isinstance(size, Name) or not size.name.isupper():
                raise fail_at(token, "expected a size name such as N as the number of labels")
            power = size.name
        return LabelSet(token, upper.text, power)
    raise fail_at(token, f"expected a set after \\in (\\mathbb{{R}}^{{N \\times D}} or "
                         f"\\{{1, \\dots, K\\}}^N), found {token}")


def _shape_after_caret(parser: ExpressionParser):
    if parser.tok.is_("{"):
        return parse_shape_label(parser)
    token = parser.take()
    return shape_from_tokens([token])
