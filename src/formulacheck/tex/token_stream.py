"""A list of tokens read from the front: the position helpers every reader of TeX shares."""

from __future__ import annotations

from ..errors import fail_at
from .tokens import Token


class TokenStream:
    """Tokens ending with an `end` token, and the position of the next one to read.

    >>> from .tokens import tokenize
    >>> stream = TokenStream(tokenize("a + b"))
    >>> stream.take().text, stream.tok.text, stream.peek().text, stream.at_end()
    ('a', '+', 'b', False)
    """

    def __init__(self, tokens: list[Token]):
        self.tokens = tokens
        self.pos = 0

    @property
    def tok(self) -> Token:
        """The next token (the `end` token once everything is read)."""
        return self.tokens[self.pos]

    def peek(self, offset: int = 1) -> Token:
        return self.tokens[min(self.pos + offset, len(self.tokens) - 1)]

    def take(self) -> Token:
        """The next token, read; the `end` token is never read past."""
        token = self.tokens[self.pos]
        if token.kind != "end":
            self.pos += 1
        return token

    def expect(self, text: str, what: str) -> Token:
        """Take the token spelled `text`, or raise an error saying `what` it was expected for."""
        if not self.tok.is_(text):
            raise fail_at(self.tok, f"expected '{text}' {what}, found {self.tok}")
        return self.take()

    def at_end(self) -> bool:
        return self.tok.kind == "end"
