"""The checker's limits, in one place (GRAMMAR.md, "Limits"): input beyond them is refused with a
message naming page:line:col, before any time or memory is spent on it.

This module imports nothing, so the command line can check `--trials` without loading numpy.
"""

#: Random instances per formula, at most (`--trials`, `check_page(trials=...)`): the time grows
#: linearly with it.
MAX_TRIALS = 200

#: Branch-aware sampling: while a kink or branch of a claim has been seen on one side only, more
#: instances are drawn, up to this many in all (GRAMMAR.md, "Branch-aware sampling").
BRANCH_TRIALS = 64

#: The instances drawn for a branch are numbered from here (past any `--trials`, so they never
#: share their random leaves with a plain instance), and their unbounded random leaves are drawn at
#: these scales in turn: a kink away from zero (`\max(0, z - 3)`, `|z - 1000|`) is reached by
#: leaves of its size, which standard normal ones almost never are.
BRANCH_TRIAL_BASE = MAX_TRIALS
BRANCH_SCALES = (3.0, 10.0, 30.0, 100.0, 1e3, 1e4, 1e6, 1e9, 1e12)

#: The most numbers one value may hold (4 million: 64 MB as complex numbers). Every operation that
#: makes a value larger than its inputs checks the size it is about to allocate, so a formula with
#: many free index letters or a huge sum is refused before memory runs out.
ELEMENT_BUDGET = 4_000_000

#: The most numbers one derivative may step (the entries of its denominator, squared: one copy of
#: the node per entry). Beyond DERIVATIVE_CHUNK the entries are stepped a chunk at a time, each chunk
#: within it (a derivative by an entry of an N x C x H x W tensor needs that); this
#: bounds the time (the arithmetic of 8 values of the whole budget, in at most 64 chunks).
DERIVATIVE_BUDGET = 8 * ELEMENT_BUDGET

#: The most numbers one chunk of a stepped derivative may hold (ELEMENT_BUDGET / 8: 8 MB as complex
#: numbers). Evaluating the numerator keeps several values of the chunk's size alive at once (a
#: batch-norm loss holds about five), so a chunk of the whole ELEMENT_BUDGET peaked near 300 MB;
#: smaller chunks cost the same arithmetic in more, still large, numpy calls.
DERIVATIVE_CHUNK = ELEMENT_BUDGET // 8

#: Sizes and sum bounds are integers of at most this many digits (more could never fit the budget).
MAX_DIGITS = 9

# Stack frames a block may use above the caller's own: reading and evaluating nest one frame per
# level of the formula. Counted from where the check starts, so the answer for a formula does not
# depend on how deep the caller's stack already is (a test runner's or a build tool's).
NESTING_FRAMES = 2000
