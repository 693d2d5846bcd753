"""Norms (tex/constructs.parse_norm, evaluation/evaluate.eval_Norm): the Frobenius norm of any
value, `\\|W\\|_F`; the Euclidean norm of a vector, `\\|v\\|` or `\\|v\\|_2`, as d2l writes its
squared loss, and its L1 norm `\\|v\\|_1`; a matrix under `\\|...\\|` or `\\|...\\|_1`, or any other norm,
refused with the forms that are read.
Each expected value is the same quantity written out with sums or products."""

import pytest

from formulacheck.testing import check_formula

PREAMBLE = ("$$\nW \\in \\mathbb{R}^{D \\times K}, \\quad \\mathbf{o}, \\mathbf{y} \\in "
            "\\mathbb{R}^{K}, \\quad \\mathbf{r} \\in \\mathbb{R}^{1 \\times K}, \\quad t \\in "
            "\\mathbb{R}\n$$\n")


@pytest.mark.parametrize("claim", [
    r"\|\mathbf{o} - \mathbf{y}\|^2 = \sum_{k=1}^{K} (o_k - y_k)^2",
    r"\|\mathbf{o}\|_2^2 = \mathbf{o}^\top \mathbf{o}",
    r"\|\mathbf{r}\| = \sqrt{\mathbf{r} \mathbf{r}^\top}",
    r"\|W \mathbf{o}\|^2 = \mathbf{o}^\top W^\top W \mathbf{o}",
    r"\|t\| = |t|",
    r"\|W\|_F^2 = \operatorname{tr}(W^\top W)",
])
def test_norms_are_read_and_checked(claim):
    assert check_formula(claim, PREAMBLE).status == "checked"


@pytest.mark.parametrize("wrong", [
    r"\|\mathbf{o} - \mathbf{y}\|^2 = \sum_{k=1}^{K} (o_k + y_k)^2",
    r"\|\mathbf{o}\|_2 = \mathbf{o}^\top \mathbf{o}",
])
def test_a_wrong_norm_identity_fails(wrong):
    assert check_formula(wrong, PREAMBLE).status == "failed"


def test_the_euclidean_norm_of_a_matrix_is_refused_for_the_frobenius_form():
    block = check_formula(r"\|W\| = 1", PREAMBLE, page="norms.md")
    assert block.status == "error"
    assert block.message.startswith("norms.md:6:1: error: the Euclidean norm \\|...\\| is read for "
                                    "a vector, and this value is D x K; expected \\|...\\|_F for "
                                    "the Frobenius norm of a matrix")


@pytest.mark.parametrize("norm", [r"\|W\|_{\infty}", r"\|\mathbf{o}\|_{\infty}", r"\|W\|_{2F}"])
def test_other_norms_are_refused_naming_the_read_ones(norm):
    block = check_formula(f"{norm} = 1", PREAMBLE)
    assert block.status == "error"
    assert ("only the Frobenius norm \\|W\\|_F and the Euclidean and L1 norms of a vector, \\|v\\| "
            "or \\|v\\|_2 and \\|v\\|_1, are read; expected one of them") in block.message


# The L1 norm of a vector, the sum of its entries' sizes (the L1 penalty of a weight vector): each
# entry's |...| a kink, so its gradient is the sign of the vector.
@pytest.mark.parametrize("claim, wrong", [
    (r"\|\mathbf{o}\|_1 = \sum_{k=1}^{K} |o_k|", r"= \sum_{k=1}^{K} o_k"),
    (r"\|\mathbf{r}\|_1 = \|\mathbf{r}^\top\|_1", r"= \|\mathbf{r}\|"),
    (r"\frac{\partial}{\partial \mathbf{o}} \|\mathbf{o}\|_1 = \operatorname{sign}(\mathbf{o})",
     r"= \mathbf{1}_K"),
    (r"\|\mathbf{o}\|_1 \geq \|\mathbf{o}\|", r"\leq \|\mathbf{o}\|"),
])
def test_the_l1_norm_of_a_vector_is_read_and_a_wrong_value_fails(claim, wrong):
    assert check_formula(claim, PREAMBLE).status == "checked"
    relation = max(claim.rfind(" = "), claim.rfind(r" \geq "))
    assert check_formula(claim[:relation] + " " + wrong, PREAMBLE).status == "failed"


def test_the_l1_norm_of_a_matrix_is_refused_naming_both_readings():
    block = check_formula(r"\|W\|_1 = 1", PREAMBLE, page="norms.md")
    assert block.status == "error"
    assert ("\\|...\\|_1 of a D x K matrix could be its largest column sum (the induced norm) or the "
            "sum of the absolute values of its entries (the L1 penalty); expected the sum written "
            "out, \\sum_{i} \\sum_{j} |W_{ij}|") in block.message
