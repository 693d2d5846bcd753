"""Words in a formula (tex/prose_words.py): read as prose only when they cannot change the claim
beside them.

Each refused formula below passed before this rule, checked as the claim its math alone makes,
while its sentence claims something false (y is 2x here, so "y = 2x times 2" says y = 4x). The
test shows both halves: the formula with the words is refused, and the claim the reader reads,
written in math, fails. The accepted forms are the prose the site's pages and the sources use.
"""

import pytest

from formulacheck import check_markdown
from formulacheck.testing import check_formula

DEFINE = r"""
$$
x \in \mathbb{R}^{N}
$$

$$
y \coloneqq 2 x
$$
"""


def last_block(formula: str):
    return check_formula(formula, DEFINE, page="words.md")


# (formula with words, the reader's claim written in math, a fragment of the refusal)
MISREAD = [
    (r"y = 2 x \text{ times } 2", r"y = 2 x \cdot 2", "the words 'times' are not read"),
    (r"y = 2 x \text{ plus } x", r"y = 2 x + x", "the words 'plus' are not read"),
    (r"y = 2 x \text{ squared}", r"y = (2 x) \odot (2 x)", "the words 'squared' are not read"),
    (r"y = 2 x \text{ divided by } N", r"y = \frac{2 x}{N}", "the words 'divided by' are not read"),
    (r"\text{half of } y = 2 x", r"\frac{1}{2} y = 2 x", "the words 'half of' are not read"),
    (r"y = 2 x, \text{ and half of } y = 2 x", r"\frac{1}{2} y = 2 x",
     "the words 'and half of' end in 'of'"),
    (r"y = 2 x \text{, i.e. } 3 x", r"y = 3 x", "after the words 'i.e.' a claim is expected"),
    (r"y = 2 x \text{ and } 3 x", r"y = 3 x", "after the words 'and' a claim is expected"),
    (r"y = 2 x \text{ and } 3 x \text{,}", r"y = 3 x", "after the words 'and' a claim is expected"),
    (r"y \text{ equals } 3 x", r"y = 3 x", "the words 'equals' would state a relation"),
    # A parenthesis the words leave open goes on into the math: its words take that math.
    (r"y = 2 x \quad \text{(i.e. } 3 x \text{)}", r"y = 3 x",
     "after the words '(i.e.' a claim is expected"),
    (r"y = 2 x \text{ (which is } 3 x \text{)}", r"y = 3 x", "the words 'which is' are not read"),
    (r"y = 2 x \quad \text{(equals } 3 x \text{)}", r"y = 3 x",
     "the words 'equals' would state a relation"),
    (r"y = 2 x \text{ (i.e. } 3 x \text{) and } y = 2 x", r"y = 3 x",
     "after the words '(i.e.' a claim is expected"),
    (r"y = 2 x \quad \text{(by (2)), so that } 3 x", r"y = 3 x",
     "after the words '(by (2)), so that' a claim is expected"),
]


@pytest.mark.parametrize("formula, meant, fragment", MISREAD, ids=[m[0] for m in MISREAD])
def test_words_that_would_change_the_claim_are_refused(formula, meant, fragment):
    block = last_block(formula)
    assert block.status == "error" and fragment in block.message, block.message
    assert last_block(meant).status == "failed"  # the sentence's claim is false


def test_or_is_refused_since_each_claim_is_checked():
    block = last_block(r"y = 2 x \quad \text{or} \quad y = x")
    assert block.status == "error" and "would make either claim enough" in block.message


@pytest.mark.parametrize("span, fragment", [
    (r"y = 2 x \text{ times } 2", "the words 'times' are not read"),
    (r"y \text{ equals } 3 x", "the words 'equals' would state a relation"),
])
def test_inline_math_is_read_by_the_same_rule(span, fragment):
    # An inline span with words that state a relation is a claim, not an expression
    (result,) = check_markdown(DEFINE + f"\nSo ${span}$ holds.\n", "words.md").spans
    assert result.status == "error" and fragment in result.message, result.message


def test_inline_words_without_a_relation_stay_an_expression():
    (result,) = check_markdown(DEFINE + "\nSo $y \\text{ and } x$ here.\n", "words.md").spans
    assert result.status == "classified" and result.rule == "expression"


@pytest.mark.parametrize("formula", [
    r"y = 2 x \quad \text{ and } \quad 2 x = y",
    r"y = 2 x, \text{ so that } y - x = x",
    r"y = 2 x \text{, i.e. } \frac{1}{2} y = x",
    r"y = 2 x \quad \text{and, by the definition of } y \text{, } y - x = x",
    r"y = 2 x \quad \text{(by the definition of } y \text{)}",
    r"y = 2 x \quad \text{(by (2)), so that } y - x = x",
    r"y = 2 x \quad \text{(so } y - x = x \text{)}",
    r"y = 2 x \quad \text{(using the definition of } y \text{)}",
    r"y_i = 2 x_i \quad \text{for all } i",
    r"y_i = 2 x_i \quad \text{for each } i \text{ in the batch}",
    r"y_i = 2 x_i \quad \text{for } i = 1, \dots, N",
    r"y = 2 x \quad \text{where } x \text{ is the input}",
    r"y = 2 x \text{, that is } y - 2 x = 0 \cdot x",
    r"\text{so } y = 2 x \text{. Equivalently, } x = \frac{1}{2} y",
])
def test_connectives_qualifiers_and_asides_are_read_as_prose(formula):
    block = last_block(formula)
    assert block.status == "checked", block.message


def test_a_connective_may_start_a_list_of_names_to_declare():
    block = last_block(r"y = 2 x \quad \text{and } a, b \in \mathbb{R}")
    assert block.status == "checked", block.message


def test_each_claim_after_words_is_checked():
    block = last_block(r"y = 2 x \quad \text{ so that } \quad y = x")
    assert block.status == "failed" and "y = x" in block.message


def test_a_block_of_words_alone_holds_no_formula():
    block = check_markdown(DEFINE + "\n$$\n\\text{the scores}\n$$\n", "words.md").blocks[-1]
    assert block.status == "error" and "the block holds no formula" in block.message
