"""Robust on any input: each input that once crashed the checker, hung it, exhausted its memory or
gave a wrong message is a regression test here (issue 10, point 5). The fuzz test over edited
pages is in test_fc_fuzz_pages.py.

Every answer must be the checker's own: a block with status error (or failed) and a message that
starts with page:line:col, or a usage error with exit status 2 - never an exception from the
library, never a traceback.
"""

import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

import formulacheck
from formulacheck.faces.cli import main
from formulacheck.limits import ELEMENT_BUDGET, MAX_TRIALS
from formulacheck.testing import check_formula, formula_page

REPO = Path(__file__).resolve().parents[3]
DECLARE = (r"$$" "\n" r"X \in \mathbb{R}^{N \times D}, \quad W \in \mathbb{R}^{D \times K}, \quad "
           r"x \in \mathbb{R}, \quad b \in \mathbb{R}^{K}, \quad v \in \mathbb{R}^{N}" "\n$$\n")
LINE = 6  # the line of the formula in `page()`


def page(formula: str) -> str:
    return formula_page(formula, DECLARE)


def last(formula: str, **options):
    return check_formula(formula, DECLARE, page="p.md", **options)


@pytest.mark.parametrize("formula, status, fragment, col", [
    # IndexError: a derivative by an entry with more subscripts than the matrix has axes
    (r"\frac{\partial x}{\partial W_{dkk}} = 0", "error",
     r"W is 3 \times 4: an entry takes at most 2 subscripts, got 3", 28),
    # TypeError: a real space with an empty shape
    (r"Q \in \mathbb{R}^{}", "error", r"expected a shape after \mathbb{R}^", 7),
    (r"x \in \mathbb{R}^{}", "error", r"expected a shape after \mathbb{R}^", 7),
    # OverflowError: a 310-digit sum bound (float infinity)
    (r"\sum_{i=1}^{" + "1" * 310 + r"} x = 0", "error", "more than the checker's budget", 13),
    # ValueError (Python's limit of 4300 digits for int()): a 4,301-digit size or sum bound
    (r"Q \in \mathbb{R}^{" + "1" * 4301 + "}", "error", "a number of 4301 digits", 19),
    (r"\sum_{i=" + "1" * 4301 + r"}^{N} x = 0", "error", "a number of 4301 digits", 9),
    # 2.5 GB, then MemoryError: nine free index letters; 2.4 GB: a sum of 10^8 terms
    (r"X_{ac} X_{dg} X_{fh} X_{ij} X_{kl} X_{mn} X_{op} X_{qr} X_{st} = 0", "error",
     f"more than the checker's budget of {ELEMENT_BUDGET:,} per value", 29),
    (r"\sum_{i=1}^{100000000} 1 = 100000000", "error", "the sum over i has 100,000,000 terms", 13),
    # (a product under nested sums is contracted without building it: evaluation/contraction.py;
    # a sum is not)
    (r"\sum_{a=1}^{1000} \sum_{c=1}^{1000} \sum_{f=1}^{1000} (a + c + f) = 0", "error",
     "this value would hold 1,000,000,000 numbers", 64),
    (r"Q \in \mathbb{R}^{100000 \times 100000}", "error", "this value would hold 10,000,000,000", 7),
    # `\mathbb` at the end of a line and `{1}` on the next read as \mathbb{1} (TeX does), not None
    ("\\mathbb\n{1}(x > x - 1) = 1", "checked", "checked", 0),
    ("\\mathbb", "error", r"\mathbb needs a braced argument", 1),
    # a 1 x 1 product is a scalar, and a scalar is its own trace
    (r"\operatorname{tr}(b^\top b) = b^\top b = \sum_{k=1}^{K} b_k^2", "checked", "checked", 0),
    (r"\operatorname{tr}(b b^\top) = b^\top b", "checked", "checked", 0),
])
def test_each_input_gets_the_checkers_own_answer(formula, status, fragment, col):
    block = last(formula)
    assert block.status == status, block.message
    assert fragment in block.message
    if status == "error":
        assert block.message.startswith(f"p.md:{LINE}:{col}: error:"), block.message


def test_a_huge_input_is_refused_before_memory_is_spent():
    tracemalloc.start()
    try:
        for formula in (r"X_{ac} X_{dg} X_{fh} X_{ij} X_{kl} X_{mn} X_{op} X_{qr} X_{st} = 0",
                        r"\sum_{i=1}^{100000000} 1 = 100000000",
                        r"\sum_{a=1}^{1000} \sum_{c=1}^{1000} \sum_{f=1}^{1000} (a + c + f) = 0"):
            assert last(formula).status == "error"
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 200 * 2 ** 20, f"peak {peak / 2 ** 20:.0f} MB"


def test_a_byte_order_mark_is_not_part_of_the_page(tmp_path):
    text = "$$\nx \\in \\mathbb{R}\n$$\n\n$$\n(x + 1)^2 = x^2 + 2 x + 1\n$$\n"
    path = tmp_path / "bom.md"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    for result in (formulacheck.check_page(path), formulacheck.check_markdown("\ufeff" + text, "b.md")):
        assert [(b.line, b.status) for b in result.blocks] == [(2, "declared"), (6, "checked")]


def test_trials_have_a_documented_upper_limit(capsys):
    assert main(["--trials", "100000", str(REPO / "docs" / "index.md")]) == 2
    assert f"--trials must be between 1 and {MAX_TRIALS}, got 100000" in capsys.readouterr().err
    assert main(["--trials", "0", str(REPO / "docs" / "index.md")]) == 2
    with pytest.raises(ValueError, match=f"between 1 and {MAX_TRIALS}"):
        formulacheck.check_markdown("", "p.md", trials=MAX_TRIALS + 1)
    with pytest.raises(ValueError, match=f"between 1 and {MAX_TRIALS}"):
        formulacheck.check_page(REPO / "docs" / "train.ipynb", trials=MAX_TRIALS + 1)


def test_output_cut_short_by_a_pipe_prints_no_traceback():
    # Three times every page: well over one 8 KB buffer of output is still to be written when
    # the reader has gone, so the write fails with EPIPE whatever the timing.
    pages = sorted(str(p) for p in (REPO / "docs").glob("*.md")) * 3
    command = [sys.executable, "-m", "formulacheck", *pages]
    producer = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO)
    first = producer.stdout.readline()  # what `| head -1` reads, then it closes the pipe
    producer.stdout.close()
    error = producer.stderr.read().decode()
    producer.wait(timeout=120)
    assert first.startswith(b"docs/") or b"/docs/" in first
    assert "Traceback" not in error and "BrokenPipeError" not in error, error


def test_a_missing_snippet_stops_the_build_at_its_line(tmp_path, monkeypatch, caplog):
    docs = tmp_path / "docs"
    (tmp_path / "src").mkdir()
    docs.mkdir()
    (tmp_path / "src" / "there.py").write_text("# --8<-- [start:part]\nx = 1\n# --8<-- [end:part]\n")
    (docs / "index.md").write_text('# Page\n\n--8<-- "src/there.py:part"\n\nText.\n\n'
                                   '    --8<-- "src/missing.py"\n')
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Snippets\ntheme: {name: mkdocs}\nmarkdown_extensions:\n"
        "  - pymdownx.snippets: {base_path: ['.'], check_paths: true}\n"
        "  - pymdownx.arithmatex: {generic: true}\n"
        "plugins:\n  - formulacheck\n")
    monkeypatch.chdir(tmp_path)
    config = load_config(str(tmp_path / "mkdocs.yml"), strict=True, site_dir=str(tmp_path / "site"))
    config.plugins.on_startup(command="build", dirty=False)
    with pytest.raises(Abort):
        build(config)
    assert ("docs/index.md:7:13: error: the snippet file src/missing.py does not exist"
            in caplog.text), caplog.text
    assert "src/there.py" not in caplog.text and "Traceback" not in caplog.text


def test_a_4301_digit_size_is_an_error_of_the_page_not_a_usage_error(tmp_path, capsys):
    path = tmp_path / "digits.md"
    path.write_text(page(r"Q \in \mathbb{R}^{" + "1" * 4301 + "}"), encoding="utf-8")
    assert main([str(path)]) == 1  # once exit status 2, with a message naming no page
    out = capsys.readouterr().out
    assert f"{path}:{LINE}:19: error: a number of 4301 digits" in out


def test_a_definition_that_uses_itself_is_an_error_not_a_recursion():
    # found by the page fuzz test: A \coloneqq \max(0, A) recursed until RecursionError
    page = "$$\nZ \\in \\mathbb{R}^{N \\times K}, \\quad A \\coloneqq \\max(0, A)\n$$\n"
    block = formulacheck.check_markdown(page, "p.md").blocks[0]
    assert block.status == "error"
    assert block.message.startswith("p.md:2:58: error: A is used in its own definition (line 2)")


@pytest.mark.parametrize("definition, col", [("u \\coloneqq u + 1", 13),
                                             ("\\lambda \\coloneqq 2 \\lambda", 21)])
def test_a_lowercase_name_defined_by_itself_gets_the_same_message(definition, col):
    # u on the right was read as an index letter: "cannot tell the range of index u"
    page = f"$$\nx \\in \\mathbb{{R}}\n$$\n\n$$\n{definition}\n$$\n"
    block = formulacheck.check_markdown(page, "p.md").blocks[-1]
    name = definition.split(" ")[0]
    assert block.message.startswith(f"p.md:6:{col}: error: {name} is used in its own definition "
                                    "(line 6); expected a new name for the new value"), block.message
