"""Tokenizer for the TeX inside one display block, keeping page positions.

Tokens are: `cmd` (a control word such as `\\frac`, or a control symbol such as `\\|`, `\\{`, `\\\\`),
`letter` (one ASCII letter: TeX math reads `ab` as two symbols), `number` (`12`, `0.5`), `sym` (one
punctuation character) and a final `end`. Spacing commands and `%` comments vanish here. Commands
whose argument is text, not math (`\\text{...}`, `\\label{...}`, `\\begin{...}`, `\\operatorname{...}`)
become one token whose `arg` is that text, so words never reach the parser as symbols.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import FormulaError
from .vocabulary import DIGITS, NEEDS_ARGUMENT, PUNCTUATION, SPACING, SYMBOL_ARGUMENT, TEXT_ARGUMENT



@dataclass(frozen=True)
class Token:
    """One token; `line`/`col` are 1-based positions in the page, `arg` the text argument if any."""

    kind: str
    text: str
    line: int
    col: int
    arg: str | None = None

    def is_(self, text: str) -> bool:
        """True for the token spelled `text` (`\\frac`, `+`, ...), ignoring its kind."""
        return self.text == text

    def __str__(self) -> str:
        if self.kind == "end":
            return "the end of the formula"
        shown = self.text + ("{" + self.arg + "}" if self.arg is not None and self.kind == "cmd" else "")
        return f"'{shown}'"


def tokenize(text: str, first_line: int = 1, first_col: int = 1) -> list[Token]:
    """Split TeX into tokens; line breaks in `text` advance the line (later lines start at col 1).

    >>> [t.text for t in tokenize(r"X_{id} \\, W^\\top")]
    ['X', '_', '{', 'i', 'd', '}', 'W', '^', '\\\\top', '']
    >>> tokenize(r"\\text{for all } i")[0].arg
    'for all '
    """
    tokens: list[Token] = []
    line, col = first_line, first_col
    pos = 0
    length = len(text)

    def advance(count: int) -> None:
        nonlocal pos, line, col
        for char in text[pos:pos + count]:
            if char == "\n":
                line, col = line + 1, 1
            else:
                col += 1
        pos += count

    while pos < length:
        char = text[pos]
        if char.isspace() or char == "~":  # `~` is TeX's unbreakable space: spacing
            advance(1)
            continue
        if char == "%":
            while pos < length and text[pos] != "\n":
                advance(1)
            continue
        start_line, start_col = line, col
        if char == "\\":
            end = pos + 1
            while end < length and text[end].isalpha():
                end += 1
            if end == pos + 1:
                end = min(pos + 2, length)
            name = text[pos:end]
            if name == "\\":
                raise FormulaError("a lone backslash at the end of the formula",
                                   line=start_line, col=start_col)
            advance(end - pos)
            if name in SPACING:
                continue
            if name in TEXT_ARGUMENT:
                arg = _braced_argument(text, pos, name, start_line, start_col)
                if arg is not None:
                    advance(len(arg) + 2 + _spaces_before(text, pos))
                tokens.append(Token("cmd", name, start_line, start_col, arg))
                continue
            tokens.append(Token("cmd", name, start_line, start_col))
        elif char in DIGITS or (char == "." and pos + 1 < length and text[pos + 1] in DIGITS):
            # At most one decimal point, and only between digits: "1." ending a sentence is 1,
            # and "0..0" or "1.2.3" split into several tokens instead of an unreadable number.
            end = pos
            seen_point = False
            while end < length:
                if text[end] in DIGITS:
                    end += 1
                elif text[end] == "." and not seen_point and end + 1 < length and text[end + 1] in DIGITS:
                    seen_point = True
                    end += 1
                else:
                    break
            number = text[pos:end]
            tokens.append(Token("number", number, start_line, start_col))
            advance(end - pos)
        elif char.isascii() and char.isalpha():
            tokens.append(Token("letter", char, start_line, start_col))
            advance(1)
        elif char in PUNCTUATION:
            tokens.append(Token("sym", char, start_line, start_col))
            advance(1)
        else:
            raise FormulaError(f"unexpected character {char!r}; expected TeX math (letters, digits, "
                               "commands, punctuation)", line=start_line, col=start_col)
    tokens.append(Token("end", "", line, col))
    return tokens


def _spaces_before(text: str, pos: int) -> int:
    """Spaces and tabs, with at most one line break among them (TeX reads that as a space, so
    `\\mathbb` at the end of a line takes `{1}` from the next; a blank line ends the argument)."""
    count, breaks = 0, 0
    while pos + count < len(text) and text[pos + count] in " \t\n":
        breaks += text[pos + count] == "\n"
        if breaks > 1:
            break
        count += 1
    return count


def _braced_argument(text: str, pos: int, name: str, line: int, col: int) -> str | None:
    """The text of `{...}` right after a command (nested braces allowed), or None if absent."""
    pos += _spaces_before(text, pos)
    if pos >= len(text) or text[pos] != "{":
        if name in SYMBOL_ARGUMENT and pos < len(text) \
                and not text[pos].isspace():
            raise FormulaError(f"{name} needs a braced argument, as in {name}{{x}}", line=line, col=col)
        if name in NEEDS_ARGUMENT:
            raise FormulaError(f"{name} needs a braced argument, as in {name}{{...}}", line=line, col=col)
        return None
    depth = 0
    for end in range(pos, len(text)):
        if text[end] == "{" and text[end - 1] != "\\":
            depth += 1
        elif text[end] == "}" and text[end - 1] != "\\":
            depth -= 1
            if depth == 0:
                return text[pos + 1:end]
    raise FormulaError(f"unbalanced braces: the argument of {name} is never closed; expected '}}'",
                       line=line, col=col)
