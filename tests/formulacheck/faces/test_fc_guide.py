"""The contributor guide tells the truth about the checker.

The guide is two pages: docs/contributing.md (how to write a page) and docs/checker-messages.md
(the catalogue of messages). Examples, the preamble, the sample report and the catalogue may live
on either; "the guide" below means both.

- Every example in the guide is run: a comment `<!-- fc-example: OUTCOME "FRAGMENT" -->` directly
  above a fenced block names what the checker must answer. A ```tex block is one formula, checked
  after the shared declarations of its page (the block marked `<!-- fc-preamble -->`); a ```markdown
  block is a whole page. OUTCOME `error`/`failed`: the first problem of the page has that status
  and its message contains FRAGMENT. `checked`/`defined`/`declared`/`unchecked`: the example's last
  block has that status. `ok`: no block fails or errors. Several fragments ("A" "B") are matched
  by the first problems of the page, in page order.
- The sample report in the guide (`<!-- fc-report -->`) is exactly what the command prints.
- The catalogue is complete: every message the checker source can raise (each `fail_at`,
  `FormulaError`, `ShapeError` and page problem in src/formulacheck) appears in the guide, so a new
  message without a guide entry fails here.
- Mutation testing works as the guide says: `formulacheck mutate` passes a page whose mutants all
  fail, names a surviving mutant with the entry to record it, accepts it once recorded with a
  reason, refuses a stale entry, and reads the guide's example record.
"""

import ast
import re
from pathlib import Path

import pytest

import formulacheck
from formulacheck.faces.cli import main
from formulacheck.mutation.records import read_record
from formulacheck.testing import formula_page

ROOT = Path(__file__).resolve().parents[3]
GUIDE_PAGES = (ROOT / "docs" / "contributing.md", ROOT / "docs" / "checker-messages.md")
SOURCE = ROOT / "src" / "formulacheck"
EXAMPLE = re.compile(r'^<!-- fc-example: (?P<outcome>\w+)(?P<fragments>(?: "[^"]*")*) -->\n'
                     r'(?P<fence>`{3,})(?P<lang>\w+)\n(?P<body>.*?)\n(?P=fence)\n', re.M | re.S)
PREAMBLE = re.compile(r"^<!-- fc-preamble -->\n```tex\n(?P<body>.*?)\n```\n", re.M | re.S)
REPORT = re.compile(r"^<!-- fc-report -->\n````markdown\n(?P<page>.*?)\n````\n\n.*?\n"
                    r"```text\n\$ formulacheck (?P<name>\S+)\n(?P<output>.*?)\n```\n", re.M | re.S)
OUTCOMES = {"error", "failed", "checked", "defined", "declared", "unchecked", "ok", "classified"}


def page_text(page: Path) -> str:
    return page.read_text(encoding="utf-8")


def guide_text() -> str:
    return "\n".join(page_text(page) for page in GUIDE_PAGES)


def examples() -> list:
    found = []
    for page in GUIDE_PAGES:
        text = page_text(page)
        for match in EXAMPLE.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            fragments = re.findall(r'"([^"]*)"', match.group("fragments"))
            found.append(pytest.param(page.name, match.group("outcome"), fragments, match.group("lang"),
                                      match.group("body"), id=f"{page.name} line {line}"))
    return found


def as_page(page_name: str, lang: str, body: str) -> str:
    if lang == "markdown":
        return body + "\n"
    preamble = PREAMBLE.search(page_text(ROOT / "docs" / page_name)).group("body")
    return formula_page(body, f"$$\n{preamble}\n$$\n")


def test_the_guide_has_examples_of_every_outcome():
    outcomes = {param.values[1] for param in examples()}
    assert outcomes == OUTCOMES
    assert len(examples()) >= 70
    for page in GUIDE_PAGES:  # each page reads its tex examples after declarations it shows
        names = {param.values[0] for param in examples() if param.values[3] == "tex"}
        assert page.name in names and PREAMBLE.search(page_text(page)), page.name


def test_the_two_guide_pages_link_to_each_other():
    guide, catalogue = (page_text(page) for page in GUIDE_PAGES)
    assert "](checker-messages.md" in guide and "](contributing.md" in catalogue


@pytest.mark.parametrize("page_name, outcome, fragments, lang, body", examples())
def test_each_example_gives_the_documented_outcome(page_name, outcome, fragments, lang, body):
    assert outcome in OUTCOMES and lang in ("tex", "markdown")
    # display blocks and inline spans, in page order
    blocks = formulacheck.check_markdown(as_page(page_name, lang, body), "example.md").in_page_order()
    assert blocks, "the example holds no formula"
    if outcome in ("error", "failed"):
        problems = [block for block in blocks if not block.ok]
        assert problems, f"expected {outcome}, but every block passed: {[b.status for b in blocks]}"
        assert problems[0].status == outcome, problems[0].message
        assert fragments and len(problems) >= len(fragments), [p.message for p in problems]
        for problem, fragment in zip(problems, fragments):
            assert fragment in problem.message, problem.message
            assert problem.message.startswith("example.md:") and "Traceback" not in problem.message
    elif outcome == "ok":
        assert all(block.ok for block in blocks), [block.message for block in blocks]
    else:
        assert all(block.ok for block in blocks), [block.message for block in blocks]
        assert blocks[-1].status == outcome, blocks[-1].message
        for fragment in fragments:
            assert fragment in blocks[-1].message


def test_the_sample_report_is_what_the_command_prints(tmp_path, monkeypatch, capsys):
    match = REPORT.search(guide_text())
    assert match, "the guide has no <!-- fc-report --> sample"
    page = tmp_path / match.group("name")
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(match.group("page") + "\n")
    monkeypatch.chdir(tmp_path)
    assert main([match.group("name")]) == 1
    assert capsys.readouterr().out.rstrip("\n") == match.group("output")


# -- the catalogue is complete ----------------------------------------------------------------
RAISERS = {"fail_at": 1, "FormulaError": 0, "ShapeError": 0}


def source_messages() -> list:
    """(file:line, constant pieces) of every message literal the checker can raise."""
    messages = []
    for path in sorted(SOURCE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if name == "append" and getattr(func.value, "attr", None) == "problems":
                position = 0
            elif name in RAISERS:
                position = RAISERS[name]
            else:
                continue
            argument = node.args[position] if len(node.args) > position else None
            if isinstance(argument, ast.Constant):
                pieces = [argument.value]
            elif isinstance(argument, ast.JoinedStr):
                pieces = [v.value if isinstance(v, ast.Constant) else None for v in argument.values]
            else:
                continue  # a message passed through (a ShapeError re-raised with its own text)
            messages.append((f"{path.name}:{node.lineno}", pieces))
    return messages


def normalise(text: str) -> str:
    return " ".join(text.split())


def test_the_source_has_messages_to_compare_with():
    assert len(source_messages()) > 100


def test_every_message_the_checker_can_raise_is_in_the_guide():
    guide = normalise(guide_text())
    missing = []
    for where, pieces in source_messages():
        constants = [normalise(piece) for piece in pieces if piece is not None]
        longest = max(constants, key=len, default="")
        if len(longest) >= 12:
            covered = longest in guide
        else:  # short pieces say little alone: the whole message must appear, any values filled in
            pattern = ".+?".join(re.escape(normalise(p)) if p is not None else "" for p in pieces)
            covered = re.search(pattern, guide) is not None
        if not covered:
            missing.append(f"{where}: {''.join(p if p is not None else '{}' for p in pieces)}")
    assert not missing, ("messages missing from the catalogue of docs/checker-messages.md "
                         "(add each with an example):\n" + "\n".join(missing))


# -- mutation testing works as the guide says ------------------------------------------------
RECORD_EXAMPLE = re.compile(r"^<!-- fc-mutation-record -->\n```yaml\n(?P<record>.*?)\n```\n",
                            re.M | re.S)
STRONG_PAGE = r"""
$$
X \in \mathbb{R}^{N \times D}, \quad W \in \mathbb{R}^{D \times K}
$$

$$
F \coloneqq X W
$$

$$
\frac{\partial F_{ij}}{\partial W_{dk}} = X_{id} \, \mathbb{1}(j = k)
$$
"""
# \delta is symmetric: swapping its subscripts gives a true formula, a mutant that survives.
WEAK_PAGE = STRONG_PAGE.replace(r"\mathbb{1}(j = k)", r"\delta_{jk}")


def mutate(tmp_path, capsys, page_text_: str, record: str | None = None):
    """`formulacheck mutate docs/NAME.md` in a project whose page is `page_text_` (and whose
    record, docs/NAME.mutants.yml, is `record`): (exit status, output)."""
    (tmp_path / "docs").mkdir(exist_ok=True)
    (tmp_path / "docs" / "NAME.md").write_text(page_text_, encoding="utf-8")
    if record is not None:
        (tmp_path / "docs" / "NAME.mutants.yml").write_text(record, encoding="utf-8")
    status = main(["mutate", str(tmp_path / "docs" / "NAME.md")])
    captured = capsys.readouterr()
    return status, captured.out + captured.err


def test_the_mutation_command_passes_a_page_whose_mutants_all_fail(tmp_path, capsys):
    status, output = mutate(tmp_path, capsys, STRONG_PAGE)
    assert status == 0, output
    assert re.search(r"NAME.md: (\d+) mutants of 1 checked formulas: \1 fail, 0 equivalent, 0 survive",
                     output), output


def test_a_survivor_is_named_until_its_printed_entry_is_recorded_with_a_reason(tmp_path, capsys):
    status, output = mutate(tmp_path, capsys, WEAK_PAGE)
    assert status == 1
    assert re.search(r"NAME.md:11:1: a mutant survives \(subscript indices swapped at \d+\): .*"
                     r"\\delta_\{kj\}", output), output
    entry = output[output.index("    - mutant:"):].splitlines()[:2]  # the entry printed to paste
    record = "equivalent:\n" + "\n".join(line[2:] for line in entry).replace(
        "WHY THE MUTATED FORMULA IS TRUE", "the Kronecker delta is symmetric") + "\n"
    status, output = mutate(tmp_path, capsys, WEAK_PAGE, record)
    assert status == 0, output
    assert "1 equivalent, 0 survive" in output
    # an entry whose mutant no longer survives is stale, and refused
    stale = record + "  - mutant: '\\delta_{kj} = 0'\n    reason: 'a stale entry'\n"
    status, output = mutate(tmp_path, capsys, WEAK_PAGE, stale)
    assert status == 1 and "no longer survives" in output and "\\delta_{kj} = 0" in output


def test_the_guide_record_example_is_a_record_the_command_reads(tmp_path, capsys):
    example = RECORD_EXAMPLE.search(guide_text()).group("record")
    (tmp_path / "NAME.md").write_text("", encoding="utf-8")
    (tmp_path / "NAME.mutants.yml").write_text(example, encoding="utf-8")
    record = read_record(tmp_path / "NAME.md")
    assert [e.reason for e in record.equivalent] == [
        "|a| < h makes max(0, a - h) = 0, so its sign does not matter"]
    assert record.equivalent[0].mutant.startswith("\\frac{\\max(0, a + h) + \\max(0, a - h)}")
    assert record.mistakes == [("s^3 written s^2", "s_d\\^3", "s_d^2")]


def test_an_unreadable_record_is_a_usage_error_naming_the_file(tmp_path, capsys):
    status, output = mutate(tmp_path, capsys, STRONG_PAGE, "equivalent:\n  - mutant: 'x'\n")
    assert status == 2
    assert "NAME.mutants.yml: equivalent entry 1: expected the keys mutant, reason" in output
