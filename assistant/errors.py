"""Exceptions a user may see. Each carries a message that says what to do.

The CLI and the UI catch ``AssistantError`` and show its message; anything else is a bug.
"""


class AssistantError(Exception):
    """Base of every error shown to the user."""


class ConfigError(AssistantError):
    """The configuration file or an environment variable holds a bad value."""


class BadInputError(AssistantError):
    """A question, a path or a filter the user gave cannot be used."""


class UnreadableArticle(AssistantError):
    """One file cannot be loaded as an article; ingest reports it and moves on."""


class NoIndexError(AssistantError):
    """There is nothing ingested in the data folder yet."""


class IndexVersionError(AssistantError):
    """The data folder was written by an incompatible version."""


class StoreUnavailable(AssistantError):
    """The vector store (for example a Chroma server) cannot be reached."""


class LLMUnavailable(AssistantError):
    """The configured LLM endpoint is down, too slow, or refused the request."""
