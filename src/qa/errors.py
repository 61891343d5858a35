"""Typed errors: the library raises these, the CLI and UI turn them into one line."""

from __future__ import annotations


class QAError(Exception):
    """Base class for every error `qa` raises on purpose."""


class QueryError(QAError, ValueError):
    """A question, `k` or `history` that cannot be answered as given."""


class SettingsError(QAError, ValueError):
    """A setting the library is given that cannot be used: a path that is no path, chunking out of range."""


class ArticleError(QAError):
    """An article file that is missing, unreadable, not UTF-8 or has no content."""


class ModelError(QAError):
    """The embedding model could not be loaded."""


class IndexLoadError(QAError):
    """An index that is missing or damaged and cannot be rebuilt."""
