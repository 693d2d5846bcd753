"""The notation corpus (notation_corpus/*.md, format in its README): formulas written the way the
sources learners read write them. Each entry is checked as a page of its own: its formulas as
written pass (or are refused with a message naming the fix), and its wrong variant fails."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

import formulacheck
from formulacheck.pages.results import Status
from formulacheck.testing import first_problem

CORPUS = Path(__file__).resolve().parent / "notation_corpus"
ENTRY_HEADING = re.compile(r"^## (?P<name>[a-z0-9-]+):", re.MULTILINE)
MARKER = re.compile(r"^<!-- (?P<kind>as written|refused|wrong)(?:: (?P<text>.*?))? -->$", re.MULTILINE)
SOURCE = re.compile(r"^<!-- source: .+ -->$", re.MULTILINE)


@dataclass(frozen=True)
class Entry:
    """One corpus entry: `context` (everything before the first marker), the formulas `as_written`,
    the `refusal` text the checker's message must contain (None when they must pass), `wrong`."""

    file: str
    name: str
    line: int
    context: str
    as_written: str
    refusal: str | None
    wrong: str

    def page(self, formulas: str) -> str:
        # Blank lines keep the line numbers of messages equal to the corpus file's.
        return self.context + formulas

    @property
    def id(self) -> str:
        return f"{self.file}::{self.name}"


def read_entries(path: Path) -> list[Entry]:
    """Every entry of one corpus file; a malformed entry raises ValueError naming its line."""
    text = path.read_text()
    starts = [match.start() for match in ENTRY_HEADING.finditer(text)]
    entries = []
    for start, end in zip(starts, starts[1:] + [len(text)]):
        chunk = text[start:end]
        line = text.count("\n", 0, start) + 1
        where = f"{path.name}:{line}"
        markers = list(MARKER.finditer(chunk))
        kinds = [marker["kind"] for marker in markers]
        if kinds not in (["as written", "wrong"], ["refused", "wrong"]):
            raise ValueError(f"{where}: an entry needs `as written` or `refused: TEXT`, then `wrong`;"
                             f" found {kinds}")
        if not SOURCE.search(chunk[:markers[0].start()]):
            raise ValueError(f"{where}: an entry names its source: <!-- source: ... -->")
        first, wrong = markers
        if first["kind"] == "refused" and not first["text"]:
            raise ValueError(f"{where}: `refused:` names the text the message must contain")
        # The text before the entry is blanked line for line so that positions match the file.
        padding = "\n" * (line - 1)
        context = padding + chunk[:first.start()]
        skipped = "\n" * chunk[first.start():wrong.start()].count("\n")
        entries.append(Entry(path.name, ENTRY_HEADING.match(chunk)["name"], line, context,
                             chunk[first.start():wrong.start()], first["text"],
                             skipped + chunk[wrong.start():]))
    return entries


ENTRIES = [entry for path in sorted(CORPUS.glob("*.md")) if path.name != "README.md"
           for entry in read_entries(path)]


def _check(entry: Entry, formulas: str) -> formulacheck.PageResult:
    return formulacheck.check_markdown(entry.page(formulas), f"notation_corpus/{entry.file}")


def _context_blocks(entry: Entry, result) -> list:
    context_lines = entry.context.count("\n")
    return [block for block in result.blocks if block.line <= context_lines]


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda entry: entry.id)
def test_entry_as_written(entry: Entry):
    result = _check(entry, entry.as_written)
    broken_context = [block.message for block in _context_blocks(entry, result) if not block.ok]
    assert broken_context == [], "the entry's context does not pass"
    if entry.refusal is None:
        problem = first_problem(result)
        assert problem is None, problem.render()
        written = result.blocks[len(_context_blocks(entry, result)):]
        assert any(block.status == Status.CHECKED for block in written) or any(
            span.status == Status.CHECKED for span in result.spans), "no claim among the formulas"
    else:
        problem = first_problem(result)
        assert problem is not None and problem.kind == "error", "the form is not refused"
        assert entry.refusal in problem.text + "\n".join(problem.details), problem.render()


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda entry: entry.id)
def test_entry_wrong_variant_fails(entry: Entry):
    problem = first_problem(_check(entry, entry.wrong))
    assert problem is not None, "the wrong variant passes"
    assert problem.kind == ("failed" if entry.refusal is None else "error"), problem.render()


def test_entries_are_read_with_their_positions(tmp_path):
    page = tmp_path / "sample.md"
    page.write_text("# Sample\n\n## one: a\n<!-- source: S -->\n\n$$\nx \\in \\mathbb{R}\n$$\n\n"
                    "<!-- as written -->\n$$\nx + x = 2 x\n$$\n\n<!-- wrong -->\n$$\nx + x = 3 x\n$$\n")
    [entry] = read_entries(page)
    assert (entry.name, entry.line, entry.refusal) == ("one", 3, None)
    result = formulacheck.check_markdown(entry.page(entry.wrong), "sample.md")
    assert first_problem(result).line == 17  # the wrong claim's line in the file
    assert [block.status for block in result.blocks] == ["declared", "failed"]


def test_malformed_entries_are_named(tmp_path):
    page = tmp_path / "bad.md"
    page.write_text("## two: b\n\n<!-- as written -->\n$$\nx = x\n$$\n")
    with pytest.raises(ValueError, match="bad.md:1: an entry needs"):
        read_entries(page)


def test_the_corpus_reads_most_real_world_notation_as_written():
    """The corpus as a whole: at least 80 formulas in the notation of the sources, at least 90% of
    them read as written (the per-entry tests above prove each reading and each refusal), every
    kind of notation with its own file."""
    refused = [entry.id for entry in ENTRIES if entry.refusal is not None]
    as_written = len(ENTRIES) - len(refused)
    print(f"notation corpus: {len(ENTRIES)} entries, {as_written} read as written"
          f" ({as_written / len(ENTRIES):.0%}), {len(refused)} refused: {refused}")
    assert len(ENTRIES) >= 80
    assert as_written >= 0.9 * len(ENTRIES)
    assert len({entry.file for entry in ENTRIES}) >= 8
