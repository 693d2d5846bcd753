"""Operators written as words or named commands (`\\text{vec}(A X B)`, `\\text{Tr}`, `\\tanh`,
`\\operatorname{softmax}`), words and ranges between claims, `~` spacing, and the messages that
name the fix: an operator word without `(`, `\\vec{...}`, an undeclared function, `1 - P`.

Expected values are computed here with numpy from the same random leaves the checker drew, never
by the checker's own code.
"""

import numpy as np
import pytest

from formulacheck.testing import check_formula

DECLARE = r"""
$$
A \in \mathbb{R}^{3 \times 4}, \quad X \in \mathbb{R}^{4 \times 5}, \quad B \in \mathbb{R}^{5 \times 2}, \quad M \in \mathbb{R}^{4 \times 4}, \quad F \in \mathbb{R}^{N \times K}, \quad f \in \mathbb{R}^{K}, \quad x \in \mathbb{R}
$$
"""


def last_block(formula: str):
    return check_formula(formula, DECLARE, page="operators.md")


@pytest.mark.parametrize("formula", [
    r"\text{vec}(A X B) = (B^\top \otimes A) \text{vec}(X)",
    r"\textrm{vec}(A X B) = (B^\top \otimes A) \operatorname{vec}(X)",
    r"\text{Tr}(M) = \mathrm{tr}(M^\top)",
    r"\operatorname{Tr}(A X X^\top A^\top) = \|X^\top A^\top\|_F^2",
    r"\mathrm{Tr}(M) = \text{tr}(M)",
    r"\tanh(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}}",
    r"\frac{\partial \tanh(x)}{\partial x} = 1 - \tanh(x)^2",
    r"\operatorname{softmax}(F) \mathbf{1}_K = \mathbf{1}_N",
    r"\mathbf{1}_K^\top \operatorname{softmax}(f) = 1",
    r"x + x = 2 x \text{ and } x x = x^2",
    r"x + x = 2 x, \text{ for all } x",
    r"f_j + f_j = 2 f_j \quad \text{for } j = 1, \dots, K",
    r"x~+~x = 2~x",
])
def test_named_operators_and_words_are_read_as_written(formula):
    block = last_block(formula)
    assert block.status == "checked", block.message


@pytest.mark.parametrize("mutant", [
    r"\text{vec}(A X B) = (B^\top \otimes A) \text{vec}(X^\top)",  # rows stacked, not columns
    r"\text{vec}(A X B) = (B^\top \otimes A) \text{vec}(X) + \text{vec}(A X B)",
    r"\text{Tr}(M) = \mathrm{tr}(M M)",
    r"\frac{\partial \tanh(x)}{\partial x} = 1 + \tanh(x)^2",
    r"\operatorname{softmax}(F) \mathbf{1}_K = 2 \mathbf{1}_N",
    r"\operatorname{softmax}(F)^\top \mathbf{1}_N = \mathbf{1}_K",  # columns do not sum to one
    r"x + x = 2 x \text{ and } x x = 2 x",
    r"f_j + f_j = 3 f_j \quad \text{for } j = 1, \dots, K",
])
def test_mutants_of_named_operators_fail(mutant):
    assert last_block(mutant).status == "failed"


def test_softmax_is_row_wise_on_a_matrix_and_over_the_entries_of_a_vector():
    # the entry formula is checked against the operator entry by entry
    block = last_block(r"\operatorname{softmax}(F) = P, \quad P_{ij} \coloneqq "
                       r"\frac{e^{F_{ij}}}{\sum_{k=1}^{K} e^{F_{ik}}}")
    assert block.status == "error"  # P is used before it is defined: the order matters
    block = check_formula(r"\operatorname{softmax}(F) = P", DECLARE + r"""
$$
P_{ij} \coloneqq \frac{e^{F_{ij}}}{\sum_{k=1}^{K} e^{F_{ik}}}
$$
""")
    assert block.status == "checked", block.message
    block = check_formula(r"\operatorname{softmax}(f) = p", DECLARE + r"""
$$
p_{j} \coloneqq \frac{e^{f_{j}}}{\sum_{k=1}^{K} e^{f_{k}}}
$$
""")
    assert block.status == "checked", block.message


def test_softmax_survives_large_scores():
    # e^{1000} overflows float64; the shift by the row maximum keeps every entry finite
    block = last_block(r"\operatorname{softmax}(1000 F) \mathbf{1}_K = \mathbf{1}_N")
    assert block.status == "checked", block.message


@pytest.mark.parametrize("formula, message", [
    # the ambiguous neighbour of \text{vec}(X): the word without an argument
    (r"\text{vec} X = X", r"\text{vec} without '(' could be the word vec of the prose or the "
                          r"operator vec applied to what follows; expected \text{vec}(...)"),
    # the ambiguous neighbour of softmax(F): the softmax of one entry
    (r"\operatorname{softmax}(F_{ij}) = F_{ij}", "the softmax of a scalar could be 1 (the softmax "
                                                 "of one number) or one entry of the softmax of a row"),
    (r"\vec{1}^\top f = 1", r"\vec{...} is TeX's arrow accent, which could mark a vector or stand "
                            r"for the operator vec; expected \mathbf{1}_N for a vector of ones"),
    (r"x = \sigma(x)", r"undeclared function \sigma: \sigma(...) applies \sigma to what follows; "
                       r"expected \sigma defined as a function before its first use, as in "
                       r"\sigma(z) = \frac{1}{1 + e^{-z}}"),
    (r"F \odot (1 - F) = F", r"cannot add a scalar and a 7 x 4; a scalar is not added to every "
                             r"entry of a matrix by itself: expected it times the matrix of ones, "
                             r"\mathbf{1}_N \mathbf{1}_K^\top (for 1 - P: \mathbf{1}_N \mathbf{1}_K^\top - P)"),
    (r"f - 1 = f", r"times the matrix of ones, \mathbf{1}_K (for 1 - P: \mathbf{1}_K - P)"),
    (r"\operatorname{softplus}(x) = x", r"unknown operator \operatorname{softplus}"),
    (r"\operatorname{softmax}(F)_j = 1", r"softmax(...) is a matrix; an entry needs two indices"),
    (r"\text{vec}(F_{i1} A)_{2} = 1", r"an entry of vec(...) whose value has the free index i; "
                                       r"expected a whole value inside"),
])
def test_lookalikes_are_refused_naming_both_readings_and_the_fix(formula, message):
    block = last_block(formula)
    assert block.status == "error"
    assert message in block.message, block.message


def test_text_vec_is_never_read_as_words_before_a_claim():
    # Before: `\text{vec}` split the statement, and `(A X B) = ...` was checked as a claim about
    # the matrix A X B. Now the operator is applied: the sides are both 6 x 1 columns.
    assert last_block(r"\text{vec}(A X B) = \text{vec}(A X B)").status == "checked"
    assert last_block(r"\text{vec}(A X B) = A X B").status == "failed"  # 6 x 1 against 3 x 2


def test_the_tanh_value_is_numpy_tanh():
    # at a fixed point, against the value numpy gives (0.46211715726000974 = tanh(0.5))
    block = check_formula(r"\tanh(x_0) = 0.46211715726000974", DECLARE + "\n$$\nx_0 \\coloneqq 0.5\n$$\n")
    assert block.status == "checked", block.message
    assert np.isclose(np.tanh(0.5), 0.46211715726000974)


@pytest.mark.parametrize("formula, status", [
    (r"1 - \tanh^2(x) = 1 - \tanh(x)^2", "checked"),
    (r"\log^{2}(x^2 + 1) = \log(x^2 + 1) \log(x^2 + 1)", "checked"),
    (r"1 - \tanh^2(x) = 1 - \tanh(x)", "failed"),
    (r"\tanh^3(x) = \tanh(x)^2", "failed"),
])
def test_a_power_of_a_function_is_the_power_of_its_value(formula, status):
    assert last_block(formula).status == status


@pytest.mark.parametrize("formula, message", [
    # the ambiguous neighbour: an inverse function or a reciprocal
    (r"\tanh^{-1}(x) = x", r"\tanh^{-1} could be the inverse function of \tanh or the power "
                           r"1 / \tanh(...); expected a whole power of at least 2"),
    (r"\tanh^{1/2}(x) = x", r"could be the inverse function"),
    (r"\tanh^2 x = x", r"expected '(' after \tanh^{...}: a power of a function needs its argument "
                       "in parentheses"),
    # an n-th root: its `[` is not an Iverson bracket, and x^{1/3} says the same
    (r"\sqrt[3]{x^2 + 1} = (x^2 + 1)^{1/3}", r"\sqrt[n]{...}, a root other than the square root, is "
                                            "not read; expected a power with a fractional exponent"),
])
def test_other_powers_of_functions_are_refused(formula, message):
    block = last_block(formula)
    assert block.status == "error" and message in block.message, block.message


@pytest.mark.parametrize("formula, status", [
    # d2l.ai's entry of softmax: j ranges over the K entries of the value
    (r"\operatorname{softmax}(f)_j = \frac{\exp(f_j)}{\sum_{k=1}^{K} \exp(f_k)}", "checked"),
    (r"\operatorname{softmax}(F)_{ij} = \frac{e^{F_{ij}}}{\sum_{k=1}^{K} e^{F_{ik}}}", "checked"),
    (r"\text{vec}(X)_{6} = X_{2,2}", "checked"),  # column-major: entry 6 of a 4 x 5 is (2, 2)
    (r"\operatorname{softmax}(f)_j = \frac{\exp(f_j)}{\sum_{k=1}^{K} f_k}", "failed"),
    (r"\operatorname{softmax}(F)_{ij} = \frac{e^{F_{ij}}}{\sum_{n=1}^{N} e^{F_{nj}}}", "failed"),
    (r"\text{vec}(X)_{6} = X_{1,2}", "failed"),
])
def test_an_entry_of_an_operator_takes_its_ranges_from_the_value(formula, status):
    block = last_block(formula)
    assert block.status == status, block.message


@pytest.mark.parametrize("formula, word", [
    (r"\text{sum}(f) = f", "sum"),  # read as prose, this was the true claim (f) = f
    (r"\text{max}(x) = x", "max"),
    (r"\textrm{softplus}(x) = x", "softplus"),
    (r"\text{relu} x = x", "relu"),
    (r"\mbox{exp} x = x", "exp"),
])
def test_a_function_word_is_refused_not_skipped_as_prose(formula, word):
    block = last_block(formula)
    assert block.status == "error", block.message
    assert f"{{{word}}} before what follows reads as a function {word} applied to it" in block.message


@pytest.mark.parametrize("formula", [
    r"x = x \quad \text{and} \quad f = f",
    r"F_{ij} = F_{ij} \quad \text{for all } i, j",
    r"x = x, \text{ so } f = f",
])
def test_words_of_the_prose_between_statements_still_pass(formula):
    assert last_block(formula).status == "checked"
