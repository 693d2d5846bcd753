"""Letters and decorations of other sources (tex/letters.py): `\\mathcal{L}`, bold around a
subscripted name, layer superscripts, and lowercase and subscripted sizes; each with the
look-alike that is refused because it could be read two ways."""

import pytest

from formulacheck.testing import check_formula

DECLARE = r"""
$$
X \in \mathbb{R}^{N \times D}, \quad W \in \mathbb{R}^{D \times K}, \quad L \in \mathbb{R}, \quad a \in \mathbb{R}
$$

$$
W = \begin{bmatrix} \boldsymbol{w}_1 & \cdots & \boldsymbol{w}_K \end{bmatrix}, \quad X = \begin{bmatrix} \boldsymbol{x}_1^\top \\ \vdots \\ \boldsymbol{x}_N^\top \end{bmatrix}, \quad F \coloneqq X W
$$

$$
\mathcal{L}_i \coloneqq \sum_{j=1}^{K} F_{ij}^2, \quad \mathcal{L} \coloneqq \frac{1}{N} \sum_{i=1}^{N} \mathcal{L}_i, \quad \mathbf{W}^{(1)} \in \mathbb{R}^{H \times D}, \quad \mathbf{h}^{(1)} \coloneqq \mathbf{W}^{(1)} \boldsymbol{x}_1
$$

$$
Q \in \mathbb{R}^{n \times d_k}, \quad V \in \mathbb{R}^{n \times d_v}
$$
"""


def last_block(formula: str):
    return check_formula(formula, DECLARE, page="letters.md")


@pytest.mark.parametrize("formula", [
    r"\mathcal{L} = \frac{1}{N} \|F\|_F^2",
    r"\frac{\partial \mathcal{L}}{\partial F} = \frac{2}{N} F",
    r"\mathcal{L}_i = \boldsymbol{x_i}^\top W W^\top \boldsymbol{x_i}",
    r"F_{ij} = \boldsymbol{w_j}^\top \boldsymbol{x_i} = \mathbf{x_{i}}^T \mathbf{w}_j",
    r"\frac{\partial F_{ij}}{\partial \boldsymbol{w_j}} = \boldsymbol{x}_i",
    r"h^{(1)}_{h} = \sum_{d=1}^{D} W^{(1)}_{hd} X_{1d}",
    r"\frac{\partial \mathbf{h}^{(1)}_h}{\partial \mathbf{W}^{(1)}_{hd}} = X_{1d}",
    r"\mathbf{1}_n^\top Q \mathbf{1}_{d_k} = \sum_{i=1}^{n} \sum_{m=1}^{d_k} Q_{im}",
    r"\frac{1}{\sqrt{d_k}} Q^\top Q \in \mathbb{R}^{d_k \times d_k}",
    r"Q^\top \mathbf{1}_n \mathbf{1}_{d_v}^\top \in \mathbb{R}^{d_k \times d_v}",
])
def test_letters_of_other_sources_are_read_as_written(formula):
    block = last_block(formula)
    assert block.status == "checked", block.message


@pytest.mark.parametrize("mutant", [
    r"\mathcal{L} = \|F\|_F^2",
    r"\mathcal{L}_i = \boldsymbol{x_i}^\top W W^\top \boldsymbol{x_1}",
    r"F_{ij} = \boldsymbol{w_j}^\top \boldsymbol{x_1}",
    r"h^{(1)}_{h} = \sum_{d=1}^{D} W^{(1)}_{hd} X_{2d}",
    r"\mathbf{W}^{(1)\top} \mathbf{h}^{(1)} = \mathbf{W}^{(1)\top} \mathbf{W}^{(1)} \boldsymbol{x}_2",
    r"\frac{1}{\sqrt{d_k}} Q^\top Q \in \mathbb{R}^{d_v \times d_k}",
    r"\mathbf{1}_n^\top Q \mathbf{1}_{d_k} = \frac{1}{\sqrt{d_k}} \sum_{i=1}^{n} \sum_{m=1}^{d_k} Q_{im}",
])
def test_mutants_of_letters_fail(mutant):
    assert last_block(mutant).status == "failed"


def test_a_subscripted_size_has_its_own_value():
    # d_k and d_v are distinct sizes: each gets a value no other size has (scope.py)
    block = last_block(r"Q^\top V \in \mathbb{R}^{d_k \times d_k}")
    assert block.status == "failed" and "d_k x d_v" in block.message, block.message


@pytest.mark.parametrize("formula, message", [
    # the ambiguous neighbours: each could be read two ways
    (r"\mathcal{F} = F", r"\mathcal{F} could be F (line 7) written in another font or a symbol of "
                         r"its own that is not declared; expected F, or a declaration or definition"),
    (r"a^{(2)} = a^2", r"a^{(2)} could be the power a^{2} of a (line 3) or a symbol of layer 2 that "
                       r"is not declared; expected a^{2} for the power, or a declaration of a^{(2)}"),
    (r"\boldsymbol{x}_1^{(2)} = \boldsymbol{x}_1", r"^{(2)} here could be a layer index or the power "
                                                   r"2; expected the layer on the letter"),
    (r"\mathbf{Wx} = W \boldsymbol{x}_1", r"\mathbf{Wx} could be the product W x or one name of 2 "
                                          r"letters; expected \mathbf{W} \mathbf{x} for the product"),
    (r"\mathcal{l} = L", r"expected one capital letter in \mathcal{...}, as in \mathcal{L}; found 'l'"),
    (r"\boldsymbol{w_j + 1} = W", r"expected one letter in \boldsymbol{...}, or a letter with its "
                                  r"subscript as in \boldsymbol{w_j}; found 'w_j + 1'"),
    (r"Y \in \mathbb{R}^{n \times d}, \quad Y_{i d} = 0",
     r"d is a size of this page (it appears in a shape), so it cannot be an index"),
    (r"Z \in \mathbb{R}^{N \times D}, \quad \boldsymbol{z}_i^\top W = \boldsymbol{z}_i^\top W",
     r"z_{i} could be row i or column i of Z (line 19), whose pieces are not named; expected them "
     r"named first, Z = \begin{bmatrix} \boldsymbol{z}_1^\top \\ \vdots"),
    (r"R \in \mathbb{R}^{d_{kk}}", r"expected a size such as d_k: one letter or digit as the "
                                   "subscript of a size"),
    # a course's hidden size h beside its hidden layer \mathbf{h}: one name, and the fix
    (r"\mathbf{h} \in \mathbb{R}^{h}", r"h is a size; sizes, indices and symbols never share a "
                                       r"name (bold is presentation: \mathbf{h} is h); expected "
                                       r"another letter for the symbol or for the size"),
    (r"S \in \mathbb{R}^{2}, \quad T \in \mathbb{R}^{S}",
     r"S is a symbol; sizes, indices and symbols never share a name; expected another letter for "
     r"the size"),
])
def test_lookalikes_are_refused_naming_both_readings(formula, message):
    block = last_block(formula)
    assert block.status == "error" and message in block.message, block.message


def test_a_subscripted_size_in_prose_is_a_value_not_a_claim():
    # `$d_k = 64$` states the size for the reader; checked as a claim it would fail on every page
    import formulacheck
    page = ("$$\nQ \\in \\mathbb{R}^{n \\times d_k}\n$$\n\n"
            "With $d_k = 64$ and $n = 10$, the scores are $\\frac{Q Q^\\top}{\\sqrt{d_k}}$.\n")
    spans = formulacheck.check_markdown(page, "prose.md").spans
    assert [(span.source, span.rule) for span in spans] == [
        ("d_k = 64", "value"), ("n = 10", "value"), ("\\frac{Q Q^\\top}{\\sqrt{d_k}}", "expression")]
