"""Mutation tests: every mutant of a correct formula must fail (or be a listed equivalent mutant)."""

from pathlib import Path

import pytest

import formulacheck
from formulacheck.mutation.operators import mutants
from formulacheck.mutation.page import blocks_with_scope, check_mutant
from formulacheck.pages.check import read_page

CORPUS = Path(__file__).resolve().parents[1] / "corpus.md"

# Equivalent mutants: the mutated formula is still true, so it must pass. Each was checked by hand.
EQUIVALENT = {
    # sum_j dL/dF_{ik} dF_{ij}/dW_{dk}: dF_{ij}/dW_{dk} = X_{id} 1(j = k) keeps only j = k.
    (102, "\\frac{\\partial L}{\\partial F_{ik}} \\frac{\\partial F_{ij}}{\\partial W_{dk}}"),
    # the same collapse for b_k
    (112, "\\frac{\\partial L}{\\partial F_{ik}} \\frac{\\partial F_{ij}}{\\partial b_k}"),
    # sum_k dL_i/dF_{ij} dF_{ik}/dw_j: only k = j contributes, and sum_k dF_{ik}/dw_j = x_i.
    (135, "\\frac{\\partial L_i}{\\partial F_{ij}} \\frac{\\partial F_{ik}}{\\partial \\boldsymbol{w}_j}"),
}


def _corpus_mutants():
    cases = []
    for raw, scope, result in blocks_with_scope(read_page(CORPUS), "corpus.md"):
        if result.status != "checked":
            continue
        for description, mutated in mutants(raw.text):
            cases.append((raw, scope, description, mutated))
    return cases


def test_every_automatic_mutant_of_the_corpus_is_killed():
    cases = _corpus_mutants()
    assert len(cases) > 150
    survivors, equivalent = [], 0
    for raw, scope, description, mutated in cases:
        result = check_mutant(raw, scope, mutated)
        assert "internal" not in result.message
        is_equivalent = any(raw.line == line and fragment in mutated for line, fragment in EQUIVALENT)
        if is_equivalent:
            equivalent += 1
            assert result.status == "checked", (description, result.message)
        elif result.status not in ("failed", "error"):
            survivors.append((raw.line, description, mutated))
    assert survivors == []
    assert equivalent == len(EQUIVALENT)


HEADER = r"""
$$
X \in \mathbb{R}^{N \times D}, \quad W \in \mathbb{R}^{D \times K}, \quad b \in \mathbb{R}^{K}, \quad y \in \{1, \dots, K\}^{N}, \quad \lambda > 0
$$

$$
F \coloneqq X W + \mathbf{1}_N b^\top
$$

$$
P_{ij} \coloneqq \frac{e^{F_{ij}}}{\sum_{k=1}^{K} e^{F_{ik}}}, \qquad L_i \coloneqq -\log P_{i y_i}, \qquad L \coloneqq \frac{1}{N} \sum_{i=1}^{N} L_i + \frac{\lambda}{2} \|W\|_F^2
$$

$$
Y_{ij} \coloneqq \mathbb{1}(y_i = j), \qquad G \coloneqq \frac{1}{N} (P - Y)
$$
"""

# (kind of mistake, a wrong formula) - each written as an author might get it wrong.
HAND_WRITTEN = [
    ("product order swapped", r"\frac{\partial L}{\partial W} = G X^\top + \lambda W"),
    ("transpose moved", r"\frac{\partial L}{\partial W} = X G^\top + \lambda W"),
    ("transpose dropped", r"\frac{\partial L}{\partial X} = G W"),
    ("product order swapped", r"\frac{\partial L}{\partial X} = W^\top G"),
    ("column sums as row sums", r"\frac{\partial L}{\partial b} = G \mathbf{1}_K"),
    ("row vector for a column", r"\frac{\partial L}{\partial b} = \mathbf{1}_N^\top G"),
    ("1/N dropped", r"\frac{\partial L}{\partial F} = P - Y"),
    ("1/N twice", r"\frac{\partial L}{\partial F_{ij}} = \frac{1}{N} G_{ij}"),
    ("sign flipped", r"\frac{\partial L}{\partial F} = \frac{1}{N} (Y - P)"),
    ("regulariser forgotten", r"\frac{\partial L}{\partial W} = X^\top G"),
    ("regulariser halved", r"\frac{\partial L}{\partial W} = X^\top G + \frac{\lambda}{2} W"),
    ("indicator index changed", r"\frac{\partial L_i}{\partial F_{ij}} = P_{ij} - \mathbb{1}(y_i = k)"),
    ("indicator of the wrong example", r"\frac{\partial L_i}{\partial F_{ij}} = P_{ij} - \mathbb{1}(y_j = j)"),
    ("softmax Jacobian sign", r"\frac{\partial P_{ik}}{\partial F_{ij}} = P_{ik} (P_{ij} - \mathbb{1}(j = k))"),
    ("softmax Jacobian without the diagonal", r"\frac{\partial P_{ik}}{\partial F_{ij}} = - P_{ik} P_{ij}"),
    ("summation over the wrong index", r"\frac{\partial L}{\partial W_{dk}} = \sum_{j=1}^{K} X_{id} G_{ij} + \lambda W_{dk}"),
    ("summation range changed", r"\frac{\partial L}{\partial b_k} = \sum_{i=1}^{K} G_{ik}"),
    ("shape annotation changed", r"\underbrace{\frac{\partial L}{\partial W}}_{K \times D} = X^\top G + \lambda W"),
    ("shape claim changed", r"\frac{\partial L}{\partial X} = G W^\top \in \mathbb{R}^{D \times N}"),
    ("exp dropped", r"\frac{\partial L_i}{\partial F_{ij}} = \frac{F_{ij}}{\sum_{k=1}^{K} e^{F_{ik}}} - \mathbb{1}(y_i = j)"),
    ("log dropped", r"L = \frac{1}{N} \sum_{i=1}^{N} P_{i y_i} + \frac{\lambda}{2} \|W\|_F^2"),
    ("label index replaced by j", r"L_i = -\log P_{i j}"),
    ("vec of a transpose", r"\operatorname{vec}(X W) = (X \otimes I_K) \operatorname{vec}(W)"),
    ("Kronecker factors swapped", r"\operatorname{vec}(F - \mathbf{1}_N b^\top) = (X \otimes I_K) \operatorname{vec}(W)"),
    ("trace of the wrong product", r"\operatorname{tr}(G^\top X W) = \operatorname{tr}(G X^\top W)"),
    ("norm not squared", r"\frac{\partial L}{\partial W} = X^\top G + \lambda \|W\|_F W"),
]


@pytest.mark.parametrize("kind, formula", HAND_WRITTEN, ids=[k for k, _ in HAND_WRITTEN])
def test_hand_written_mistakes_fail(kind, formula):
    result = formulacheck.check_markdown(HEADER + f"\n$$\n{formula}\n$$\n", "mistake.md")
    assert [b.status for b in result.blocks[:4]] == ["declared", "defined", "defined", "defined"]
    assert result.blocks[-1].status in ("failed", "error"), result.blocks[-1].message
    assert "internal" not in result.blocks[-1].message


@pytest.mark.parametrize("wrong_definition", [
    r"G \coloneqq P - Y",
    r"G \coloneqq \frac{1}{N} (Y - P)",
])
def test_a_wrong_definition_is_caught_by_the_claims_that_use_it(wrong_definition):
    text = HEADER.replace(r"G \coloneqq \frac{1}{N} (P - Y)", wrong_definition)
    text += "\n$$\n\\frac{\\partial L}{\\partial W} = X^\\top G + \\lambda W\n$$\n"
    assert formulacheck.check_markdown(text, "def.md").blocks[-1].status == "failed"
