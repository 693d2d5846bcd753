"""Mutation testing of a page: every small mistake an author could make in a checked formula
must make the checker fail (`formulacheck mutate docs/PAGE.md`; see mutation/page.py)."""
