"""Mutation test of docs/batchnorm.md: a wrong step in the batch-norm derivation must not pass.

The automatic mutants of fc_mutation_support (of display blocks and inline claims), plus the mistakes typical of this derivation (the
power of s, the 2/N of the variance, epsilon, a column index, a row index inside a column sum).
"""

import re
from pathlib import Path

from fc_mutation_support import blocks_with_scope, check_mutant, inline_mutants, mutants

PAGE = Path(__file__).parents[2] / "docs" / "batchnorm.md"

BATCHNORM_MISTAKES = [
    ("s^3 written s^2", r"s_d\^3", "s_d^2"),
    ("-1/2 written 1/2", r"-\\frac\{1\}\{2\}", r"\\frac{1}{2}"),
    ("power -3/2 written -1/2", r"\{-3/2\}", "{-1/2}"),
    ("2/N written 1/N", r"\\frac\{2\}\{N\}", r"\\frac{1}{N}"),
    ("column index of gamma changed", r"\\gamma_d", r"\\gamma_c"),
    ("N G written G", r"N G_\{id\}", "G_{id}"),
    ("gamma dropped from the column scaling", r"\\operatorname\{diag\}\(\\gamma \\odot s\)", r"\\operatorname{diag}(s)"),
    ("epsilon dropped", r" \+ \\epsilon", ""),
    ("the 1/N of the mean dropped", r" - \\frac\{1\}\{N\} - ", " - "),
    ("row index of a column sum fixed to i", r"G_\{md\}", "G_{id}"),
    ("row index of X-hat in a column sum fixed to i", r"\\hat\{X\}_\{md\}", r"\\hat{X}_{id}"),
]

# Equivalent mutants: the mutated formula is still true. (fragment of the block, fragment of the
# mutated text, why). All but one sit in a term multiplied by sum_i Xhat_{id}, which is 0.
EQUIVALENT = [
    (r"\sum_{i=1}^{N} C_{id} = \sum_{i=1}^{N} X_{id}", r"s_d \sum_{i=1}^{N} C_{ik} = 0",
     "every column of C sums to 0, not only column d"),
    (r"\frac{\partial v_d}{\partial X_{id}}", r"\mathbb{1}(m = i) + \frac{1}{N}",
     "the 1/N term multiplies sum_m C_md = 0, so its sign does not matter"),
    # inline claims of the prose: a column sum of zero, true of every column and unchanged doubled
    (r"\sum_{i=1}^{N} \hat{X}_{id} = 0", r"\hat{X}_{ik} = 0", "every column of X-hat sums to 0"),
    (r"\sum_{m=1}^{N} C_{md} = 0", r"C_{mk} = 0", "every column of C sums to 0"),
    (r"\sum_{i=1}^{N} \hat{X}_{id} = 0", r"= 2 \cdot 0", "the value is 0: doubled, it is 0"),
    (r"\sum_{m=1}^{N} C_{md} = 0", r"= 2 \cdot 0", "the value is 0: doubled, it is 0"),
] + [
    (r"\frac{\partial L}{\partial \mu_d}" + "\n&= -", fragment, "a term times sum_i Xhat_id = 0")
    for fragment in (
        r"G_{id} - \frac{1}{N} \gamma_d s_d \left(",
        r"G_{id} + \gamma_d s_d \left(",
        r"\right) \sum_{m=2}^{N} G_{md}",
        r"\right) \sum_{j=1}^{N} G_{md}",
        r"\hat{X}_{ik} \right)",
        r"\sum_{m=1}^{N} G_{mk} \hat{X}_{md} \\",
        r"\sum_{m=1}^{N} G_{md} \hat{X}_{mk} \\",
        r"\right) \sum_{m=1}^{N} G_{id} \hat{X}_{md} \\",
        r"\right) \sum_{m=1}^{N} G_{md} \hat{X}_{id} \\",
        r"\frac{1}{N} \gamma_c s_d \left(",
    )
]


def _page_mutants():
    cases = []
    for raw, scope, result in blocks_with_scope(PAGE.read_text(), "batchnorm.md"):
        if result.status != "checked":
            continue
        for description, mutated in (inline_mutants if raw.kind == "inline" else mutants)(raw.text):
            cases.append((raw, scope, description, mutated))
        for description, pattern, replacement in BATCHNORM_MISTAKES:
            for match in re.finditer(pattern, raw.text):
                changed = re.sub(pattern, replacement, match.group(0))
                mutated = raw.text[:match.start()] + changed + raw.text[match.end():]
                cases.append((raw, scope, f"{description} at {match.start()}", mutated))
    return cases


def _equivalent_entry(raw_text: str, mutated: str):
    for entry in EQUIVALENT:
        block, fragment, _ = entry
        if block in raw_text and fragment in mutated and fragment not in raw_text:
            return entry
    return None


def test_every_mutant_of_the_batchnorm_page_fails_unless_listed_as_equivalent():
    cases = _page_mutants()
    assert len(cases) > 400
    survivors, used = [], set()
    for raw, scope, description, mutated in cases:
        result = check_mutant(raw, scope, mutated)
        assert "internal" not in result.message
        entry = _equivalent_entry(raw.text, mutated)
        if entry is not None:
            used.add(entry)
            assert result.status == "checked", (raw.line, description, result.message)
        elif result.status not in ("failed", "error"):
            survivors.append((raw.line, description))
    assert survivors == []
    # Every listed equivalent still occurs: the list cannot keep excusing a formula that changed.
    assert used == set(EQUIVALENT)
