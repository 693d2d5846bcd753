"""Data of sequence models (tex/label_grids.py, pages/tensor_shapes.py): labels on an N x T grid
(`x \\in \\{1, \\dots, V\\}^{N \\times T}`, the words of N captions of T steps) and the shape of a
whole tensor claimed after `\\in`; each with the neighbours that stay refused."""

import pytest

from formulacheck.testing import check_formula

DECLARE = r"""
$$
W \in \mathbb{R}^{V \times D}, \quad x \in \{1, \dots, V\}^{N \times T}, \quad G \in \mathbb{R}^{N \times T \times D}
$$

$$
E_{ntd} \coloneqq W_{x_{nt} d}
$$
"""


@pytest.mark.parametrize("formula", [
    r"E_{ntd} = \sum_{v=1}^{V} \mathbb{1}(x_{nt} = v) W_{vd}",
    r"L \coloneqq \sum_{n=1}^{N} \sum_{t=1}^{T} \sum_{d=1}^{D} G_{ntd} E_{ntd}, \quad "
    r"\frac{\partial L}{\partial W_{vd}} = \sum_{n=1}^{N} \sum_{t=1}^{T} \mathbb{1}(x_{nt} = v) G_{ntd}",
    r"\sum_{v=1}^{V} \mathbb{1}(x_{nt} = v) = 1",
    r"x_{nt} \geq 1, \quad x_{nt} \leq V",
    r"E \in \mathbb{R}^{N \times T \times D}",
    r"G \in \mathbb{R}^{N \times T \times D}",
])
def test_label_grids_and_tensor_shapes_are_read(formula):
    block = check_formula(formula, DECLARE, page="sequences.md")
    assert block.status == "checked", block.message


@pytest.mark.parametrize(("formula", "message"), [
    # a wrong claim about a label grid fails: the word is read from row n, column t, not swapped
    (r"E_{ntd} = \sum_{v=1}^{V} \mathbb{1}(x_{nt} = v) W_{vd} + \mathbb{1}(x_{nt} = 1) W_{1d}",
     "does not hold"),
    (r"E \in \mathbb{R}^{N \times D \times T}",
     "the shape written is N x D x T but E is 7 x 8 x 3 (N x T x D)"),
    (r"G \in \mathbb{R}^{N \times T}", "the shape written is N x T but G is"),
])
def test_wrong_claims_on_sequence_data_fail(formula, message):
    block = check_formula(formula, DECLARE, page="sequences.md")
    assert block.status == "failed" and message in block.message, block.message


@pytest.mark.parametrize(("formula", "message"), [
    # labels of three axes would be a tensor of labels: refused, not guessed
    (r"z \in \{1, \dots, V\}^{N \times T \times D}", "a label set takes one or two axes"),
    (r"z \in \{1, \dots, V\}^{N \times 2}", "expected a size name such as N or T for each axis"),
    # the shape of a whole tensor is the only whole-tensor claim: the tensor itself is no value
    (r"E = E", "E has 3 axes: a tensor is read entry by entry"),
    (r"L \coloneqq \sum_{n=1}^{N} \sum_{t=1}^{T} \sum_{d=1}^{D} G_{ntd} E_{ntd}, \quad "
     r"\frac{\partial L}{\partial G} \in \mathbb{R}^{N \times T \times D}", "G has 3 axes"),
    (r"E^\top \in \mathbb{R}^{D \times T \times N}", "E has 3 axes: a tensor is read entry by entry"),
])
def test_neighbours_stay_refused(formula, message):
    block = check_formula(formula, DECLARE, page="sequences.md")
    assert block.status == "error" and message in block.message, block.message


def test_a_label_grid_is_drawn_in_1_to_v_and_passed_to_code_0_based_as_n_by_t():
    marker = "<!-- code: numpy.asarray(x) -->\n"
    # the code gets x 0-based, as an (N, T) array: it equals x_{nt} - 1 entry by entry
    checked = check_formula(r"Y_{nt} \coloneqq x_{nt} - 1", DECLARE, marker=marker)
    assert checked.status == "checked", checked.message
    wrong = check_formula(r"Y_{nt} \coloneqq x_{nt}", DECLARE, marker=marker)
    assert wrong.status == "failed" and "disagrees with the formula" in wrong.message, wrong.message


def test_a_column_of_labels_is_still_passed_flat():
    preamble = r"""
$$
y \in \{1, \dots, K\}^{N}
$$
"""
    block = check_formula(r"Z_{i} \coloneqq y_i - 1", preamble, marker="<!-- code: numpy.asarray(y) -->\n")
    assert block.status == "checked", block.message


def test_a_family_of_three_indices_reaches_the_code_as_its_array_axes_in_order():
    marker = "<!-- code: numpy.asarray(E) -->\n"
    assert check_formula(r"F_{ntd} \coloneqq W_{x_{nt} d}", DECLARE, marker=marker).status == "checked"
    shifted = check_formula(r"F_{ntd} \coloneqq W_{x_{nt} d} + 1", DECLARE, marker=marker)
    assert shifted.status == "failed" and "disagrees with the formula" in shifted.message, shifted.message
    # the same entries with the axes in another order are another array: the shapes differ
    swapped = check_formula(r"F_{tnd} \coloneqq W_{x_{nt} d}", DECLARE, marker=marker)
    assert swapped.status == "failed" and "shape" in swapped.message, swapped.message
