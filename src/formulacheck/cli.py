"""The command line: `formulacheck docs/page.md [more.md]`.

Prints one line per block and, for each problem, `page.md:LINE:COL: message`, the formula line with
a caret under the offending token, and the values or shapes that disagreed. Exit status: 0 when
every block passes, 1 when a formula fails or errors, 2 for a usage error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .core import check_page


def main(argv=None) -> int:
    """Run the checker on the given pages; returns the exit status."""
    parser = argparse.ArgumentParser(prog="formulacheck",
                                     description="Check every display formula of Markdown pages.")
    parser.add_argument("pages", nargs="+", help="Markdown files to check")
    parser.add_argument("--trials", type=int, default=3, help="random instances per formula (3)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random instances (0)")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:
        return int(stop.code or 0) and 2
    if args.trials < 1:
        print("formulacheck: --trials must be at least 1", file=sys.stderr)
        return 2
    for page in args.pages:
        path = Path(page)
        if not path.is_file():
            print(f"formulacheck: {page}: no such file", file=sys.stderr)
            return 2
        if path.suffix != ".md":
            print(f"formulacheck: {page}: expected a Markdown (.md) file", file=sys.stderr)
            return 2
    status = 0
    for page in args.pages:
        try:
            result = check_page(page, trials=args.trials, seed=args.seed)
        except UnicodeDecodeError:
            print(f"formulacheck: {page}: not UTF-8 text", file=sys.stderr)
            return 2
        for block in result.blocks:
            if block.ok:
                if not args.quiet:
                    print(block.summary())
            else:
                print(block.message)
                status = 1
        counts = result.counts()
        print(f"{page}: {len(result.blocks)} blocks: " + ", ".join(
            f"{count} {status_name}" for status_name, count in counts.items() if count))
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
