"""Errors that carry a message meant for the person at the terminal, never a traceback."""

from __future__ import annotations


class TermnewsError(Exception):
    """Base class: `str(error)` is a complete, user-facing sentence."""


class ParseError(TermnewsError):
    """A file that is not a readable wire story; `reason` says why (`binary data`, `empty`)."""

    def __init__(self, reason: str, path: str | None = None) -> None:
        self.reason = reason
        self.path = path
        super().__init__(f"{path}: {reason}" if path else reason)


class IndexUnusableError(TermnewsError):
    """The index itself cannot be used as asked (the subclasses say why).

    Commands exit 2 for these, as for a usage error: the fix is to run or point at an
    index, not to change the story asked for.
    """


class IndexMissingError(IndexUnusableError):
    """No index exists yet where one was expected; the message says what to run."""


class IndexBusyError(IndexUnusableError):
    """Another process holds the index's write lock and did not release it in time."""


class IndexUnwritableError(IndexUnusableError):
    """The index directory cannot be created or written (permissions, read-only disk)."""


class StoryNotFoundError(TermnewsError):
    """A story asked for by path is neither a readable file nor in the index."""
