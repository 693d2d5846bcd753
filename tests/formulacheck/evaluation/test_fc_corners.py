"""Explicit matrices with ellipses, read by their corners (evaluation/corners.py): rows, columns
and grids, the digit-by-digit subscripts inside them, named pieces unchanged, and every way the
corners can disagree (each an error, never a guess)."""

import pytest

from formulacheck.testing import check_formula

DECLARE = r"""
$$
X \in \mathbb{R}^{N \times D}, \quad W \in \mathbb{R}^{D \times K}, \quad b \in \mathbb{R}^{K}, \quad G \in \mathbb{R}^{N \times K}
$$
"""


def last_block(formula: str):
    return check_formula(formula, DECLARE, page="corners.md")


GRID_T = (r"\begin{bmatrix} X_{11} & \cdots & X_{N1} \\ \vdots & \ddots & \vdots \\ X_{1D} & \cdots "
          r"& X_{ND} \end{bmatrix}")
PRODUCT = (r"\begin{bmatrix} \sum_{d=1}^{D} X_{1d} W_{d1} & \cdots & \sum_{d=1}^{D} X_{1d} W_{dK} \\ "
           r"\vdots & \ddots & \vdots \\ \sum_{d=1}^{D} X_{Nd} W_{d1} & \cdots & "
           r"\sum_{d=1}^{D} X_{Nd} W_{dK} \end{bmatrix}")


@pytest.mark.parametrize("formula", [
    "X^\\top = " + GRID_T,
    "X W = " + PRODUCT,
    r"b^\top = \begin{bmatrix} b_1 & \cdots & b_K \end{bmatrix}",
    r"b^\top = \begin{bmatrix} b_1 & b_2 & \cdots & b_K \end{bmatrix}",
    r"b = \begin{bmatrix} b_1 \\ \vdots \\ b_K \end{bmatrix}",
    r"G^\top \mathbf{1}_N = \begin{bmatrix} \sum_{i=1}^N G_{i1} \\ \vdots \\ \sum_{i=1}^N G_{iK} \end{bmatrix}",
    r"\begin{bmatrix} X_{1,1} & \cdots & X_{1,D} \end{bmatrix} \mathbf{1}_D = \sum_{d=1}^{D} X_{1d}",
    r"\begin{bmatrix} b_1 & \cdots & b_3 \end{bmatrix} \begin{bmatrix} 1 \\ 1 \\ 1 \end{bmatrix} = b_1 + b_2 + b_3",
    # named columns are unchanged: a new name with a subscript names pieces
    r"W = \begin{bmatrix} \boldsymbol{w}_1 & \cdots & \boldsymbol{w}_K \end{bmatrix}",
])
def test_matrices_with_ellipses_are_read_by_their_corners(formula):
    block = last_block(formula)
    assert block.status in ("checked", "defined"), block.message


@pytest.mark.parametrize("mutant", [
    "X = " + GRID_T,  # X, not its transpose: the shapes differ
    "W^\\top X^\\top = " + PRODUCT,
    "2 X W = " + PRODUCT,
    r"b^\top = \begin{bmatrix} b_1 & \cdots & b_K \end{bmatrix} + \begin{bmatrix} b_1 & \cdots & b_K \end{bmatrix}",
    r"G^\top \mathbf{1}_N = \begin{bmatrix} \sum_{i=2}^N G_{i1} \\ \vdots \\ \sum_{i=2}^N G_{iK} \end{bmatrix}",
])
def test_mutants_of_matrices_with_ellipses_fail(mutant):
    assert last_block(mutant).status == "failed"


@pytest.mark.parametrize("formula, message", [
    # the ambiguous neighbour: a first row whose two indices both run (the diagonal, or a row?)
    ("X^\\top = " + GRID_T.replace("X_{N1}", "X_{NN}"),
     "the rows and the columns of the matrix run in the same place of its first entry"),
    ("X^\\top = " + GRID_T.replace("X_{ND}", "X_{NN}"), "the last corner does not follow from the "
                                                        "other three"),
    (r"b^\top = \begin{bmatrix} b_1 & \cdots & 2 b_K \end{bmatrix}",
     "the corners of the matrix differ in more than a running index"),
    (r"b^\top = \begin{bmatrix} b_1 & \cdots & b_1 \end{bmatrix}",
     "two corners of the matrix are the same entry, so no index runs between them"),
    (r"X_{1,1} = \begin{bmatrix} X_{11} & \cdots & X_{ND} \end{bmatrix}",
     "two indices run to different last values between these corners"),
    (r"b^\top = \begin{bmatrix} b_1 & b_3 & \cdots & b_K \end{bmatrix}",
     "entry 2 is not the pattern of the first and the last entries at that place"),
    (r"b^\top = \begin{bmatrix} b_1 & \cdots & b_{K-1} & b_K \end{bmatrix}",
     r"a matrix with \cdots, \vdots or \ddots is read by its corners"),
    (r"X^\top = \begin{bmatrix} X_{11} & \cdots & X_{N1} \\ \vdots & \vdots & \vdots \\ X_{1D} & "
     r"\cdots & X_{ND} \end{bmatrix}", r"a matrix with \cdots, \vdots or \ddots is read by its corners"),
    # outside a matrix with ellipses, a subscript of several digits stays refused
    (r"X_{11} = X_{1,1}", "the subscript 11 could be one number or several indices"),
])
def test_corners_that_disagree_are_refused(formula, message):
    block = last_block(formula)
    assert block.status == "error" and message in block.message, block.message
