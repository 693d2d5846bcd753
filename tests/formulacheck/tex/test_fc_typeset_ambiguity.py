"""Forms that TeX typesets so that readers read them two ways, or that TeX refuses: each is
refused with the forms that say which is meant, and each of those forms is read as it says.

Expected values: both readings are written out in the grammar's unambiguous forms and checked
against each other, so the test shows the two readings differ on these instances.
"""

import pytest

from formulacheck.testing import check_formula

DECLARE = r"""
$$
a \in \mathbb{R}, \quad b \in \mathbb{R}, \quad c \in \mathbb{R}, \quad x \in \mathbb{R}^{N}
$$
"""


def last_block(formula: str):
    return check_formula(formula, DECLARE, page="ambiguity.md")


@pytest.mark.parametrize("formula, fragment, readings", [
    (r"a / b c = a", "a factor after a / b could belong to the denominator",
     (r"\frac{a}{b c}", r"\frac{a}{b} c")),
    (r"a2 = a", "a number after a symbol could be its subscript or a factor", None),
    (r"\sum_{i=1}^{N} x_i 2 = a", "a number after a symbol", None),
    (r"a^2^3 = a", "a second exponent on one base, which TeX refuses", (r"{a^2}^3", r"a^{2^3}")),
    (r"x_1_2 = a", "a second subscript on one base", None),
])
def test_a_form_with_two_readings_is_refused_and_each_reading_can_be_written(formula, fragment,
                                                                            readings):
    block = last_block(formula)
    assert block.status == "error" and fragment in block.message, block.message
    if readings:
        first, second = readings
        assert last_block(f"{first} = {first}").status == "checked"
        assert last_block(f"{first} = {second}").status == "failed"  # two different values


@pytest.mark.parametrize("formula", [
    r"a / b \cdot c = \frac{a}{b} c",
    r"a b / c = \frac{a b}{c}",
    r"2 a = a \cdot 2",
    r"x_2 = x_2",
    r"x_1^2 = x_1 \cdot x_1",
])
def test_the_written_out_forms_are_read(formula):
    block = last_block(formula)
    assert block.status == "checked", block.message


def test_a_two_letter_subscript_without_braces_names_the_braces():
    page = DECLARE.replace(r"x \in \mathbb{R}^{N}", r"x \in \mathbb{R}^{N}, \quad X \in \mathbb{R}^{N \times D}")
    block = check_formula(r"X_ij = X_{ij}", page, page="ambiguity.md")
    assert block.status == "error" and "X_ij is typeset as X_i j" in block.message
    assert "expected X_{ij}" in block.message
    spaced = check_formula(r"X_i j = X_{ij}", page, page="ambiguity.md")  # written as a product
    assert spaced.status == "error" and "typeset as" not in spaced.message


@pytest.mark.parametrize("formula, fragment", [
    (r"\left. \frac{\partial a^2}{\partial a} \right|_{a=1} = 2", "an evaluation bar |_{...} is not read"),
    (r"\frac{\partial a^2}{\partial a} \Big|_{a=1} = 2", "an evaluation bar |_{...} is not read"),
    (r"a = a \; \forall a", r"expected words after the claim, \quad \text{for all } i"),
    (r"a \not= 2 a", r"expected \neq, which is no claim"),
])
def test_source_notation_without_a_reading_names_what_to_write(formula, fragment):
    block = last_block(formula)
    assert block.status == "error" and fragment in block.message, block.message


def test_amsmath_bars_are_an_absolute_value_and_an_invisible_delimiter_is_nothing():
    assert last_block(r"\lvert a \rvert = |a|").status == "checked"
    assert last_block(r"\left. a \right. = a").status == "checked"
