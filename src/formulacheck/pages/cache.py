"""Check results kept between builds: a page is checked again only when something it depends on
changed.

A page's result is a function of its text, its name (messages start with it), the checker's own
code (and the Python and numpy it runs on), the check settings (trials, seed) and, for a page with
`<!-- code: EXPR -->` markers, the code of each package those markers call. The cache key is a
hash of all of them, so an unchanged page costs a hash and a lookup. A changed page is checked
through its memo (pages/incremental.py): only the formulas the edit changed, and those whose scope
it changed, are checked again; after an edit of the checker or the settings every page is checked
in full. Results and memos live in memory for the life of the process (`mkdocs serve` rebuilds)
and in one pickle file per key under `.cache/formulacheck/` of the working folder, so the next
`mkdocs build` or `mkdocs serve` starts warm (set FORMULACHECK_CACHE_DIR to move it, or to `off`
to keep them in memory only).

A Markdown page is checked under a stand-in name (STAND_IN) and filed without its name, as the
name only appears in the `page` fields of the results; each caller gets the result with its own
name set. So a page whose text is the same as another's (a copy, or a page
renamed or moved) costs a lookup, as an unchanged page does.
The checker's fingerprint is taken once, from the code this process runs: a process that keeps
running after the checker's files were edited keeps its own (older) key and never files results
under the new one. A package called by `code:` markers is fingerprinted on each check; when its
files changed since this process imported it, its modules are dropped from `sys.modules`, so the
check imports the edited code instead of running the old one.
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import importlib.util
import multiprocessing
import os
import pickle
import re
import sys
import threading
from pathlib import Path

import numpy as np

from .check import check_markdown, check_notebook, check_page
from .incremental import PageMemo, digest
from .results import PageResult, copy_of

__all__ = ["cached_check_markdown", "cached_check_page", "check_ahead", "package_digest",
           "ResultsCache"]

# Bumped when the format of what is stored changes in a way the checker's code hash cannot see.
_FORMAT = "2"
_CODE_MARKER = re.compile(r"^\s*<!--\s*code\s*:\s*([A-Za-z_]\w*)", re.MULTILINE)
# The name a Markdown page is checked under: no page name or page text holds a NUL character
# (a text that does is checked under its own name), so every occurrence in a result is the name.
STAND_IN = "\0page\0"
# Fewer pages than this are checked one by one (starting processes would cost more).
MIN_PARALLEL = 4
# At most this many result files are kept; past it the least recently written half goes.
MAX_FILES = 2000


def _tree_digest(paths) -> str:
    hashed = hashlib.sha256()
    for path in sorted(paths):
        hashed.update(str(path).encode() + b"\0")
        hashed.update(Path(path).read_bytes() + b"\0")
    return hashed.hexdigest()


_package_digests: dict = {}  # (path, size, mtime) of each file -> digest of their contents


def package_digest(top: str) -> str:
    """Digest of the files of package ``top``; read again only when one's size or mtime moved."""
    files = _package_files(top)
    signature = tuple(sorted((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in files))
    if signature not in _package_digests:
        _package_digests[signature] = _tree_digest(files)
    return _package_digests[signature]


# The checker's code, and what its numbers depend on besides: Python and numpy.
CHECKER_FINGERPRINT = _tree_digest(Path(__file__).parents[1].rglob("*.py")) + (
    f";python {sys.version};numpy {np.__version__}")


def _package_files(top: str) -> list:
    """Source files of importable top-level package (or module) ``top``, found without importing
    it; empty when there is none (the checker then reports the failed import itself)."""
    try:
        spec = importlib.util.find_spec(top)
    except (ImportError, ValueError):
        return []
    if spec is None:
        return []
    if spec.submodule_search_locations:
        return [path for folder in spec.submodule_search_locations
                for path in Path(folder).rglob("*.py")]
    return [Path(spec.origin)] if spec.origin and os.path.isfile(spec.origin) else []


class ResultsCache:
    """Results of `check_markdown`, in memory and (unless ``folder`` is None) on disk.

    >>> cache = ResultsCache(folder=None)
    >>> page = "$$\\nx \\\\in \\\\mathbb{R}\\n$$\\n"
    >>> first = cache.check_markdown(page, "p.md")
    >>> second = cache.check_markdown(page, "p.md")
    >>> (cache.hits, cache.misses, first == second, first is second)
    (1, 1, True, False)
    """

    def __init__(self, folder=None):
        self.folder = Path(folder) if folder is not None else None
        self.memory: dict = {}
        self.memos: dict = {}  # _memo_key(context, page name) -> PageMemo (pages/incremental.py)
        self.hits = self.misses = 0
        self._imported: dict = {}  # top-level package -> fingerprint of the code this process runs

    def key(self, text: str, name: str, trials: int, seed: int, kind: str = "markdown") -> str:
        return digest(self.context(text, name, trials, seed, kind), text)

    def context(self, text: str, name: str, trials: int, seed: int, kind: str = "markdown") -> str:
        """Digest of what a page's result depends on besides its text: the checker, the settings,
        the name it is checked under and the code of the packages its `code:` markers call."""
        parts = [_FORMAT, CHECKER_FINGERPRINT, kind, _checked_name(text, name, kind), str(trials),
                 str(seed)]
        for top in sorted(set(_CODE_MARKER.findall(text))):
            fingerprint = package_digest(top)
            self._drop_if_edited(top, fingerprint)
            parts.append(f"{top}={fingerprint}")
        return digest(*parts)

    def check_markdown(self, text: str, name: str, *, trials: int = 3, seed: int = 0):
        """`check.check_markdown(text, name, ...)`, from the cache when nothing changed; the
        caller gets its own copy, free to change."""
        return self._check(text, name, trials, seed, "markdown")

    def check_notebook(self, text: str, name: str, *, trials: int = 3, seed: int = 0):
        """`check.check_notebook(text, name, ...)` through the cache; its errors (a
        `NotebookError`) are raised each time, never stored."""
        return self._check(text, name, trials, seed, "notebook")

    def _check(self, text, name, trials, seed, kind):
        context = self.context(text, name, trials, seed, kind)
        key = digest(context, text)  # self.key(...), without computing the context twice
        result = self.memory.get(key)
        if result is None:
            result = self._load(key)
        if result is None:
            self.misses += 1
            if kind == "notebook":
                result = check_notebook(text, name, trials=trials, seed=seed)
            else:
                result = self.check_with_memo(text, name, trials, seed, context)
            self._store(key, result)
        else:
            self.hits += 1
        self.memory[key] = result
        return _named(result, _checked_name(text, name, kind), name)

    def check_with_memo(self, text: str, name: str, trials: int, seed: int, context=None):
        """`check_markdown` of page `name` (under its checked name) through the page's memo, kept
        in memory and filed beside the results: a page checked before, here or by another process
        with the same checker and settings, is checked again only where its text changed.
        `context` is `self.context(text, name, trials, seed)`, when the caller has it."""
        context = context or self.context(text, name, trials, seed)
        memo_key = _memo_key(context, name)
        memo = self.memos.get(memo_key)
        if memo is None:
            memo = self._load(memo_key)
            memo = memo if isinstance(memo, PageMemo) else PageMemo()
        result = check_markdown(text, _checked_name(text, name), trials=trials, seed=seed,
                                memo=memo)
        self.memos[memo_key] = memo
        self._store(memo_key, memo.portable())
        return result

    def check_ahead(self, pages, *, trials: int = 3, seed: int = 0, workers=None) -> int:
        """Check the Markdown ``pages`` [(text, name)] that are not cached yet, in up to
        ``workers`` processes (default: one per processor), and cache their results, so that
        the `check_markdown` calls that follow find them. Returns how many were checked.

        Only forks a process that runs no other thread (a fork copies one thread's state);
        otherwise, or for fewer than MIN_PARALLEL pages, it leaves the pages to be checked one by
        one as they are asked for.
        """
        keys = {}
        for text, name in pages:
            key = self.key(text, name, trials, seed)
            if key not in self.memory and key not in keys:
                stored = self._load(key)
                if stored is not None:
                    self.memory[key] = stored
                else:
                    keys[key] = (text, name)
        workers = min(workers or os.cpu_count() or 1, len(keys))
        if (len(keys) < MIN_PARALLEL or workers < 2 or threading.active_count() > 1
                or "fork" not in multiprocessing.get_all_start_methods()):
            return 0
        context = multiprocessing.get_context("fork")
        with concurrent.futures.ProcessPoolExecutor(workers, mp_context=context,
                                                    initializer=one_blas_thread) as pool:
            jobs = [(self.folder, text, name, trials, seed) for text, name in keys.values()]
            for key, result in zip(keys, pool.map(_check_one, jobs, chunksize=1)):
                self.misses += 1
                self.memory[key] = result
                self._store(key, result)
        return len(keys)

    def _drop_if_edited(self, top: str, fingerprint: str) -> None:
        known = self._imported.setdefault(top, fingerprint)
        if known != fingerprint:
            for module in [m for m in sys.modules if m == top or m.startswith(top + ".")]:
                del sys.modules[module]
            importlib.invalidate_caches()
            self._imported[top] = fingerprint

    def _load(self, key: str):
        if self.folder is None:
            return None
        try:
            with open(self.folder / f"{key}.pickle", "rb") as stored:
                return pickle.load(stored)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None  # absent, or written by a checker whose classes changed: check again

    def _store(self, key: str, result) -> None:
        if self.folder is None:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            partial = self.folder / f"{key}.{os.getpid()}.tmp"
            partial.write_bytes(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(partial, self.folder / f"{key}.pickle")  # atomic: builds may run at once
            self._prune()
        except OSError:
            pass  # a read-only or full disk costs speed, never a result

    def _prune(self) -> None:
        files = list(self.folder.glob("*.pickle"))
        if len(files) <= MAX_FILES:
            return
        files.sort(key=lambda path: path.stat().st_mtime)
        for path in files[:len(files) // 2]:
            path.unlink(missing_ok=True)


def _checked_name(text: str, name: str, kind: str = "markdown") -> str:
    """The name a page is checked and filed under: STAND_IN for a Markdown page, unless its text
    holds it; a notebook's own name (its errors are raised with the name, not stored)."""
    return STAND_IN if kind == "markdown" and STAND_IN not in text else name


def _named(result, checked_name: str, name: str):
    """A copy of `result` (checked under `checked_name`) as it reads when checked under `name`:
    the page's name is data (the `page` of the result, of each block and span and of its
    problem), so renaming sets those fields; nothing else holds the name. The copy is the
    caller's, free to change.

    >>> from .results import BlockResult, Problem
    >>> failed = BlockResult(STAND_IN, 2, "x", "failed", problem=Problem(STAND_IN, 2, 1, "failed", "no"))
    >>> page = PageResult(STAND_IN, [failed])
    >>> renamed = _named(page, STAND_IN, "docs/p.md")
    >>> renamed.page, renamed.blocks[0].page, renamed.blocks[0].message
    ('docs/p.md', 'docs/p.md', 'docs/p.md:2:1: failed: no')
    """
    copied = copy_of(result)
    if checked_name == name:
        return copied
    copied.page = name
    for block in copied.blocks + copied.spans:
        block.page = name
        if block.problem is not None:
            block.problem.page = name
    return copied


def one_blas_thread():
    """In a worker process of `check_ahead`: numpy's linear algebra (OpenBLAS) runs in one thread.

    The pool already has one process per processor; with OpenBLAS's own thread per processor in
    each, the processes fight over the processors (measured on 2: convolution.md and
    spatial-batchnorm.md checked at once took 46 s with the default threads, 26 s with one each).
    The library is loaded before the fork, so the limit is set at run time (threadpoolctl), not
    through OPENBLAS_NUM_THREADS, which OpenBLAS reads only when it loads. Imported here: only
    the pool's workers need it, not every process that imports the cache (6-8 ms each).
    """
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")


def _check_one(job):
    """In a worker process: check one page, filing its memo for the process that edits it next."""
    folder, text, name, trials, seed = job
    return ResultsCache(folder).check_with_memo(text, name, trials, seed)


def _memo_key(context: str, name: str) -> str:
    return "memo-" + digest(context, name)


# Relative to the working folder; FORMULACHECK_CACHE_DIR names another, or `off`.
DEFAULT_FOLDER = ".cache/formulacheck"


def cache_setting(variable: str, default: str) -> str | None:
    """The folder the environment `variable` names for a cache kept between builds (`default`
    when it is unset), or None for `off` or an empty value. One rule for FORMULACHECK_CACHE_DIR and
    for the typeset-math hook's PRERENDER_MATH_CACHE_DIR.

    >>> cache_setting("FC_TEST_UNSET_VARIABLE", ".cache/here")
    '.cache/here'
    """
    setting = os.environ.get(variable, default)
    return None if setting.lower() in ("", "off") else setting


def configured_folder():
    """The folder FORMULACHECK_CACHE_DIR names (default DEFAULT_FOLDER), resolved from the working
    folder, or None (`cache_setting`)."""
    setting = cache_setting("FORMULACHECK_CACHE_DIR", DEFAULT_FOLDER)
    return None if setting is None else Path(setting).resolve()


_shared = ResultsCache(configured_folder())


def cached_check_markdown(text: str, name: str, *, trials: int = 3, seed: int = 0):
    """`check_markdown` through the process-wide cache (see the module docstring)."""
    return _shared.check_markdown(text, name, trials=trials, seed=seed)


def check_ahead(pages, *, trials: int = 3, seed: int = 0, workers=None) -> int:
    """`ResultsCache.check_ahead` on the process-wide cache: [(text, name)] checked in parallel."""
    return _shared.check_ahead(pages, trials=trials, seed=seed, workers=workers)


def cached_check_page(path, *, trials: int = 3, seed: int = 0):
    """`check_page` (a Markdown page or a notebook) through the process-wide cache."""
    path = Path(path)
    if path.suffix not in (".md", ".ipynb"):
        return check_page(path, trials=trials, seed=seed)  # which refuses it with its message
    check = _shared.check_notebook if path.suffix == ".ipynb" else _shared.check_markdown
    # as check_page reads it: a byte-order mark is not part of the page
    return check(path.read_text(encoding="utf-8-sig"), str(path), trials=trials, seed=seed)
