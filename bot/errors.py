"""Error types shared across the application.

Each carries a message written for the person who will read it: an operator at a
terminal (``StartupError``) or a member or moderator in Discord (``UserFacingError``).
"""

from __future__ import annotations


class WardenError(Exception):
    """Base class for errors Genre Warden raises on purpose."""


class StartupError(WardenError):
    """The process cannot start or finish a CLI command; the message says what to do.

    The CLI prints the message on stderr as one sentence and exits with code 2.
    """


class UserFacingError(WardenError):
    """A command cannot be carried out; the message is shown to the invoker, ephemerally.

    ``details``: a longer text the message only sums up (every problem of an import), sent
    with the answer as a file named ``details_name``, so nothing is cut without being given.
    """

    def __init__(self, message: str, *, details: str | None = None, details_name: str = "details.txt") -> None:
        super().__init__(message)
        self.details = details
        self.details_name = details_name
