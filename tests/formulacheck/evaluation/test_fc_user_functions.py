"""Functions a page defines, applied (evaluation/user_functions.py): to scalars and entries, entry
by entry to a matrix, to a whole vector when the body is written for one, with a prime, inside
`\\log`, and squared. Expected values are independent: each is compared with the same formula
written out without the function. The ambiguous neighbour (a body that means different things on
a whole matrix and on its entries) is refused naming both readings."""

import numpy as np
import pytest

from formulacheck.testing import check_formula

PREAMBLE = r"""$$
Z \in \mathbb{R}^{N \times K}, \quad A, B \in \mathbb{R}^{D \times D}, \quad \mathbf{v} \in \mathbb{R}^{D}, \quad z, t \in \mathbb{R}
$$

$$
\sigma(u) = \frac{1}{1 + e^{-u}}, \quad f(a, b) = a b + 1, \quad q(\mathbf{w}) = \mathbf{w}^\top A \mathbf{w}
$$
"""


@pytest.mark.parametrize("claim", [
    r"\sigma(z) = \frac{1}{1 + e^{-z}}",
    r"\sigma(Z_{ij}) = \frac{1}{1 + e^{-Z_{ij}}}",
    r"f(z, t) = z t + 1",
    r"f(Z_{ij}, z) = Z_{ij} z + 1",
    r"q(\mathbf{v}) = \mathbf{v}^\top A \mathbf{v}",
    r"\sigma(z)^2 = \frac{1}{(1 + e^{-z})^2}",
    r"\log \sigma(z) = -\log(1 + e^{-z})",
    r"\sigma'(z) = \frac{e^{-z}}{(1 + e^{-z})^2}",
    r"\sigma'(Z_{ij}) = \sigma(Z_{ij}) (1 - \sigma(Z_{ij}))",
    r"\frac{\partial}{\partial \mathbf{v}} q(\mathbf{v}) = (A + A^\top) \mathbf{v}",
])
def test_an_application_equals_the_formula_written_out(claim):
    assert check_formula(claim, PREAMBLE).status == "checked"
    left, right = claim.split(" = ")
    assert check_formula(f"{left} = 2 {right}" if "partial" not in claim else f"{left} = 2 A \\mathbf{{v}}",
                         PREAMBLE).status == "failed"


def test_a_scalar_body_on_a_matrix_is_applied_entry_by_entry():
    preamble = PREAMBLE + "\n$$\nS_{ij} \\coloneqq \\frac{1}{1 + e^{-Z_{ij}}}\n$$\n"
    assert check_formula(r"\sigma(Z) = S", preamble).status == "checked"
    assert check_formula(r"\sigma(Z) = \sigma(Z^\top)^\top", preamble).status == "checked"
    assert check_formula(r"\sigma(-Z) = S", preamble).status == "failed"


def test_the_prime_of_a_matrix_argument_is_taken_entry_by_entry():
    preamble = PREAMBLE + "\n$$\nS_{ij} \\coloneqq \\frac{1}{1 + e^{-Z_{ij}}}\n$$\n"
    assert check_formula(r"\sigma'(Z) = S \odot (\mathbf{1}_N \mathbf{1}_K^\top - S)", preamble).status == "checked"
    assert check_formula(r"\sigma'(Z) = S", preamble).status == "failed"


def test_a_body_with_two_readings_on_square_matrices_is_refused_naming_both():
    preamble = PREAMBLE + "\n$$\nm(a, b) = a b\n$$\n"
    message = check_formula(r"m(A, B) = A B", preamble).message
    assert ("m applied to a 3 x 3 value could be applied to the whole value or entry by entry, and "
            "the two differ here; expected m applied to entries, as in m(Z_{ij})") in message
    # on matrices that are not square only the entries' reading is a value: it is the one read
    assert check_formula(r"m(Z, Z) = Z \odot Z", preamble).status == "checked"


def test_a_body_with_one_reading_on_matrices_is_read_that_way():
    # A B + 1 cannot add a scalar to a whole matrix: only the entries' reading is a value
    assert check_formula(r"f(Z, Z) = Z \odot Z + \mathbf{1}_N \mathbf{1}_K^\top", PREAMBLE).status == "checked"


def test_a_function_without_arguments_is_refused_by_name():
    message = check_formula(r"\sigma = 1", PREAMBLE).message
    assert r"\sigma is a function (line 6); expected it applied to arguments in parentheses" in message


def test_a_wrong_number_of_arguments_is_refused():
    assert "f is applied to 1 arguments but defined with 2 parameters (line 6)" in check_formula(
        r"f(z) = 1", PREAMBLE).message


def test_the_complex_step_of_a_prime_is_exact_to_rounding():
    # the prime of e^{u} at 0.7 is e^{0.7}: no step-size error (a finite difference would show one)
    preamble = "$$\nz \\coloneqq 0.7\n$$\n\n$$\ng(u) = e^{u}\n$$\n"
    block = check_formula(r"g'(z) = 2.0137527074704766", preamble)
    assert block.status == "checked", block.message
    assert abs(np.exp(0.7) - 2.0137527074704766) < 1e-15


def test_the_prime_written_as_a_superscript_and_a_second_prime():
    assert check_formula(r"\sigma^{\prime}(z) = \sigma^\prime(z)", PREAMBLE).status == "checked"
    message = check_formula(r"\sigma''(z) = 0", PREAMBLE).message
    assert "a second prime is a higher derivative, which is not read" in message


@pytest.mark.parametrize("claim, wrong", [
    (r"Z \odot \sigma(Z) = \sigma(Z) \odot Z", r"Z \odot \sigma(Z) = \sigma(-Z) \odot Z"),
    (r"\sigma'(Z) \odot Z = \sigma(Z) \odot \sigma(-Z) \odot Z",
     r"\sigma'(Z) \odot Z = \sigma(Z) \odot \sigma(Z) \odot Z"),
])
def test_an_application_beside_odot_is_one_factor(claim, wrong):
    # d2l's `\frac{\partial J}{\partial \mathbf{h}} \odot \phi'(\mathbf{z})`
    assert check_formula(claim, PREAMBLE).status == "checked"
    assert check_formula(wrong, PREAMBLE).status == "failed"


def test_a_product_beside_odot_stays_refused_when_no_function_applies():
    # A is a matrix of the page, not a function: A (B) \odot B is (A B) \odot B or A (B \odot B)
    block = check_formula(r"A (B) \odot B = A B \odot B", PREAMBLE)
    assert block.status == "error"
    assert "\\odot next to a product of several factors could be read two ways" in block.message
