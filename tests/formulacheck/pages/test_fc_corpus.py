"""The acceptance corpus (a copy of shared/examples/formula-corpus.md plus two scope markers):
every block must be checked, declared or defined - none unchecked, failed or errored."""

from pathlib import Path

import formulacheck

CORPUS = Path(__file__).resolve().parents[1] / "corpus.md"


def test_every_corpus_block_is_checked_declared_or_defined():
    result = formulacheck.check_page(CORPUS)
    counts = result.counts()
    problems = [b.message for b in result.blocks if b.status not in ("checked", "declared", "defined")]
    assert problems == []
    assert counts["unchecked"] == counts["failed"] == counts["error"] == 0
    # 40 display blocks in the corpus (counted by hand: 19 in section 1 before 1c, ...).
    assert len(result.blocks) == 40
    assert result.ok


def test_corpus_claims_are_checked_link_by_link_on_every_trial():
    result = formulacheck.check_page(CORPUS, trials=2, seed=7)
    chain = next(b for b in result.blocks if b.source.startswith("\\frac{\\partial L_i}{\\partial F_{ij}}\n"))
    assert chain.status == "checked"
    assert chain.links == 3  # A = B = C = D has three links
    assert chain.trials == 2
    assert "L_{i}" in chain.uses and "P_{ij}" in chain.uses


def test_corpus_passes_with_other_seeds():
    # seed 5 draws two-layer scores up to 34: its softmax is checked to its own magnitude
    # (evaluate.py, `relative_quotient`), not to that of e^{34}
    for seed in (1, 2, 5):
        assert formulacheck.check_page(CORPUS, seed=seed).ok


def test_section_two_does_not_see_section_one():
    text = CORPUS.read_text()
    without_marker = text.replace("<!-- scope: two-layer-network -->", "")
    result = formulacheck.check_markdown(without_marker, "corpus.md")
    first_error = next(b for b in result.blocks if not b.ok)
    assert "already declared" in first_error.message
