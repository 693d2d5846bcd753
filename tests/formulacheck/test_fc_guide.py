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
- The mutation-test template (`<!-- fc-mutation-template -->`) runs as written: it passes on a page
  whose mutants all fail, names a surviving mutant, and accepts it once listed as equivalent.
"""

import ast
import re
from pathlib import Path

import pytest

import formulacheck
from formulacheck.faces.cli import main

ROOT = Path(__file__).resolve().parents[2]
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
    return f"$$\n{preamble}\n$$\n\n$$\n{body}\n$$\n"


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


# -- the mutation-test template runs as written ------------------------------------------------
MUTATION_TEMPLATE = re.compile(r"^<!-- fc-mutation-template -->\n```python\n(?P<code>.*?)\n```\n",
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


def template_test(tmp_path, page_text_: str):
    """The template's test function, set up as if saved in tests/formulacheck/ of a project whose
    docs/NAME.md is `page_text_`."""
    (tmp_path / "docs").mkdir(exist_ok=True)
    (tmp_path / "docs" / "NAME.md").write_text(page_text_, encoding="utf-8")
    code = MUTATION_TEMPLATE.search(guide_text()).group("code")
    namespace = {"__file__": str(tmp_path / "tests" / "formulacheck" / "test_fc_NAME_mutants.py"),
                 "__name__": "test_fc_NAME_mutants"}
    exec(compile(code, "test_fc_NAME_mutants.py", "exec"), namespace)
    return namespace


def test_the_mutation_template_passes_when_every_mutant_fails(tmp_path):
    namespace = template_test(tmp_path, STRONG_PAGE)
    namespace["test_every_mutant_of_the_page_fails"]()


def test_the_mutation_template_names_a_survivor_until_it_is_listed_as_equivalent(tmp_path):
    namespace = template_test(tmp_path, WEAK_PAGE)
    with pytest.raises(AssertionError) as failure:
        namespace["test_every_mutant_of_the_page_fails"]()
    assert "line 11, subscript indices swapped at " in str(failure.value)
    assert r"\delta_{kj}" in str(failure.value)
    survivor = re.search(r"line 11, (subscript indices swapped at \d+)", str(failure.value)).group(1)
    namespace["EQUIVALENT"].update({(11, survivor): "the Kronecker delta is symmetric"})
    namespace["test_every_mutant_of_the_page_fails"]()
    namespace["EQUIVALENT"].update({(11, "plus to minus at 0"): "a stale entry"})
    with pytest.raises(AssertionError):  # an entry whose mutant does not survive is refused
        namespace["test_every_mutant_of_the_page_fails"]()
