"""Another course's site adopts the checker with `plugins: [formulacheck]` and nothing else.

A throwaway site in a temp folder (its own mkdocs.yml, one page, no file of this project): the
installed package is found through its `mkdocs.plugins` entry point. `mkdocs build` run as a
command (as the other site would run it) refuses the page while one formula is wrong, naming its
page, line and column, and builds it once the formula is fixed.
"""

import subprocess
import sys
from pathlib import Path

DECLARE = "# Scaling\n\n$$\nX \\in \\mathbb{R}^{N \\times D}, \\quad c \\in \\mathbb{R}\n$$\n\n"
WRONG = "$$\n(c X)^\\top = X^\\top\n$$\n"  # line 8; the claim's `=` is at column 12
FIXED = "$$\n(c X)^\\top = c X^\\top\n$$\n"


def other_site(folder: Path, page: str, options: str = "") -> Path:
    (folder / "docs").mkdir(parents=True, exist_ok=True)
    (folder / "docs" / "index.md").write_text(page, encoding="utf-8")
    (folder / "mkdocs.yml").write_text(
        "site_name: Another course\ntheme: {name: mkdocs}\n"
        "markdown_extensions:\n  - pymdownx.arithmatex: {generic: true}\n"
        "plugins:\n  - formulacheck" + options + "\n", encoding="utf-8")
    return folder


def mkdocs_build(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=folder,
                          capture_output=True, text=True, timeout=300)


def test_another_site_refuses_a_wrong_formula_then_builds_once_it_is_fixed(tmp_path):
    site = other_site(tmp_path, DECLARE + WRONG)
    refused = mkdocs_build(site)
    assert refused.returncode != 0, refused.stderr
    assert "docs/index.md:8:12: failed: the claim, (c X)^\\top = X^\\top, does not hold" in refused.stderr, refused.stderr
    assert "Traceback" not in refused.stderr and "index.md:0:0" not in refused.stderr
    assert not (site / "site" / "index.html").exists()

    other_site(tmp_path, DECLARE + FIXED)
    built = mkdocs_build(site)
    assert built.returncode == 0, built.stderr
    html = (site / "site" / "index.html").read_text(encoding="utf-8")
    assert "fc-equation--checked" in html  # the fixed formula carries the checker's mark


def test_the_plugin_options_are_read(tmp_path):
    site = other_site(tmp_path, DECLARE + FIXED, ":\n      trials: 0")
    refused = mkdocs_build(site)
    assert refused.returncode != 0
    assert "formulacheck: in mkdocs.yml" in refused.stderr and "trials" in refused.stderr, refused.stderr


def test_a_record_of_equivalent_mutants_is_not_published(tmp_path):
    site = other_site(tmp_path, DECLARE + FIXED)
    (site / "docs" / "index.mutants.yml").write_text("# equivalent mutants of index.md\n")
    (site / "docs" / "notes.yml").write_text("kept: true\n")  # any other file is published
    built = mkdocs_build(site)
    assert built.returncode == 0, built.stderr
    assert (site / "site" / "notes.yml").exists()
    assert not (site / "site" / "index.mutants.yml").exists()


def test_the_coverage_page_is_filled_on_a_site_without_md_in_html(tmp_path):
    # The coverage page is Markdown inside <div markdown> blocks; the other site lists no
    # md_in_html (nor any extension but arithmatex), and its coverage page is still rendered.
    site = other_site(tmp_path, DECLARE + FIXED)
    (site / "docs" / "coverage.md").write_text("# Coverage\n\nFilled by the checker.\n")
    built = mkdocs_build(site)
    assert built.returncode == 0, built.stderr
    html = (site / "site" / "coverage" / "index.html").read_text(encoding="utf-8")
    assert "<table" in html and "| Page" not in html  # the summary is a table, not raw Markdown
    assert "fc-coverage-page" in html


HIDDEN = ("<div style=\"display: none\" markdown>\n\n$$\nY = c X\n$$\n\n</div>\n\n"  # line 10
          "<div hidden markdown>\n\nA claim: $c X = X c$.\n\n</div>\n\n"  # line 17, col 11
          "<template markdown>\n\n$$\nZ = X^\\top\n$$\n\n</template>\n\n"  # line 24
          "<div hidden=\"until-found\" markdown>\n\nFound by a search: $X c = c X$.\n\n</div>\n\n"
          "$$\nY^\\top = Z c\n$$\n")


def test_math_the_page_hides_from_the_reader_is_refused(tmp_path):
    """The checker reads only what the reader sees: a definition in a hidden element would let
    the claim below it pass on math no reader reads (here Y and Z, each defined out of sight);
    math that find-in-page reveals (hidden="until-found", like a closed <details>) is shown."""
    site = other_site(tmp_path, DECLARE + HIDDEN)
    config = (site / "mkdocs.yml").read_text(encoding="utf-8")
    (site / "mkdocs.yml").write_text(config.replace("markdown_extensions:\n",
                                                    "markdown_extensions:\n  - md_in_html\n"))
    refused = mkdocs_build(site)

    assert refused.returncode != 0, refused.stderr
    hidden = [line for line in refused.stderr.splitlines() if "hides this" in line]
    assert [line.split(": error: ")[0].rsplit("/", 1)[-1] for line in hidden] == [
        "index.md:10:1", "index.md:17:11"], refused.stderr
    assert "hides this display math from the reader: Y = c X" in hidden[0]
    # A <template>'s content is not part of the document: the checker read a formula not shown.
    assert ("docs/index.md:24:1: error: the formula checker read a display block that the page "
            "does not show as math: Z = X^\\top") in refused.stderr, refused.stderr
    assert "Traceback" not in refused.stderr and "index.md:0:0" not in refused.stderr
