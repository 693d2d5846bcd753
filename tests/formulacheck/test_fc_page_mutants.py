"""Mutation test of every derivation page: a wrong step in a derivation must not pass.

The guide's template (docs/contributing.md, "Mutation-test a new page") applied to each page with
checked blocks, one test per page, with a few more mistakes the guide's operators never make
(MORE_MISTAKES: a sign after a plain symbol, a number inside the formula). docs/batchnorm.md has its own test with the mistakes typical of
its derivation (test_fc_batchnorm_mutants.py); contributing.md and checker-messages.md show math
only inside code (no live block). docs/train.ipynb is included: `formulacheck.pages.notebook` reads its
Markdown cells, and its blocks are mutated with the notebook's JSON padding removed.
The shape-table mutants (each shape changed, each expression transposed) of the one table, on
two-layer.md, are in test_fc_mutants.py; they would double this module's time.

A surviving mutant is either a true formula too, listed in EQUIVALENT with the reason, or a claim
too weak to check the derivation, to be strengthened on the page. A block is named by the start of
its source (whitespace collapsed), long enough to be unique on its page, so entries survive edits
elsewhere on the page; an entry that no longer names one block or one surviving mutant fails.
"""

import re
from pathlib import Path

import pytest
from fc_mutation_support import blocks_with_scope, check_mutant, inline_mutants, mutants

import formulacheck
from formulacheck.pages.notebook import Notebook
from formulacheck.pages.markdown import RawBlock

DOCS = Path(__file__).parents[2] / "docs"
PAGES = ["index.md", "notation.md", "softmax.md", "affine.md", "regularization.md",
         "two-layer.md", "gradient-check.md", "svm.md", "train.ipynb"]
# Pages whose checked blocks are mutation-tested by a module of their own.
TESTED_ELSEWHERE = {"batchnorm.md": "test_fc_batchnorm_mutants.py"}
SHORTEST_HEAD = 40

# Mistakes the guide's operators do not make: they flip a sign only after `)`, `}` or a space
# (never in `X^\top G + \lambda W`), drop a minus only before a command (not in `-V_i`), reverse
# a comparison only inside an indicator, and change a number only as the final constant. Numbers are
# those a derivation computes (a coefficient, a fraction's part, a power, a shape's 1), not those
# that define a function or an index (`\max(0, .)`, `z > 0`, `\mathbf{1}_N`, a subscript, a sum's bound).
MORE_MISTAKES = [
    ("sign after a symbol flipped", r"(?<=[\w'|]) \+ ", " - "),
    ("sign after a symbol flipped", r"(?<=[\w'|]) - ", " + "),
    ("dropped minus before a symbol", r"(?<=[=(\s])-(?=\w)", ""),
    ("comparison reversed", r" < | > ", lambda sign: " > " if sign.group(0) == " < " else " < "),
    ("number changed", r"(?<![_=\w\\(<>])(?<!\\mathbf\{)(?<!\\mathbb\{)(?<!_\{)(?<!, )(?<!> )(?<!< )\d+(?![\d.])",
     lambda number: str(int(number.group(0)) + 1)),
]
PRESENTATION = r"\\(?:text|label|tag)\{[^}]*\}"

# Why a mutant can be a true formula, shared by several entries below.
# In a chain-rule sum over j, F = X W + 1 b^T makes dF_ij/dW_dk = X_id 1(j = k) and
# dF_ij/db_k = 1(j = k) (likewise with A and W_2, b_2): writing k for j in the other factor
# changes no term that is not 0.
CHAIN_RULE_FACTOR = "dF_ij/d(a weight or bias of column k) is 0 unless j = k, so F_ik and F_ij agree where it counts"
INDICATOR = "the factor 1(j = k) is 0 unless j = k, so j and k agree on every non-zero term"
SOFTMAX_SYMMETRIC = "the softmax Jacobian diag(p) - p p^T is symmetric"
ROWS_SUM_TO_ZERO = "both sides are 0 (rows of P and of Y each sum to 1), whatever the factor"
V_MINUS_V = "V_i - V_i is 0, whatever the factor"
FLAT_SIDE = "r >= h makes max(0, -r + h) and max(0, -r - h) both 0, so the mutant is 0 + 0, 0 - 0 or 0 / 3h"
DENOMINATOR_IS_ONE = "0 <= p < h makes (p + h)/2h, (p + h)/3h and (p - h)/2h all below 1: the max is 1 either way"

# {page: {(start of the block's source, mutant): why the mutated formula is still true}}
EQUIVALENT = {
    "softmax.md": {
        (r"\frac{\partial P_{ik}}{\partial F_{ij}} = \frac{e^{F_{ik}} \,", "second subscript index changed at 52"):
            INDICATOR,
        (r"\frac{\partial P_{ik}}{\partial F_{ij}} = \frac{e^{F_{ik}} \,", "second subscript index changed at 130"):
            INDICATOR,
        (r"\sum_{k=1}^{K} \frac{\partial p_k}{\partial f_j} = 0", "summation index changed at 0"):
            SOFTMAX_SYMMETRIC + ", so its rows sum to 0 like its columns (shift invariance)",
        (r"\frac{\partial J}{\partial f} = \left( \frac{\partial p}", "dropped transpose at 76"):
            SOFTMAX_SYMMETRIC + ": it equals its transpose",
        (r"\sum_{j=1}^{K} G_{ij} = \frac{1}{N} \left( \sum_{j=1}^{K} P_{ij}", "dropped 1/N at 24"): ROWS_SUM_TO_ZERO,
        (r"\sum_{j=1}^{K} G_{ij} = \frac{1}{N} \left( \sum_{j=1}^{K} P_{ij}", "number changed at 30"): ROWS_SUM_TO_ZERO,
    },
    "affine.md": {
        (r"\frac{\partial L}{\partial W_{dk}} = \sum_{i=1}^{N} \sum_{j", "second subscript index changed at 95"):
            CHAIN_RULE_FACTOR,
        (r"\frac{\partial L}{\partial W_{dk}} = \sum_{i=1}^{N} \sum_{j", "second subscript index changed at 175"):
            INDICATOR,
        (r"\frac{\partial L_i}{\partial \boldsymbol{w}_j} = \sum_{k=1}", "second subscript index changed at 94"):
            CHAIN_RULE_FACTOR + " (here dF_ik/dw_j = x_i 1(k = j))",
        (r"\frac{\partial L}{\partial b_k} = \sum_{i=1}^{N} \sum_{j=1}", "second subscript index changed at 92"):
            CHAIN_RULE_FACTOR,
    },
    "regularization.md": {
        (r"\frac{\partial L}{\partial W_{dk}} = \sum_{i=1}^{N} \sum_{j", "second subscript index changed at 95"):
            CHAIN_RULE_FACTOR,
    },
    "two-layer.md": {
        (r"\begin{aligned} \frac{\partial L}{\partial (W_2)_{hk}} &=", "second subscript index changed at 116"):
            CHAIN_RULE_FACTOR,
        (r"\begin{aligned} \frac{\partial L}{\partial (W_2)_{hk}} &=", "second subscript index changed at 225"):
            INDICATOR,
        (r"\frac{\partial L}{\partial (b_2)_k} = \sum_{i=1}^{N} \sum_{j", "second subscript index changed at 96"):
            CHAIN_RULE_FACTOR,
        (r"\frac{\partial L}{\partial (b_2)_k} = \sum_{i=1}^{N} \sum_{j", "second subscript index changed at 177"):
            INDICATOR,
    },
    "svm.md": {
        (r"\max(0, 0) = 0", "side after = doubled at 11"): "an inline claim whose value is 0: doubled, it is 0",
        (r"\sum_{k=1}^{K} G_{ik} = \frac{1}{N} \left( V_i - V_i \right) = 0", "dropped 1/N at 24"):
            V_MINUS_V,
        (r"\sum_{k=1}^{K} G_{ik} = \frac{1}{N} \left( V_i - V_i \right) = 0", "number changed at 30"):
            V_MINUS_V,
        (r"\frac{\max(0, r + h) - \max(0, r - h)}{2 h} = 1, \qquad", "minus to plus at 77"):
            FLAT_SIDE,
        (r"\frac{\max(0, r + h) - \max(0, r - h)}{2 h} = 1, \qquad", "sign after a symbol flipped at 72"):
            FLAT_SIDE,
        (r"\frac{\max(0, r + h) - \max(0, r - h)}{2 h} = 1, \qquad", "sign after a symbol flipped at 90"):
            FLAT_SIDE,
        (r"\frac{\max(0, r + h) - \max(0, r - h)}{2 h} = 1, \qquad", "number changed at 97"):
            FLAT_SIDE,
        (r"\frac{\left| 1 - \frac{p + h}{2h} \right|}", "sign after a symbol flipped at 63"):
            DENOMINATOR_IS_ONE,
        (r"\frac{\left| 1 - \frac{p + h}{2h} \right|}", "number changed at 69"):
            DENOMINATOR_IS_ONE,
        (r"\frac{\max(0, a + h) - \max(0, a - h)}{2 h} = \frac{a + h}", "minus to plus at 20"):
            "|a| < h makes max(0, a - h) = 0, so its sign does not matter",
        (r"\frac{\partial q}{\partial z} = \mathbb{1}(z > 0) = 0, \qquad", "minus to plus at 82"):
            "z = 0 makes max(0, z - h) = 0, so its sign does not matter",
        (r"\frac{\partial q}{\partial z} = \mathbb{1}(z > 0) = 0, \qquad", "indicator index changed at 32"):
            "z = 0: 1(z < 0) is 0 as 1(z > 0) is; only 1(z >= 0) would differ",
    },
}


def flat(text: str) -> str:
    return " ".join(text.split())


def notebook_blocks_with_scope(text: str, name: str, trials: int = 3):
    """blocks_with_scope for a notebook: each block's TeX as the author wrote it (padding removed)."""
    notebook = Notebook(text, name)
    return blocks_with_scope(text, name, trials, items=notebook.items(), clean=notebook.clean)


def all_mutants(text: str, kind: str = "display"):
    """The guide's mutants of a block (of an inline claim: `inline_mutants`), then those of
    MORE_MISTAKES: [(description, mutated text)]."""
    out = list(inline_mutants(text) if kind == "inline" else mutants(text))
    # words, labels and tags are presentation: a number changed there is no mistake in the math
    shown_only = [range(*words.span()) for words in re.finditer(PRESENTATION, text)]
    made = {mutated for _, mutated in out}
    for description, pattern, replacement in MORE_MISTAKES:
        for match in re.finditer(pattern, text):
            if any(match.start() in span for span in shown_only):
                continue
            new = replacement(match) if callable(replacement) else replacement
            mutated = text[:match.start()] + new + text[match.end():]
            if mutated not in made:  # the guide's indicator mutant already reverses `z > 0`
                made.add(mutated)
                out.append((f"{description} at {match.start()}", mutated))
    return out


def checked_blocks(page: str):
    text = (DOCS / page).read_text(encoding="utf-8")
    read = notebook_blocks_with_scope if page.endswith(".ipynb") else blocks_with_scope
    return [(raw, scope) for raw, scope, result in read(text, page) if result.status == "checked"]


def head(raw: RawBlock, blocks) -> str:
    """The shortest start of the block's source, from SHORTEST_HEAD characters, unique on its page."""
    source = flat(raw.text)
    for length in range(SHORTEST_HEAD, len(source) + 1):
        if sum(flat(other.text).startswith(source[:length]) for other, _ in blocks) == 1:
            return source[:length]
    return source


@pytest.mark.parametrize("page", PAGES)
def test_every_mutant_of_the_page_fails_unless_listed_as_equivalent(page):
    blocks = checked_blocks(page)
    equivalent = EQUIVALENT.get(page, {})
    for start, mutant in equivalent:
        named = [raw.line for raw, _ in blocks if flat(raw.text).startswith(start)]
        assert len(named) == 1, f"EQUIVALENT entry ({start!r}, {mutant!r}) names blocks {named}, not one"
    survivors, excused, count = [], set(), 0
    for raw, scope in blocks:
        for mutant, text in all_mutants(raw.text, raw.kind):
            count += 1
            result = check_mutant(raw, scope, text)
            assert "internal" not in result.message, (raw.line, mutant, result.message)
            if result.status in ("failed", "error"):
                continue
            key = next((key for key in equivalent if key[1] == mutant and flat(raw.text).startswith(key[0])), None)
            if key is not None:
                excused.add(key)
            else:
                survivors.append((raw.line, head(raw, blocks), mutant, text))
    assert count > 0, f"{page}: no mutants (no checked block?); remove it from PAGES"
    shown = "\n".join(f"line {line}: ({start!r}, {mutant!r}):\n    {flat(text)}"
                      for line, start, mutant, text in survivors)
    assert not survivors, f"{page}: mutants that still pass (strengthen the claim, or list it in EQUIVALENT):\n{shown}"
    stale = set(equivalent) - excused
    assert not stale, f"{page}: listed as equivalent but now fail (remove them): {sorted(stale)}"


def test_the_notebook_blocks_are_read_as_the_checker_reads_them():
    page = DOCS / "train.ipynb"
    ours = notebook_blocks_with_scope(page.read_text(encoding="utf-8"), page.name)
    theirs = formulacheck.check_page(page).in_page_order()
    assert [(raw.line, result.status) for raw, _, result in ours] == [(b.line, b.status) for b in theirs]
    assert [raw.text for raw, _, _ in ours] == [b.source for b in theirs]


def test_every_page_with_checked_blocks_is_mutation_tested():
    untested = []
    for path in sorted(DOCS.rglob("*")):
        name = path.relative_to(DOCS).as_posix()
        if path.suffix not in (".md", ".ipynb") or name in PAGES or name in TESTED_ELSEWHERE:
            continue
        if any(block.status == "checked" for block in formulacheck.check_page(path).blocks):
            untested.append(name)
    assert untested == [], f"pages with checked blocks and no mutation test (add them to PAGES): {untested}"
