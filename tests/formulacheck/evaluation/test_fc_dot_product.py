"""`\\cdot` between two vectors of one shape (evaluate.is_dot_product): their dot product, as
Parr & Howard write `\\mathbf{w} \\cdot \\mathbf{x}`; between anything else, the product."""

import pytest

from formulacheck.testing import check_formula


@pytest.mark.parametrize("claim, status", [
    (r"\mathbf{w} \cdot \mathbf{x} = \mathbf{w}^\top \mathbf{x}", "checked"),
    (r"\mathbf{w} \cdot \mathbf{x} = \sum_{d=1}^{D} w_d x_d", "checked"),
    (r"\mathbf{w}^\top \cdot \mathbf{x}^\top = \mathbf{x}^\top \mathbf{w}", "checked"),
    (r"\mathbf{w} \cdot \mathbf{x} = \mathbf{w}^\top \mathbf{w}", "failed"),
    (r"A \cdot \mathbf{x} = A \mathbf{x}", "checked"),  # a matrix and a vector: their product
])
def test_cdot_between_two_vectors_of_one_shape_is_their_dot_product(claim, status):
    # Parr & Howard's `\mathbf{w} \cdot \mathbf{x}`: two D x 1 vectors have no matrix product
    preamble = ("$$\n\\mathbf{w}, \\mathbf{x} \\in \\mathbb{R}^{D}, \\quad A \\in "
                "\\mathbb{R}^{D \\times D}\n$$\n")
    assert check_formula(claim, preamble).status == status


def test_cdot_between_vectors_of_two_lengths_stays_a_shape_error():
    preamble = "$$\n\\mathbf{w} \\in \\mathbb{R}^{D}, \\quad \\mathbf{v} \\in \\mathbb{R}^{K}\n$$\n"
    block = check_formula(r"\mathbf{w} \cdot \mathbf{v} = 0", preamble)
    assert block.status == "error" and "inner sizes" in block.message
