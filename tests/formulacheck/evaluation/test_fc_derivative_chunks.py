"""A derivative by a node of many entries steps them a chunk at a time
(evaluation/derivatives.py): the chunks give the numbers of one step of all entries, and a
derivative beyond DERIVATIVE_BUDGET is refused with its size."""

import pytest

from formulacheck.evaluation import derivatives
from formulacheck.testing import check_formula

PREAMBLE = ("$$\nX \\in \\mathbb{R}^{N \\times D}, \\quad W \\in \\mathbb{R}^{D \\times K}\n$$\n\n"
            "$$\nF \\coloneqq X W\n$$\n")
# The derivative of a scalar of X by an entry of X (21 or 20 entries, as N x D is 7 x 3 or 5 x 4),
# and a wrong variant with one term too many.
DERIVATIVE = r"\frac{\partial}{\partial X_{id}} \sum_{m=1}^{N} \sum_{k=1}^{K} F_{mk}^2"
TRUE = DERIVATIVE + r" = 2 \sum_{k=1}^{K} F_{ik} W_{dk}"
WRONG = TRUE + r" + X_{id}"


@pytest.mark.parametrize("budget", [10**9, 5 * 21, 1], ids=["at once", "chunks of 5", "one by one"])
def test_chunked_steps_give_the_same_verdicts(monkeypatch, budget):
    monkeypatch.setattr(derivatives, "DERIVATIVE_CHUNK", budget)  # chunk = budget // entries, >= 1

    assert check_formula(TRUE, PREAMBLE).status == "checked"
    assert check_formula(WRONG, PREAMBLE).problem.kind == "failed"


def test_a_derivative_beyond_the_budget_is_refused_with_its_size():
    block = check_formula(r"\frac{\partial}{\partial A} \operatorname{tr}(A) = I",
                          "$$\nA \\in \\mathbb{R}^{100 \\times 100}\n$$\n")

    assert block.problem.kind == "error"
    assert ("this derivative would step 100,000,000 numbers (the 10,000 entries of its "
            "denominator" in block.problem.text)
    assert f"budget of {derivatives.DERIVATIVE_BUDGET:,} per derivative" in block.problem.text
