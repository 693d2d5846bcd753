"""Fuzzing the checker with edited pages (issue 10, point 5): random token insertions, deletions
and replacements in the formulas of the site's real pages and of the corpus.

Every edited block, checked in its page's scope, must get the checker's own answer (a status, and
for a problem a message that starts with page:line:col), with no exception escaping the library,
within a memory limit (tracemalloc peak, which numpy's allocations are reported to) and a time
limit per run. The limits are far above what a formula needs (benchmarks: a page takes well under
a second and a few MB) and far below what the inputs of test_fc_robust_input.py once took
(2.4 GB, or no end): a run over them means a budget check is missing somewhere.

Hypothesis runs derandomized with a fixed seed (printed in the test's name), so every run tries
the same edits and no result depends on luck.
"""

import re
import time
import tracemalloc
from functools import lru_cache
from pathlib import Path

from hypothesis import HealthCheck, given, seed, settings, strategies as st

import formulacheck
from formulacheck.mutation.page import blocks_with_scope, check_mutant
from formulacheck.pages.check import read_page
from formulacheck.pages.results import STATUSES

ROOT = Path(__file__).resolve().parents[3]
PAGES = sorted(p for p in (ROOT / "docs").glob("*.md")) + [ROOT / "tests" / "formulacheck" / "corpus.md"]
FUZZ_SEED = 20261203
MEMORY_LIMIT = 256 * 2 ** 20  # bytes, peak of one run
TIME_LIMIT = 30.0  # seconds of CPU for one run (CPU time: other work on the machine does not count)
# A command with a text argument (\mathbb{R}, \operatorname{tr}) is one token, as the checker reads it.
TOKEN = re.compile(r"\\(?:text|mathbb|mathbf|mathrm|operatorname|boldsymbol|hat|bar|tilde|label|"
                   r"begin|end)\{[^{}]*\}|\\[A-Za-z]+|\\.|\d+(?:\.\d+)?|\S")
# Tokens an edit may insert, besides the page's own: the constructs that once broke the checker.
EXTRA = ["_{dkk}", "^{}", "\\mathbb", "{1}", "\\mathbb{R}^{}", "\\sum_{i=0}^{N}", "1" * 310,
         "\\operatorname{tr}", "\\sum_{i=1}^{100000000}", "\n", "\ufeff", "\\frac{\\partial x}{\\partial W_{dkk}}",
         "|", "\\max", "\\mathbb{1}(", ">", "0", "\\neq", "y_i", "\\left(", "\\right)", "&", "\\\\"]


NUMBERS = ["0", "1", "2", "7", "0.5", "1" * 310, "1" * 4301, "100000000"]
LETTERS = list("abcdijkmnqxyzABDHKNPQWXZ")


def kind_of(token: str) -> str:
    if token[:1].isdigit():
        return "number"
    if len(token) == 1 and token.isalpha():
        return "letter"
    return "command" if token.startswith("\\") else "other"


@lru_cache(maxsize=None)
def page_blocks(index: int):
    path = PAGES[index]
    return [(raw, scope) for raw, scope, _ in blocks_with_scope(read_page(path), path.name, trials=1)
            if raw.text.strip() and "unchecked" not in raw.markers]


def pages_with_blocks():
    return [index for index in range(len(PAGES)) if page_blocks(index)]


@st.composite
def edited_block(draw):
    # Choices through a Random that hypothesis controls: spread evenly over pages, blocks and
    # tokens (hypothesis's own choices lean towards the first ones), yet replayable and shrinkable.
    rnd = draw(st.randoms(use_true_random=False))
    index = rnd.choice(pages_with_blocks())
    raw, scope = rnd.choice(page_blocks(index))
    text = raw.text
    vocabulary = sorted(set(TOKEN.findall(text))) + EXTRA
    for _ in range(rnd.randint(1, 2)):  # each edit at a token of the text as it now is
        matches = list(TOKEN.finditer(text))
        match = rnd.choice(matches) if matches else None
        if match and kind_of(match.group()) == "other" and rnd.random() < 0.8:
            match = rnd.choice([m for m in matches if kind_of(m.group()) != "other"] or matches)
        start, end = match.span() if match else (0, 0)
        kind = rnd.choice(["insert", "delete", "replace", "alike", "alike", "alike", "alike"])
        if kind == "alike" and match:  # a token of the same kind: the formula stays readable
            alike = [t for t in vocabulary + NUMBERS + LETTERS if kind_of(t) == kind_of(match.group())]
            new = rnd.choice(alike or vocabulary)
        else:
            new = "" if kind == "delete" else " " + rnd.choice(vocabulary) + " "
        text = text[:start] + new + (text[start:] if kind == "insert" else text[end:])
    return PAGES[index].name, raw, scope, text


def run_within_limits(action):
    tracemalloc.start()
    try:
        start = time.process_time()
        result = action()
        elapsed = time.process_time() - start
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < MEMORY_LIMIT, f"peak memory {peak / 2 ** 20:.0f} MB"
    assert elapsed < TIME_LIMIT, f"{elapsed:.1f} s of CPU"
    return result


def assert_own_answer(block, page: str) -> None:
    assert block.status in STATUSES
    if not block.ok:
        assert block.message.startswith(f"{page}:"), block.message
        for sign in ("Traceback", "internal", "MemoryError", "RecursionError", "too deeply nested"):
            assert sign not in block.message, block.message


@seed(FUZZ_SEED)
@settings(max_examples=300, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(edited_block())
def test_an_edited_block_gets_the_checkers_own_answer_within_limits(edit):
    page, raw, scope, text = edit
    block = run_within_limits(lambda: check_mutant(raw, scope, text, name="mutant.md", trials=3))
    assert_own_answer(block, "mutant.md")


@seed(FUZZ_SEED)
@settings(max_examples=6, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(edited_block())
def test_a_whole_edited_page_gets_the_checkers_own_answer_within_limits(edit):
    """The same edits through the library's entry point: both size assignments, every block after
    the edited one (which may now depend on a failed definition)."""
    page, raw, _, text = edit
    original = next(p for p in PAGES if p.name == page).read_text(encoding="utf-8")
    lines = original.split("\n")
    first = raw.line - 1
    count = raw.text.count("\n") + 1
    edited = "\n".join(lines[:first] + [text] + lines[first + count:])
    result = run_within_limits(lambda: formulacheck.check_markdown(edited, "edited.md"))
    for block in result.blocks:
        assert_own_answer(block, "edited.md")
