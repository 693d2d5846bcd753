"""`formulacheck new`: a page from the template, one nav entry, clean refusals (exit status 2).

Each test works on a small project in tmp_path (mkdocs.yml with a comment and an !ENV tag, two
pages, and the one source file the template embeds), never on the real site.
"""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import formulacheck
from formulacheck.faces.cli import main
from formulacheck.faces.new_page import add_nav_entry, nav_title
from formulacheck.mutation.page import mutate_page

ROOT = Path(__file__).resolve().parents[3]
CONFIG = """\
site_name: Tmp project
site_url: !ENV [SITE_URL, "http://127.0.0.1:8000/"]
# This comment and the !ENV tag above must survive the nav edit.
theme:
  name: material
  font: false
nav:
  - Home: index.md  # the first page
  - The affine layer: affine.md
  - Train it: train.ipynb
validation:
  nav:
    omitted_files: warn
    not_found: warn
  links:
    not_found: warn
markdown_extensions:
  - md_in_html
  - pymdownx.arithmatex:
      generic: true
  - pymdownx.snippets:
      base_path: ["."]
      check_paths: true
  - pymdownx.superfences
"""


@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n")
    (tmp_path / "docs" / "affine.md").write_text("# Affine\n")
    (tmp_path / "mkdocs.yml").write_text(CONFIG)
    (tmp_path / "src" / "backprop").mkdir(parents=True)
    shutil.copy(ROOT / "src" / "backprop" / "affine.py", tmp_path / "src" / "backprop")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def nav_lines(project: Path) -> list:
    text = (project / "mkdocs.yml").read_text()
    return text.split("nav:\n", 1)[1].split("validation:", 1)[0].splitlines()


def test_new_page_is_written_listed_once_checked_and_built(project, capsys):
    assert main(["new", "docs/svm.md", "--title", "The SVM loss"]) == 0
    out = capsys.readouterr().out
    assert "created docs/svm.md" in out
    assert "added 'The SVM loss: svm.md' to the nav of mkdocs.yml, before train.ipynb" in out
    assert "formulacheck docs/svm.md" in out  # the next command to run
    page = (project / "docs" / "svm.md").read_text()
    assert page.startswith("# The SVM loss\n") and "__TITLE__" not in page and "__PAGE__" not in page
    assert nav_lines(project) == ["  - Home: index.md  # the first page",
                                  "  - The affine layer: affine.md",
                                  "  - The SVM loss: svm.md",
                                  "  - Train it: train.ipynb"]
    config = (project / "mkdocs.yml").read_text()
    assert config.replace("  - The SVM loss: svm.md\n", "") == CONFIG  # nothing else touched
    result = formulacheck.check_page(project / "docs" / "svm.md")
    assert result.ok and [b.status for b in result.blocks] == ["declared", "defined", "checked"]
    assert result.blocks[-1].code == "backprop.affine.affine_forward(X, W, b)[0]"
    # `make test` mutation-tests every page: the template's own claims catch every mutant
    assert mutate_page(project / "docs" / "svm.md").ok
    # The nav points at a notebook that does not exist here: drop it for the build only.
    (project / "mkdocs.yml").write_text(config.replace("  - Train it: train.ipynb\n", ""))
    build = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", "out"],
                           capture_output=True, text=True, cwd=project, timeout=120)
    assert build.returncode == 0, build.stderr
    html = (project / "out" / "svm" / "index.html").read_text()
    text = re.sub(r"<[^>]+>", "", html)  # the code is highlighted: one span per token
    assert "F = X @ W" in text  # the snippet embedded from src/backprop/affine.py


def test_a_second_new_with_the_same_name_fails_cleanly_and_changes_nothing(project, capsys):
    assert main(["new", "docs/svm.md", "--title", "SVM"]) == 0
    page_before = (project / "docs" / "svm.md").read_text()
    config_before = (project / "mkdocs.yml").read_text()
    capsys.readouterr()
    assert main(["new", "docs/svm.md", "--title", "SVM again"]) == 2
    err = capsys.readouterr().err
    assert "docs/svm.md already exists" in err and "Traceback" not in err
    assert (project / "docs" / "svm.md").read_text() == page_before
    assert (project / "mkdocs.yml").read_text() == config_before
    assert sum(line.endswith(" svm.md") for line in nav_lines(project)) == 1


@pytest.mark.parametrize("args, expected", [
    (["svm.md", "--title", "SVM"], "expected a page inside the docs folder (docs/)"),
    (["docs/../svm.md", "--title", "SVM"], "expected a page inside the docs folder"),
    (["/tmp/svm.md", "--title", "SVM"], "expected a page inside the docs folder"),
    (["docs/svm.txt", "--title", "SVM"], "expected a Markdown page name ending in .md"),
    (["docs/svm", "--title", "SVM"], "ending in .md"),
    (["docs/svm.md", "--title", "  "], "the title is empty"),
    (["docs/svm.md", "--title", "SVM", "--after", "nope.md"],
     "--after nope.md: no such entry in the nav; expected one of: index.md, affine.md, train.ipynb"),
])
def test_bad_requests_are_refused_with_status_2_and_nothing_written(project, capsys, args, expected):
    config_before = (project / "mkdocs.yml").read_text()
    assert main(["new"] + args) == 2
    err = capsys.readouterr().err
    assert err.startswith("formulacheck new: ") and expected in err, err
    assert sorted(p.name for p in (project / "docs").iterdir()) == ["affine.md", "index.md"]
    assert (project / "mkdocs.yml").read_text() == config_before


def test_a_missing_mkdocs_yml_or_nav_is_refused(project, capsys):
    (project / "mkdocs.yml").unlink()
    assert main(["new", "docs/svm.md", "--title", "SVM"]) == 2
    assert "no mkdocs.yml in" in capsys.readouterr().err
    (project / "mkdocs.yml").write_text(CONFIG.split("nav:")[0])
    assert main(["new", "docs/svm.md", "--title", "SVM"]) == 2
    assert "mkdocs.yml has no top-level 'nav:' list" in capsys.readouterr().err
    assert not (project / "docs" / "svm.md").exists()


def test_missing_title_is_a_usage_error(project, capsys):
    assert main(["new", "docs/svm.md"]) == 2
    assert "--title" in capsys.readouterr().err


def test_after_puts_the_entry_after_that_page_and_titles_are_quoted_when_needed(project):
    assert main(["new", "docs/svm.md", "--title", "SVM: the hinge", "--after", "index.md"]) == 0
    assert nav_lines(project)[1] == '  - "SVM: the hinge": svm.md'
    assert nav_title("Batch norm") == "Batch norm"
    assert nav_title('Say "hi"') == '"Say \\"hi\\""'


def test_nav_without_notebook_gets_the_entry_at_its_end_and_a_listed_page_is_left_alone():
    config = "nav:\n  - Home: index.md\n  - Notes: notes.md\nplugins:\n  - search\n"
    text, position, changed = add_nav_entry(config, "SVM", "svm.md")
    assert (position, changed) == ("at the end of the nav", True)
    assert text == "nav:\n  - Home: index.md\n  - Notes: notes.md\n  - SVM: svm.md\nplugins:\n  - search\n"
    same, position, changed = add_nav_entry(config, "Notes", "notes.md")
    assert (same, changed) == (config, False) and "already listed" in position


def test_the_word_new_is_the_command_and_a_page_named_new_md_is_still_checked(tmp_path, capsys):
    (tmp_path / "new.md").write_text("$$\nx \\in \\mathbb{R}\n$$\n")
    assert main([str(tmp_path / "new.md")]) == 0
    assert "1 declared" in capsys.readouterr().out
    assert main(["new", "--help"]) == 0
    assert "Create a derivation page" in capsys.readouterr().out


def test_new_does_not_import_numpy():
    code = ("import sys; from formulacheck.faces.cli import main; main(['new', '--help']); "
            "print('numpy' in sys.modules)")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert run.stdout.strip().endswith("False"), run.stdout + run.stderr
