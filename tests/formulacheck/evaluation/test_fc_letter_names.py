"""Names with a letter as their subscript (evaluation/letter_names.py): the recurrent weights
`W_x`, `W_h` of the CS231n notes, and the slices `(x_1)_{nd}` of a tensor used whole; each with the
neighbour that is refused or read otherwise."""

import pytest

from formulacheck.testing import check_formula, first_problem

DECLARE = r"""
$$
W_x \in \mathbb{R}^{D \times H}, \quad W_h \in \mathbb{R}^{H \times H}, \quad h_0 \in \mathbb{R}^{N \times H}, \quad X \in \mathbb{R}^{N \times 3 \times D}
$$

$$
(x_2)_{nd} \coloneqq X_{n2d}, \qquad h_1 \coloneqq \tanh(x_2 W_x + h_0 W_h)
$$
"""


def last_block(formula: str, preamble: str = DECLARE):
    return check_formula(formula, preamble, page="letter-names.md")


@pytest.mark.parametrize("formula", [
    r"(W_h)_{jk} = (W_h)_{jk}",
    r"\sum_{d=1}^{D} (x_2)_{nd} (W_x)_{dk} = \sum_{d=1}^{D} X_{n2d} (W_x)_{dk}",
    r"\underbrace{x_2 W_x}_{N \times H} \in \mathbb{R}^{N \times H}",
    r"\frac{\partial \operatorname{tr}(h_0^\top h_1)}{\partial W_h} = h_0^\top \left(h_0 \odot (\mathbf{1}_N \mathbf{1}_H^\top - h_1 \odot h_1)\right)",
    r"\frac{\partial \operatorname{tr}(h_0^\top h_1)}{\partial W_x} = x_2^\top \left(h_0 \odot (\mathbf{1}_N \mathbf{1}_H^\top - h_1 \odot h_1)\right)",
])
def test_letter_names_and_slices_read_as_the_course_writes_them(formula):
    result = last_block(formula)
    assert result.status == "checked", first_problem(result)


@pytest.mark.parametrize("formula", [
    # the two weights swapped, a slice of another time step, a transposed slice
    r"\frac{\partial \operatorname{tr}(h_0^\top h_1)}{\partial W_h} = x_2^\top \left(h_0 \odot (\mathbf{1}_N \mathbf{1}_H^\top - h_1 \odot h_1)\right)",
    r"\sum_{d=1}^{D} (x_2)_{nd} (W_x)_{dk} = \sum_{d=1}^{D} X_{n1d} (W_x)_{dk}",
])
def test_wrong_formulas_with_letter_names_fail(formula):
    result = last_block(formula)
    assert result.status in ("failed", "error"), formula


def test_a_scalar_with_a_letter_subscript_is_refused_with_both_readings():
    problem = last_block(r"u_i \in \mathbb{R}").problem
    assert "u_{i} \\in \\mathbb{R} could declare a scalar named u_{i} or say that every entry u_{i} " \
           "of a family is real" in problem.text
    # one example's label, as the CS231n notes write it, is named with the set it was given
    problem = last_block(r"u_i \in \{1, \dots, K\}").problem
    assert "u_{i} \\in \\{1, \\dots, K\\} could declare a label named u_{i} or say that every entry " \
           "u_{i} of a family is a label; expected a label with a name subscript (such as u_1), or " \
           "the family declared whole (such as u \\in \\{1, \\dots, K\\}^{N})" in problem.text


def test_the_letter_subscript_of_a_known_symbol_stays_its_entries():
    # W is a matrix here, so W_x is not a new name: it is W's entries, with one index too few
    preamble = "$$\nW \\in \\mathbb{R}^{D \\times K}\n$$\n"
    result = check_formula(r"W_x \in \mathbb{R}^{D \times H}", preamble, page="letter-names.md")
    assert result.status == "error"
    assert result.problem.text == "W is a matrix; an entry needs two indices"


def test_the_subscript_of_a_letter_name_is_no_index():
    # x in W_x does not become an index letter of the statement: h_0 W_h has no free index
    result = last_block(r"h_0 W_h \in \mathbb{R}^{N \times H}")
    assert result.status == "checked", first_problem(result)
