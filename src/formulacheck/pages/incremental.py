"""Checking a page again after an edit: only the items whose check can have changed are checked.

A pass of the page loop (pages/check.py) checks the items of a scope in page order, each against
the scope as the items before it left it. An item's result is a function of the item (its TeX,
markers, place and the page lines it spans) and of that scope: its declarations, definitions,
sizes, failed definitions, the names of formulas with problems, conventions and size plan (the
values of symbols are drawn from the seed, the trial and the name, so they are not part of it). So a scope's state is named by a
digest: the start names the seed, size assignment and plan; an item that changes the scope moves
the state on to the digest of the state before and the item's key; an item that leaves the scope
as it was leaves the state too.

`PageMemo` keeps, from the last check of a page, each item's result by (state, item key) and a
snapshot of the scope in each state. Checking the page again, an item whose key and state are
both known costs a lookup; the first item that differs (an edited formula, or one moved to
another line) is checked, and so is every later item whose state it changed. An edit of prose
changes no key; an edit of a claim (which declares nothing) changes one key and no state, so
only that claim is checked; an edit of a definition checks the items after it in its scope.

Results are copies each way (the page loop and its callers change results in place). The memo
keeps only what the latest check used, so it does not grow with edits. `portable()` is the memo
without the values of symbols, to be stored on disk (pages/cache.py).

>>> from .check import check_markdown
>>> memo = PageMemo()
>>> page = "$$\\nx \\\\in \\\\mathbb{R}\\n$$\\n\\n$$\\n(x + 1)^2 = x^2 + 2 x + 1\\n$$\\n"
>>> first = check_markdown(page, "p.md", memo=memo)
>>> (memo.hits, memo.misses)
(0, 4)
>>> edited = check_markdown(page.replace("2 x + 1", "x + x + 1"), "p.md", memo=memo)
>>> (memo.hits, memo.misses, [b.status for b in edited.blocks])
(2, 2, ['declared', 'checked'])
"""

from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass

from ..evaluation.scope import Scope
from .results import copy_of

__all__ = ["PageMemo", "ScopeTrack", "digest", "item_key", "snapshot"]


@dataclass
class Outcome:
    """What checking one item in one state gave: its result (the memo's own copy), how many
    symbols it added to the scope, and the state it left the scope in."""

    result: object
    added: int
    after: str


class PageMemo:
    """Results and scope snapshots of the latest check of one page (see the module docstring)."""

    def __init__(self):
        self.results: dict = {}  # (state, item key) -> Outcome
        self.scopes: dict = {}  # state -> Scope, as the items before left it (a snapshot)
        self.plans: dict = {}  # size problem of a scope -> SizePlan (pages/size_plan.py)
        self.hits = self.misses = 0
        self._used_results: set = set()
        self._used_scopes: set = set()

    def begin(self) -> None:
        """Start a check of the page: count afresh, and note what it uses."""
        self.hits = self.misses = 0
        self._used_results, self._used_scopes = set(), set()

    def end(self) -> None:
        """End a check: keep only the results and scopes it used (a page edited many times does
        not keep every version)."""
        self.results = {k: v for k, v in self.results.items() if k in self._used_results}
        self.scopes = {k: v for k, v in self.scopes.items() if k in self._used_scopes}

    def portable(self) -> "PageMemo":
        """A copy without the values of symbols (drawn again on use): what is stored on disk."""
        twin = copy.copy(self)
        twin.scopes = {}
        for state, scope in self.scopes.items():
            twin.scopes[state] = copy.copy(scope)
            twin.scopes[state].memo = {}
        return twin

    def __getstate__(self):
        return {"results": self.results, "scopes": self.scopes, "plans": self.plans}

    def __setstate__(self, state):
        self.__init__()
        self.results, self.scopes, self.plans = state["results"], state["scopes"], state["plans"]


class ScopeTrack:
    """One scope of one pass of the page loop, checked through a `PageMemo`: `check(item, ...)`
    gives the item's result from the memo when its key and the scope's state are known there,
    and checks it in a live copy of the scope otherwise."""

    def __init__(self, memo: PageMemo | None, seed: int, assignment: int, plan):
        self.memo = memo
        self._fresh = lambda: Scope(seed, assignment, plan)
        self._live = None  # the Scope in self.state, once an item had to be checked in it
        if memo is not None:
            self.state = digest("start", str(seed), str(assignment), _plan_key(plan))
            self._note_scope()

    def check(self, item, check, page_lines: list):
        """(result, symbols added): `check(item, scope)` or the memo's copy of what it gave.
        Without a memo, every item is checked in one live scope."""
        if self.memo is None:
            return self._check_live(item, check)
        key = item_key(item, page_lines)
        self.memo._used_results.add((self.state, key))
        known = self.memo.results.get((self.state, key))
        if known is not None:
            self.memo.hits += 1
            if known.after != self.state:
                self.state, self._live = known.after, None
                self._note_scope()
            return copy_of(known.result), known.added
        self.memo.misses += 1
        scope = self.scope()
        before = _footprint(scope)
        result, added = self._check_live(item, check)
        after = self.state if _footprint(scope) == before else digest(self.state, repr(key))
        self.memo.results[(self.state, key)] = Outcome(copy_of(result), added, after)
        if after != self.state:
            self.state = after
            self.memo.scopes[after] = snapshot(scope)
            self._note_scope()
        return result, added

    def _check_live(self, item, check):
        """(result, symbols added): `item` checked in the live scope."""
        scope = self.scope()
        symbols = len(scope.symbols)
        return check(item, scope), len(scope.symbols) - symbols

    def scope(self) -> Scope:
        """The scope in the current state, live (the checks of items change it)."""
        if self._live is None:
            stored = self.memo and self.memo.scopes.get(self.state)
            self._live = snapshot(stored) if stored is not None else self._fresh()
        return self._live

    def view(self) -> Scope:
        """The scope in the current state, to read and not change (no copy is made)."""
        stored = self.memo and self.memo.scopes.get(self.state)
        return self._live or stored or self._fresh()

    def sizes_text(self) -> str:
        """`Scope.sizes_text()` of the scope in the current state."""
        return self.view().sizes_text()

    def _note_scope(self) -> None:
        self.memo._used_scopes.add(self.state)


def item_key(item, page_lines: list) -> tuple:
    """What an item's result depends on besides the scope: kind, place, TeX, markers, problems
    found when reading it, and the page lines it spans (a problem shows its line)."""
    return (item.kind, item.line, item.col, item.start_index, item.end_index, item.text,
            repr(sorted(item.markers.items())), repr(item.problems),
            tuple(page_lines[item.start_index:item.end_index + 1]))


def snapshot(scope: Scope) -> Scope:
    """A copy whose symbol table, sizes, failures, names of formulas with problems, conventions
    and value memo can grow without touching the original (values of existing definitions do not
    change, so they are shared)."""
    twin = copy.copy(scope)
    twin.symbols = dict(scope.symbols)
    twin.sizes = dict(scope.sizes)
    twin.first_given = set(scope.first_given)
    twin.failed = dict(scope.failed)
    twin.broken = dict(scope.broken)
    twin.conventions = dict(scope.conventions)
    twin.memo = {trial: dict(values) for trial, values in scope.memo.items()}
    return twin


def _footprint(scope: Scope) -> tuple:
    """Everything of a scope that a later item's check can read, except the values of symbols."""
    return (tuple((key, id(symbol)) for key, symbol in scope.symbols.items()),
            tuple(scope.sizes.items()), tuple(sorted(scope.first_given)),
            tuple(scope.failed.items()), tuple(scope.broken.items()),
            tuple(scope.conventions.items()),
            scope.code_gradient_loss)


def _plan_key(plan) -> str:
    """The same text for the same plan in every process (sets are written sorted)."""
    if plan is None:
        return "no plan"
    values = [sorted(v.items()) for v in plan.values]
    return repr((values, plan.failure, sorted(plan.relations), sorted(plan.axes)))


def digest(*parts: str) -> str:
    """SHA-256 of `parts`, each ended by a NUL (no part holds one where it matters: a page text
    that does is checked under its own name, pages/cache.py), as hex: the memo's states and the
    results cache's keys."""
    hashed = hashlib.sha256()
    for part in parts:
        hashed.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return hashed.hexdigest()
