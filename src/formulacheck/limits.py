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

#: The most numbers one value may hold (4 million: 64 MB as complex numbers). Every operation that
#: makes a value larger than its inputs checks the size it is about to allocate, so a formula with
#: many free index letters or a huge sum is refused before memory runs out.
ELEMENT_BUDGET = 4_000_000

#: The most numbers one derivative may step (the entries of its denominator, squared: one copy of
#: the node per entry). Beyond ELEMENT_BUDGET the entries are stepped a chunk at a time, each chunk
#: within ELEMENT_BUDGET (a derivative by an entry of an N x C x H x W tensor needs that); this
#: bounds the number of chunks, and so the time, at 8.
DERIVATIVE_BUDGET = 8 * ELEMENT_BUDGET

#: Sizes and sum bounds are integers of at most this many digits (more could never fit the budget).
MAX_DIGITS = 9

# Stack frames a block may use above the caller's own: reading and evaluating nest one frame per
# level of the formula. Counted from where the check starts, so the answer for a formula does not
# depend on how deep the caller's stack already is (a test runner's or a build tool's).
NESTING_FRAMES = 2000
