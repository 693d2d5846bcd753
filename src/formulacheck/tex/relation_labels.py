r"""Relations with a label set above or below them: `\overset{(a)}{=}`, `\stackrel{\text{def}}{=}`,
and `\triangleq`.

Derivations put the reason for a step over its relation: `\overset{(a)}{=}`,
`\stackrel{\text{chain rule}}{=}`. The reader reads the relation, with a caption; so does the
checker. A label that says "defined as" (`def`, `\text{def}`, `\mathrm{def}`, `\triangle`,
`\Delta`) over `=`, and `\triangleq`, is a definition, read as `\coloneqq`. Refused: a label `!`
(the equality is demanded, not claimed), a label that negates it (`\neg`, `\text{not}`), and one
that makes it approximate (`\text{approx}`, `\approx`, `\sim`: read as a caption, the step would
be checked as exact, which the page does not claim). `\overset`, `\stackrel` and `\underset`
over anything but one relation are left to the grammar, which has no reading for them.
"""

from __future__ import annotations

from ..errors import fail_at
from .tokens import Token
from .vocabulary import CHAIN_RELATIONS

LABELLING = frozenset({"\\overset", "\\stackrel", "\\underset"})
#: Labels that mean "defined as" over `=`.
DEFINITION_SYMBOLS = frozenset({"\\triangle", "\\Delta"})
DEFINITION_WORDS = frozenset({"def", "defn", "definition"})
#: Labels that weaken a relation to an approximation, like `\approx` (no checkable claim).
APPROXIMATION_SYMBOLS = frozenset({"\\approx", "\\sim", "\\simeq"})
APPROXIMATION_WORDS = ("approx", "roughly", "asymptotically", "nearly", "almost")
#: Style commands inside a label, which change only its size.
_STYLES = frozenset({"\\scriptstyle", "\\scriptscriptstyle", "\\textstyle", "\\small", "\\tiny"})


def read_relation_labels(tokens: list[Token]) -> list[Token]:
    r"""`tokens` with each labelled relation replaced by the relation it reads as.

    >>> from .tokens import tokenize
    >>> def read(tex):
    ...     return " ".join(t.text for t in read_relation_labels(tokenize(tex))[:-1])
    >>> read(r"F \overset{(a)}{=} X W"), read(r"F \stackrel{\text{def}}{=} X W")
    ('F = X W', 'F \\coloneqq X W')
    >>> read(r"F \triangleq X W"), read(r"\overset{\frown}{A B}")
    ('F \\coloneqq X W', '\\overset { \\frown } { A B }')
    """
    out, index = [], 0
    while index < len(tokens):
        token = tokens[index]
        if token.text == "\\triangleq":
            out.append(Token("cmd", "\\coloneqq", token.line, token.col))
            index += 1
            continue
        read = _labelled_relation(tokens, index) if token.text in LABELLING else None
        if read is None:
            out.append(token)
            index += 1
            continue
        relation, index = read
        out.append(relation)
    return out


def _labelled_relation(tokens: list[Token], index: int):
    """(the relation read, the index after the construct) for `\\overset{LABEL}{REL}` at `index`,
    or None when what is set under the label is not one relation."""
    label_end = _group_end(tokens, index + 1)
    if label_end is None:
        return None
    body_end = _group_end(tokens, label_end + 1)
    if body_end is None:
        return None
    label = [t for t in tokens[index + 2:label_end] if t.text not in _STYLES]
    body = tokens[label_end + 2:body_end]
    if len(body) == 2 and body[0].is_(":") and body[1].is_("="):
        body = [Token("cmd", "\\coloneqq", body[0].line, body[0].col)]
    if len(body) != 1 or body[0].text not in CHAIN_RELATIONS:
        return None
    # The relation stands where the construct starts, so a message quotes the sides without it.
    start = tokens[index]
    relation, command = Token(body[0].kind, body[0].text, start.line, start.col), start.text
    if any(t.is_("!") for t in label):
        raise fail_at(start, f"{command}{{!}}{{{relation.text}}} demands the relation rather than "
                             "claims it; expected the relation alone, for a claim that holds")
    if _negates(label):
        raise fail_at(start, f"a label that negates {relation.text} (\\neg, not) turns the claim "
                             "around; expected the relation alone, or \\neq, which is no claim")
    if _approximates(label):
        raise fail_at(start, f"a label that makes {relation.text} approximate is not a checkable "
                             "claim, like \\approx; expected the relation alone, for a claim that "
                             "holds exactly, or mark the block <!-- unchecked: ... -->")
    if _means_definition(label):
        if not relation.is_("="):
            raise fail_at(start, f"a definition label over {relation.text}; expected it over =, "
                                 "or \\coloneqq")
        relation = Token("cmd", "\\coloneqq", relation.line, relation.col)
    return relation, body_end + 1


def _group_end(tokens: list[Token], start: int):
    """The index of the `}` that closes the `{` at `start`, or None if no group starts there."""
    if start >= len(tokens) or not tokens[start].is_("{"):
        return None
    depth = 0
    for index in range(start, len(tokens)):
        depth += tokens[index].is_("{") - tokens[index].is_("}")
        if depth == 0:
            return index
    return None


def _label_words(label: list[Token]) -> list[str]:
    """The label's words and commands, lower case: a word's text, a command's name."""
    return " ".join(t.arg if t.arg is not None else t.text for t in label).lower().split()


def _negates(label: list[Token]) -> bool:
    words = _label_words(label)
    return "\\neg" in words or "\\lnot" in words or "not" in words


def _approximates(label: list[Token]) -> bool:
    return any(word in APPROXIMATION_SYMBOLS or word.startswith(APPROXIMATION_WORDS)
               for word in _label_words(label))


def _means_definition(label: list[Token]) -> bool:
    if len(label) == 1 and label[0].text in DEFINITION_SYMBOLS:
        return True
    if len(label) == 1 and label[0].arg is not None:
        return label[0].arg.strip().lower().rstrip(".") in DEFINITION_WORDS
    return "".join(t.text for t in label) in DEFINITION_WORDS
