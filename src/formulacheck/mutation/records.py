r"""A page's mutation record, beside it: `docs/PAGE.mutants.yml` for `docs/PAGE.md` (or
`docs/PAGE.ipynb`). The MkDocs plugin leaves these files out of the site.

    # why each mutant below is a true formula too
    equivalent:
      - mutant: '\frac{\max(0, r + h) + \max(0, r - h)}{2 h} = 1'
        reason: r >= h makes both maxima 0, so their sign does not matter
    mistakes:                     # optional: mistakes typical of this page's derivation
      - name: s^3 written s^2
        pattern: 's_d\^3'         # a regular expression
        replacement: 's_d^2'

An equivalent mutant is named by its content, the whole mutated formula with its white space
collapsed, so an edit elsewhere on the page keeps the entry, and an edit of the formula itself
makes it stale (the reason must then be judged again). A record is YAML; its TeX is best written
in single quotes, where a backslash is itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

SUFFIX = ".mutants.yml"


class RecordError(ValueError):
    """The record cannot be read; the message names the file, the entry and what was expected."""


@dataclass(frozen=True)
class Equivalent:
    """A mutant that is a true formula too (`mutant`: whitespace collapsed), and why."""

    mutant: str
    reason: str


@dataclass
class Record:
    """What `docs/PAGE.mutants.yml` says; empty when the page has none."""

    path: Path
    equivalent: list = field(default_factory=list)
    mistakes: list = field(default_factory=list)  # (name, pattern, replacement)


def flat(tex: str) -> str:
    """The formula with its white space collapsed: how a mutant is named in a record."""
    return " ".join(tex.split())


def record_path(page) -> Path:
    """`docs/svm.mutants.yml` for `docs/svm.md`.

    >>> record_path("docs/train.ipynb").as_posix()
    'docs/train.mutants.yml'
    """
    page = Path(page)
    return page.with_name(page.stem + SUFFIX)


def quoted(text: str) -> str:
    r"""`text` as a single-quoted YAML scalar (a backslash stays one backslash).

    >>> print(quoted(r"\hat{x}'s = 1"))
    '\hat{x}''s = 1'
    """
    return "'" + text.replace("'", "''") + "'"


def entry_text(mutant: str, reason: str) -> str:
    """An `equivalent:` entry, as it is written in a record."""
    return f"  - mutant: {quoted(flat(mutant))}\n    reason: {quoted(reason)}\n"


def read_record(page) -> Record:
    """The record of `page` (an empty one when there is no file). Raises RecordError."""
    path = record_path(page)
    record = Record(path)
    if not path.is_file():
        return record
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as problem:
        mark = getattr(problem, "problem_mark", None)
        where = f":{mark.line + 1}:{mark.column + 1}" if mark is not None else ""
        raise RecordError(f"{path}{where}: not YAML ({getattr(problem, 'problem', problem)}); "
                          "expected the lists equivalent: and mistakes:") from None
    if data is None:
        return record
    if not isinstance(data, dict) or set(data) - {"equivalent", "mistakes"}:
        raise RecordError(f"{path}: expected a mapping with the lists equivalent: and mistakes:, "
                          f"found {sorted(data) if isinstance(data, dict) else type(data).__name__}")
    for number, entry in enumerate(data.get("equivalent") or [], start=1):
        mutant, reason = _fields(path, "equivalent", number, entry, ("mutant", "reason"))
        record.equivalent.append(Equivalent(flat(mutant), reason))
    for number, entry in enumerate(data.get("mistakes") or [], start=1):
        name, pattern, replacement = _fields(path, "mistakes", number, entry,
                                             ("name", "pattern", "replacement"), empty=("replacement",))
        try:
            re.compile(pattern)
        except re.error as problem:
            raise RecordError(f"{path}: mistakes entry {number} ({name}): the pattern is not a "
                              f"regular expression ({problem})") from None
        record.mistakes.append((name, pattern, replacement))
    return record


def _fields(path, section: str, number: int, entry, names: tuple, empty: tuple = ()) -> tuple:
    if not isinstance(entry, dict) or set(entry) != set(names):
        raise RecordError(f"{path}: {section} entry {number}: expected the keys "
                          f"{', '.join(names)}, found {entry!r}")
    values = []
    for name in names:
        value = entry[name]
        if not isinstance(value, str) or (not value.strip() and name not in empty):
            raise RecordError(f"{path}: {section} entry {number}: {name} must be text"
                              + ("" if name in empty else ", not empty"))
        values.append(value)
    return tuple(values)
