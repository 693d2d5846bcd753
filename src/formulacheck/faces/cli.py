"""The command line: `formulacheck docs/page.md [more.md]` and `formulacheck new docs/NAME.md`.

Checking prints one line per block and, for each problem, `page.md:LINE:COL: message`, the formula
line with a caret under the offending token, and the values or shapes that disagreed; problems come
in page order, so the first one printed is the first one on the page. Exit status: 0 when every
block passes, 1 when a formula fails or errors, 2 for a usage error, 3 for a bug in the checker
(reported in one line, without a traceback).

`formulacheck new docs/NAME.md --title "Title" [--after FILE]` creates a page from the template and
adds it to the nav of mkdocs.yml (see faces/new_page.py). `formulacheck mutate docs/NAME.md`
mutation-tests a page (see mutation/page.py): exit 0 when every mutant fails or is recorded as
equivalent, 1 when one survives or a record entry is stale, 2 for a usage error. The first
argument `new` or `mutate` always means that command: pages end in `.md` or `.ipynb`, so a page
cannot be called `new` (write `new.md`).

Checking goes through the checker's results cache (pages/cache.py, under `.cache/formulacheck`
of the working folder, shared with `mkdocs build` and `mkdocs serve`): a page checked before is
not checked again, and an edited page only where the edit changed a formula or its scope.
`--no-cache` checks every formula from scratch and files nothing.

Imports are made inside the paths, so `new` and `--help` never load numpy and checking loads only
what it uses.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..limits import MAX_TRIALS
from ..pages.results import Status


def main(argv=None) -> int:
    """Run the checker on the given pages, or the `new` command; returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv[:1] == ["new"]:
            return new_main(argv[1:])
        if argv[:1] == ["mutate"]:
            return mutate_main(argv[1:])
        return check_main(argv)
    except BrokenPipeError:  # `formulacheck docs/*.md | head -1`: the reader has what it wanted
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # Python's final flush must not fail again
        return 1


def _parse(parser: argparse.ArgumentParser, argv: list):
    try:
        return parser.parse_args(argv)
    except SystemExit as stop:  # argparse printed the usage; --help exits 0, mistakes exit 2
        return int(stop.code or 0) and 2


def _pages_exist(pages: list) -> bool:
    """True when every page is an existing .md or .ipynb file; otherwise says why on stderr."""
    for page in pages:
        path = Path(page)
        if path.is_dir():
            print(f"formulacheck: {page} is a folder; expected .md or .ipynb files", file=sys.stderr)
            return False
        if not path.is_file():
            print(f"formulacheck: {page}: no such file", file=sys.stderr)
            return False
        if path.suffix not in (".md", ".ipynb"):
            print(f"formulacheck: {page}: expected a Markdown (.md) or notebook (.ipynb) file",
                  file=sys.stderr)
            return False
    return True


def check_main(argv: list) -> int:
    """`formulacheck PAGE.md [PAGE.md ...]`: check every display formula of the pages."""
    parser = argparse.ArgumentParser(
        prog="formulacheck",
        description="Check every display formula of Markdown pages and notebooks.",
        epilog='To create a page: formulacheck new docs/NAME.md --title "Title"')
    parser.add_argument("pages", nargs="+", help="Markdown (.md) or notebook (.ipynb) files")
    parser.add_argument("--trials", type=int, default=3,
                        help=f"random instances per formula (3; at most {MAX_TRIALS})")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random instances (0)")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    parser.add_argument("--no-cache", action="store_true",
                        help="check every formula from scratch, without the results kept in "
                             ".cache/formulacheck (and file nothing there)")
    args = _parse(parser, argv)
    if isinstance(args, int):
        return args
    if not 1 <= args.trials <= MAX_TRIALS:
        print(f"formulacheck: --trials must be between 1 and {MAX_TRIALS}, got {args.trials}",
              file=sys.stderr)
        return 2
    if not _pages_exist(args.pages):
        return 2
    # numpy is loaded only once there is something to check
    if args.no_cache:
        from ..pages.check import check_page as check
    else:
        from ..pages.cache import cached_check_page as check
    from ..pages.notebook import NotebookError

    status = 0
    for page in args.pages:
        try:
            result = check(page, trials=args.trials, seed=args.seed)
        except UnicodeDecodeError:
            print(f"formulacheck: {page}: not UTF-8 text", file=sys.stderr)
            return 2
        except NotebookError as problem:  # a notebook whose lines cannot be located
            print(f"formulacheck: {problem}", file=sys.stderr)
            return 2
        except Exception as problem:  # a checker bug must still not greet the author with a traceback
            print(f"formulacheck: {page}: internal error in the checker ({type(problem).__name__}: "
                  f"{problem}); the page may be fine: please report it with the page",
                  file=sys.stderr)
            return 3
        for block in result.in_page_order():
            if block.ok:
                # an inline span is listed only when it claims something (not one per `$x$`)
                if not args.quiet and (block.kind == "display" or block.status != Status.CLASSIFIED):
                    print(block.summary())
            else:
                print(block.message)
                status = 1
        counts = result.counts()
        line = f"{page}: {len(result.blocks)} blocks: " + ", ".join(
            f"{count} {status_name}" for status_name, count in counts.items() if count)
        if result.spans:
            inline = result.counts(inline=True)
            line += f"; {len(result.spans)} inline: " + ", ".join(
                f"{count} {'not claims' if name == 'classified' else name}"
                for name, count in inline.items() if count)
        print(line)
    return status


def mutate_main(argv: list) -> int:
    """`formulacheck mutate docs/PAGE.md [...]`: every mutant of every checked formula must fail,
    unless the page's record (docs/PAGE.mutants.yml) names it as a true formula too."""
    parser = argparse.ArgumentParser(
        prog="formulacheck mutate",
        description="Mutation-test pages: make each small mistake an author could make in each "
                    "checked formula (a sign, an index, a transpose, a number, ...) and check "
                    "that the checker fails on it. A mutant that is a true formula too is "
                    "recorded, with the reason, in PAGE.mutants.yml beside the page.")
    parser.add_argument("pages", nargs="+", help="Markdown (.md) or notebook (.ipynb) files")
    args = _parse(parser, argv)
    if isinstance(args, int):
        return args
    if not _pages_exist(args.pages):
        return 2
    from ..mutation.page import mutate_page  # numpy is loaded only once there is something to do
    from ..mutation.records import RecordError

    status = 0
    for page in args.pages:
        try:
            report = mutate_page(page)
        except UnicodeDecodeError:
            print(f"formulacheck mutate: {page}: not UTF-8 text", file=sys.stderr)
            return 2
        except ValueError as problem:  # a record or a notebook that cannot be read
            print(f"formulacheck mutate: {problem}", file=sys.stderr)
            return 2
        print(report.render())
        status = status or int(not report.ok)
    return status


def new_main(argv: list) -> int:
    """`formulacheck new docs/NAME.md --title "Title" [--after FILE]`."""
    parser = argparse.ArgumentParser(
        prog="formulacheck new",
        description="Create a derivation page from the template and add it to the nav of mkdocs.yml.")
    parser.add_argument("page", help="the new page, e.g. docs/svm.md")
    parser.add_argument("--title", required=True, help="the page title, also its nav entry")
    parser.add_argument("--after", metavar="FILE",
                        help="put the nav entry after this one, e.g. affine.md (default: before "
                             "train.ipynb, else at the end)")
    args = _parse(parser, argv)
    if isinstance(args, int):
        return args
    from .new_page import NewPageError, create_page

    try:
        made = create_page(args.page, args.title, after=args.after)
    except NewPageError as problem:
        print(f"formulacheck new: {problem}", file=sys.stderr)
        return 2
    except OSError as problem:
        print(f"formulacheck new: cannot write {args.page}: {problem.strerror}", file=sys.stderr)
        return 2
    print(f"created {args.page} from the derivation template")
    if made.nav_changed:
        print(f"added '{made.nav_entry}' to the nav of mkdocs.yml, {made.position}")
    else:
        print(f"mkdocs.yml unchanged: {made.position}")
    print(f"next: edit {args.page}, then run  formulacheck {args.page}  and  mkdocs build --strict")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
