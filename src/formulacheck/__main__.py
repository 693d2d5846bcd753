"""`python -m formulacheck docs/page.md`: the same as the `formulacheck` command."""

import sys

from .faces.cli import main

sys.exit(main())
