r"""Words in a formula: the phrases read as prose between statements, and how what follows them
is read.

At the top level of a formula, words (`\text{...}`, `\mbox{...}`, ...) separate statements like
`\quad` (tex/statements.py). A reader reads the words and the math around them as one sentence,
so the checker reads as prose only words that cannot change the claim beside them, by their first
word (`PROSE_WORDS`):

- a *connective* (`and`, `so that`, `hence`, ...) joins claims: what follows it, up to the next
  separator, must be a claim;
- a *qualifier* (`for all`, `where`, `if`, ...) qualifies a claim: what follows it is skipped,
  unless it holds a relation (then it is a claim, checked like any other); further words before
  the next `\quad`, `\qquad` or `\\` continue the qualifier (`\text{for all } i \text{ and } j`);
- an *aside* in parentheses, `(by the chain rule)`, is read like a qualifier; words after it are
  read by their first word (`(by (3)), so that`); a parenthesis the words leave open goes on into
  the math after them, so the words inside it are read by their first word, as if no parenthesis
  were there (`\text{(i.e. } 3 x \text{)}` is a connective followed by a value, and refused).

Other words are refused: `y = 2 x \text{ times } 2` reads as y = 4x and `\text{half of } y = x`
as y / 2 = x, not as the claims the math alone makes. Words directly before a claim must end in a
word of the table or in punctuation: in `\text{and half of } y = x`, y is the object of "of".
"""

from __future__ import annotations

import re
from enum import StrEnum

from ..errors import fail_at
from .tokens import Token


class WordRole(StrEnum):
    """What words in a formula do to the math after them."""

    CONNECTIVE = "connective"  # joins claims: a claim follows
    QUALIFIER = "qualifier"  # qualifies a claim: what follows is skipped unless it is a claim
    ASIDE = "aside"  # a remark in parentheses: read like a qualifier


#: The roles after which a value with no relation is skipped, and further words continue them.
QUALIFYING = frozenset({WordRole.QUALIFIER, WordRole.ASIDE})
#: The first words of prose in a formula: connectives join claims, qualifiers qualify one.
CONNECTIVES = ("and", "so", "hence", "thus", "therefore", "then", "since", "because", "i.e.",
               "e.g.", "that", "equivalently", "giving", "also", "but", "while", "whereas",
               "similarly", "likewise")
QUALIFIERS = ("for", "where", "with", "if", "when", "whenever", "unless", "by", "using", "from")
#: Qualifiers whose relation reads as a condition of the claim before (`\text{for } r > 0`).
CONDITIONS = ("for", "if", "when", "whenever", "unless")
#: The words a formula's words may start with, and their role. A claim may follow words that end
#: in one of them, in one of `ENDINGS`, or in punctuation.
PROSE_WORDS = {**dict.fromkeys(CONNECTIVES, WordRole.CONNECTIVE),
               **dict.fromkeys(QUALIFIERS, WordRole.QUALIFIER)}
#: Last words after which the math is not their object: `\text{for all } i = 1, ...`, `that is`.
ENDINGS = frozenset({"all", "each", "every", "is"})
#: Words that would state a relation, which only the math does.
RELATION_WORDS = {"is": "=", "are": "=", "equals": "=", "equal": "=", "gives": "=",
                  "becomes": "="}

_WORD = re.compile(r"[A-Za-z][A-Za-z.'-]*")
_CLOSING_PUNCTUATION = (",", ";", ":", ".", ")")


def word_role(token: Token) -> WordRole | None:
    r"""The role of the words `token` (a `\text{...}` at the top level of a formula), None for
    punctuation or spaces alone; words that start with no word of `PROSE_WORDS` are refused.

    >>> from .tokens import tokenize
    >>> roles = [word_role(t) for t in tokenize(r"\text{and} \text{for all} \text{(by (3))}")[:-1]]
    >>> [str(role) for role in roles], word_role(tokenize(r"\text{, }")[0])
    (['connective', 'qualifier', 'aside'], None)
    >>> word_role(tokenize(r"\text{ times }")[0])
    Traceback (most recent call last):
    ...
    formulacheck.errors.FormulaError: the words 'times' are not read in a formula: beside the math they could change its claim (y = 2 x \text{ times } 2 says y = 4 x); expected words that start with a connective (and, so, hence, ...) or a qualifier (for, where, if, ...), a remark in parentheses, or the words outside the formula
    """
    phrase = _phrase(token)
    if phrase.startswith("("):
        after = _after_parentheses(phrase)
        if after is None:  # left open: the remark goes on into the math after the words
            return _role_of(phrase[1:].strip(), token)
        return _role_of(after, token) if _WORD.search(after) else WordRole.ASIDE
    return _role_of(phrase, token)


def _after_parentheses(phrase: str) -> str | None:
    """The words after the parenthesis that opens `phrase` closes, or None if it stays open.

    >>> _after_parentheses("(by (3)), so that"), _after_parentheses("(i.e. ")
    ('so that', None)
    """
    depth = 0
    for index, character in enumerate(phrase):
        depth += (character == "(") - (character == ")")
        if depth == 0:
            return phrase[index + 1:].strip().lstrip(",;:").strip()
    return None


def _role_of(phrase: str, token: Token) -> WordRole | None:
    """The role of the words `phrase` of `token` by their first word (see `word_role`)."""
    words = _WORD.findall(phrase)
    if not words:
        return None
    first = _normal(words[0])
    role = PROSE_WORDS.get(first)
    if role is not None:
        return role
    if first in RELATION_WORDS:
        raise fail_at(token, f"the words '{phrase}' would state a relation, which only the math "
                             f"does here; expected {RELATION_WORDS[first]} (or \\coloneqq for a "
                             "definition) in the math")
    if first == "or":
        raise fail_at(token, f"the words '{phrase}' would make either claim enough, and the "
                             "checker checks each claim of a formula; expected 'and' or "
                             "'equivalently' (both claims hold), or the words outside the formula")
    raise fail_at(token, f"the words '{phrase}' are not read in a formula: beside the math they "
                         "could change its claim (y = 2 x \\text{ times } 2 says y = 4 x); "
                         "expected words that start with a connective (and, so, hence, ...) or a "
                         "qualifier (for, where, if, ...), a remark in parentheses, or the words "
                         "outside the formula")


def states_relation(token: Token) -> bool:
    r"""Whether the words `token` start with a word that states a relation (`\text{ equals }`):
    inline math with such words is a claim to the reader, never an expression.

    >>> from .tokens import tokenize
    >>> [states_relation(t) for t in tokenize(r"\text{ is } \text{ and }")[:-1]]
    [True, False]
    """
    words = _WORD.findall(_phrase(token))
    return bool(words) and _normal(words[0]) in RELATION_WORDS


def states_a_condition(token: Token) -> bool:
    r"""Whether the words `token` start with a word after which a relation reads as a condition of
    the claim before them (`\text{for } r > 0`, `\text{if }`), which the checker does not apply.

    >>> from .tokens import tokenize
    >>> [states_a_condition(t) for t in tokenize(r"\text{for } \text{ if } \text{ and }")[:-1]]
    [True, True, False]
    """
    words = _WORD.findall(_phrase(token))
    return bool(words) and _normal(words[0]) in CONDITIONS


def _phrase(token: Token) -> str:
    """The words of `token` as messages show them: without spaces or punctuation before them."""
    return (token.arg or "").strip().lstrip(",;:").strip()


def _normal(word: str) -> str:
    """A word as the tables spell it: lower case, without a final full stop unless it is an
    abbreviation of the table (`i.e.`)."""
    word = word.lower()
    return word if word in PROSE_WORDS else word.rstrip(".'-")


def takes_object(token: Token) -> bool:
    r"""Whether the words `token` end in a word that makes the math after them its object: not a
    word of `PROSE_WORDS` or `ENDINGS`, nor punctuation (`\text{and, by the definition of }`).

    >>> from .tokens import tokenize
    >>> words = tokenize(r"\text{ so that } \text{ (i.e. } \text{and half of }")[:-1]
    >>> [takes_object(t) for t in words]
    [False, False, True]
    """
    phrase = _phrase(token)
    words = _WORD.findall(phrase)
    if not words or phrase.endswith(_CLOSING_PUNCTUATION):
        return False
    last = _normal(words[-1])
    return last not in PROSE_WORDS and last not in ENDINGS


def refuse_words_with_object(token: Token) -> None:
    r"""Words directly before a claim must not take its math as their object (`takes_object`).

    >>> from .tokens import tokenize
    >>> refuse_words_with_object(tokenize(r"\text{and, by the chain rule, }")[0])
    >>> refuse_words_with_object(tokenize(r"\text{and half of }")[0])
    Traceback (most recent call last):
    ...
    formulacheck.errors.FormulaError: the words 'and half of' end in 'of', which makes the math after them its object: the checker would read the claim after the words, not the one the sentence makes; expected the words to end before the claim (with a connective such as 'and', or a comma), or the quantity written in the math
    """
    if not takes_object(token):
        return
    phrase = _phrase(token)
    raise fail_at(token, f"the words '{phrase}' end in '{_WORD.findall(phrase)[-1]}', which makes "
                         "the math after them its object: the checker would read the claim after "
                         "the words, not the one the sentence makes; expected the words to end "
                         "before the claim (with a connective such as 'and', or a comma), or the "
                         "quantity written in the math")


def refuse_value_after_connective(token: Token, value: Token) -> None:
    r"""After a connective (`\text{ i.e. }`), a value with no relation would be skipped while the
    sentence claims something of it (y = 2 x, i.e. 3 x): refused."""
    phrase = _phrase(token)
    raise fail_at(value, f"after the words '{phrase}' a claim is expected, and this holds no "
                         "relation: the sentence would say something of it that the checker does "
                         "not read; expected a claim (such as y = 3 x), or words that start with a "
                         "qualifier (for, where, if, ...) before a value that qualifies")
