r"""The mutants of index arithmetic (mutation/operators.py, `arithmetic_subscript_mutants`): items
of a subscript swapped, a sign flipped, an offset dropped; on the max-pooling formulas each is
killed, as a failed claim or a clean error (an item that leaves its axis), never a crash."""

import sys
from pathlib import Path

from formulacheck.mutation.operators import arithmetic_subscript_mutants, mutants
from formulacheck.mutation.page import blocks_with_scope, check_mutant
from formulacheck.pages.check import read_page

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "evaluation"))
from test_fc_max_over_ranges import POOLING  # noqa: E402


def test_each_kind_of_arithmetic_mistake_is_made_once_per_place():
    made = arithmetic_subscript_mutants(r"Y = X_{n,c,S(i-1)+p,j} + X_{nchw} + X_{n,c,h,w}")
    kinds = sorted({change.split(" at ")[0] for change, _ in made})
    assert kinds == ["index arithmetic sign flipped", "index offset dropped", "subscript items swapped"]
    texts = [text for _, text in made]
    assert r"Y = X_{n,c,j,S(i-1)+p} + X_{nchw} + X_{n,c,h,w}" in texts  # a transposed index
    assert r"Y = X_{n,c,S(i)+p,j} + X_{nchw} + X_{n,c,h,w}" in texts
    assert all("X_{n,c,h,w}" in text for text in texts)  # a subscript without arithmetic: none


def test_every_mutant_of_the_pooling_formulas_is_killed(tmp_path):
    page = tmp_path / "pool.md"
    page.write_text(POOLING.split("<!-- code")[0] + POOLING.split("-->\n", 1)[1], encoding="utf-8")
    killed = 0
    for raw, scope, result in blocks_with_scope(read_page(page), "pool.md"):
        if result.status != "checked":
            continue
        for description, mutated in mutants(raw.text):
            outcome = check_mutant(raw, scope, mutated)
            assert "Traceback" not in outcome.message and "internal" not in outcome.message
            assert outcome.status in ("failed", "error"), (description, mutated)
            killed += description.startswith(("subscript items", "index arithmetic", "index offset"))
    assert killed >= 10
