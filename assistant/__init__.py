"""Cited answers to questions about a folder of news articles, offline by default.

    from assistant import Assistant
    bot = Assistant.from_config()
    bot.ingest("corpus/")
    answer = bot.ask("How many NVIDIA chips has SenseTime bought?")
"""

from .api import Assistant
from .config import Settings, load_settings
from .conversation import Conversation
from .errors import AssistantError, LLMUnavailable
from .prompts import CANNOT_ANSWER
from .types import Answer, Article, Chunk, Citation, Hit, IngestReport, SentenceCheck

__all__ = [
    "Answer", "Article", "Assistant", "AssistantError", "CANNOT_ANSWER", "Chunk", "Citation", "Conversation", "Hit",
    "IngestReport", "LLMUnavailable", "SentenceCheck", "Settings", "load_settings",
]
