"""LLM answers: the one adapter over the `openai` client (any OpenAI-compatible endpoint: OpenAI,
vLLM, llama.cpp's server, Ollama; chat or plain completions, whole or streamed), the prompt with the
passages fenced as data, and the answer streamed through the citation verifier.

Every failure of the endpoint becomes :class:`LLMUnavailable` with a message that says what to do,
and the user gets the extractive answer with a note; openai objects never leave this module.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import time
from collections.abc import Generator, Iterator
from dataclasses import dataclass

from . import claims, prompts
from .config import Settings
from .errors import ConfigError, LLMUnavailable
from .types import Answer, Chunk

log = logging.getLogger(__name__)

LLM_MODES = ("local", "openai")


@dataclass(frozen=True)
class Prompt:
    system: str  # chat: the system message
    user: str  # chat: the user message
    raw: str  # completions: the whole text the model continues
    stop: tuple[str, ...] = ()


def resolve_mode(settings: Settings, requested: str | None = None) -> str:
    """extractive, local or openai: ``requested``, else the configured mode; auto picks openai when
    an endpoint is configured."""
    mode = requested or settings.mode
    if mode == "auto":
        return "openai" if settings.llm_base_url else "extractive"
    if mode not in ("extractive", *LLM_MODES):
        raise ConfigError(f"mode must be auto, extractive, local or openai, not {mode!r}")
    return mode


def _data(text: str) -> str:
    """Article text as inert data: it cannot close its fence, and its bracketed numbers are not markers."""
    text = re.sub(r"<\s*/?\s*passage\b[^>]*>?", " ", text, flags=re.I)
    text = re.sub(r"\[(\d{1,3})\]", r"(\1)", text)
    return "".join(ch if ch.isprintable() or ch in "\n\t" else " " for ch in text).strip()


def answer_prompt(question: str, passages: list[Chunk]) -> Prompt:
    """The passages numbered 1..n with title and date, then the question."""
    blocks = "\n\n".join(
        prompts.PASSAGE.format(n=n, title=_data(c.title).replace('"', "'"), date=c.date or "unknown",
                               text=_data(c.text))
        for n, c in enumerate(passages, start=1)
    )
    user = prompts.ANSWER_USER.format(passages=blocks, question=question)
    raw = prompts.ANSWER_COMPLETION.format(instructions=prompts.ANSWER_INSTRUCTIONS, passages=blocks,
                                           question=question)
    return Prompt(prompts.ANSWER_INSTRUCTIONS, user, raw, tuple(prompts.ANSWER_STOP))


def _endpoint_errors() -> tuple[type[Exception], ...]:
    """What an endpoint can throw at us; anything else is a bug and surfaces as one."""
    import httpx
    import openai

    return openai.OpenAIError, httpx.HTTPError


class LLMClient:
    """One endpoint, one model; ``api`` is "chat" or "completions" (for base models)."""

    def __init__(self, base_url: str | None, api_key: str = "", model: str = "", api: str = "chat",
                 timeout: float = 60.0, retries: int = 1, max_tokens: int = 200, temperature: float = 0.0):
        from openai import OpenAI

        self.base_url = base_url or "https://api.openai.com/v1"
        self.api = api
        self.timeout = timeout
        self.max_tokens = max_tokens
        self.temperature = temperature
        self._model = model
        self._client = OpenAI(base_url=self.base_url, api_key=api_key or "not-needed", timeout=timeout,
                              max_retries=retries)

    @classmethod
    def from_settings(cls, settings: Settings, mode: str, base_url: str | None = None) -> LLMClient:
        """For mode "openai" the configured endpoint; for "local" the server at ``base_url``."""
        common = dict(timeout=settings.llm_timeout, retries=settings.llm_retries,
                      max_tokens=settings.llm_max_tokens, temperature=settings.llm_temperature)
        if mode == "local":
            # The bundled model is a base model: plain completions, unless the user serves their own.
            api = (settings.llm_api or "completions") if settings.local_llm_model else "completions"
            return cls(base_url, "", "", api, **common)
        if not (settings.llm_base_url or settings.llm_api_key):
            raise ConfigError("mode 'openai' needs an endpoint: set llm_base_url (or OPENAI_BASE_URL) and, "
                              "if it asks for one, llm_api_key (or OPENAI_API_KEY)")
        return cls(settings.llm_base_url or None, settings.llm_api_key, settings.llm_model,
                   settings.llm_api or "chat", **common)

    @property
    def model(self) -> str:
        """The configured model, else the first one the endpoint lists (llama.cpp, vLLM, Ollama)."""
        if not self._model:
            try:
                listed = [m.id for m in self._client.models.list()]
            except _endpoint_errors() as exc:
                raise self._unavailable(exc) from None
            if not listed:
                raise LLMUnavailable(f"the LLM endpoint {self.base_url} serves no model: set llm_model")
            self._model = listed[0]
        return self._model

    def complete(self, prompt: Prompt) -> str:
        """The whole answer at once."""
        try:
            if self.api == "completions":
                resp = self._client.completions.create(model=self.model, prompt=prompt.raw, **self._options(prompt))
                return resp.choices[0].text if resp.choices else ""
            resp = self._client.chat.completions.create(model=self.model, messages=self._messages(prompt),
                                                        **self._options(prompt))
            return (resp.choices[0].message.content or "") if resp.choices else ""
        except _endpoint_errors() as exc:
            raise self._unavailable(exc) from None

    def stream(self, prompt: Prompt) -> Iterator[str]:
        """The answer in pieces as the endpoint sends them."""
        start = time.perf_counter()
        try:
            if self.api == "completions":
                chunks = self._client.completions.create(model=self.model, prompt=prompt.raw, stream=True,
                                                         **self._options(prompt))
                pieces = (c.choices[0].text if c.choices else "" for c in chunks)
            else:
                chunks = self._client.chat.completions.create(model=self.model, messages=self._messages(prompt),
                                                              stream=True, **self._options(prompt))
                pieces = ((c.choices[0].delta.content or "") if c.choices else "" for c in chunks)
            first = True
            for piece in pieces:
                if piece:
                    if first:
                        log.info("first piece after %.0f ms", (time.perf_counter() - start) * 1000)
                        first = False
                    yield piece
        except _endpoint_errors() as exc:
            raise self._unavailable(exc) from None

    def _options(self, prompt: Prompt) -> dict:
        return {"max_tokens": self.max_tokens, "temperature": self.temperature, "stop": list(prompt.stop) or None}

    @staticmethod
    def _messages(prompt: Prompt) -> list[dict]:
        return [{"role": "system", "content": prompt.system}, {"role": "user", "content": prompt.user}]

    def _unavailable(self, exc: Exception) -> LLMUnavailable:
        """The endpoint's failure, said so that the user knows what to change."""
        import openai

        where = f"the LLM endpoint {self.base_url}"
        import httpx

        if isinstance(exc, openai.APITimeoutError | httpx.TimeoutException):
            msg = f"{where} did not answer within {self.timeout:g} s: raise llm_timeout or use a faster model"
        elif isinstance(exc, openai.APIConnectionError | httpx.TransportError):
            msg = (f"cannot reach {where}: is the server running? (`assistant llm-server` starts the local one; "
                   "check llm_base_url / OPENAI_BASE_URL)")
        elif isinstance(exc, openai.AuthenticationError | openai.PermissionDeniedError):
            msg = f"{where} refused the API key (HTTP {exc.status_code}): set llm_api_key or OPENAI_API_KEY"
        elif isinstance(exc, openai.NotFoundError):
            msg = f"{where} does not serve model {self._model!r} (HTTP 404): set llm_model to one it serves"
        elif isinstance(exc, openai.RateLimitError):
            msg = f"{where} is rate-limiting requests (HTTP 429): wait, or lower the request rate"
        elif isinstance(exc, openai.APIStatusError):
            detail = re.sub(r"\s+", " ", str(exc.message))[:200]
            msg = f"{where} answered HTTP {exc.status_code}: {detail}"
        else:
            msg = f"{where} failed: {type(exc).__name__}: {str(exc)[:200]}"
        log.warning("%s", msg)
        return LLMUnavailable(msg)


MODE_LABELS = {"local": "local", "openai": "OpenAI-compatible"}


def words(text: str) -> Iterator[str]:
    """A text that is already whole, in the pieces a stream would bring (they join back into it)."""
    for i, word in enumerate(text.split(" ")):
        yield word if i == 0 else " " + word


def _states(text: str, value: str) -> bool:
    """``text`` states ``value``: its numbers by value, else its words."""
    wanted = claims.numbers(value)
    if wanted:
        return set(wanted) <= set(claims.numbers(text))
    return value.lower() in text.lower()


def answer_with_llm(client: LLMClient, verifier, mode: str, question: str, extractive: Answer,
                    agree_with: tuple[tuple[str, ...], ...] = ()) -> Generator[str, None, Answer]:
    """Streams the LLM's answer through ``verifier``: yields each sentence once it is verified, and returns
    the final Answer. Falls back to ``extractive`` (with a note) when the LLM is unavailable or none of its
    sentences is supported; the returned Answer is what counts. With ``agree_with`` (the values the reader
    found, one group per kind of answer asked: the short answer's first) nothing is streamed until the whole
    answer is checked, and one that does not state a value of every group is replaced by ``extractive``."""
    timings = extractive.timings
    # Passages in reading order: repeated questions over the same articles share the prompt's prefix,
    # which llama.cpp then does not process again.
    passages = sorted((h.chunk for h in extractive.hits), key=lambda c: (c.article_id, c.start))
    label = MODE_LABELS[mode]
    if not passages:  # nothing retrieved: nothing to ask the model about
        yield from words(extractive.text)
        return dataclasses.replace(extractive, mode=mode)
    verify_s, shown = 0.0, 0
    try:
        t = time.perf_counter()
        stream = verifier.stream(verifier.passages(passages), question)
        verify_s += time.perf_counter() - t
        start = time.perf_counter()
        for piece in client.stream(answer_prompt(question, passages)):
            timings.setdefault("first_token_ms", (time.perf_counter() - start) * 1000)
            t = time.perf_counter()
            stream.feed(piece)
            verify_s += time.perf_counter() - t
            for sentence in stream.shown[shown:] if not agree_with else ():
                yield (" " if shown else "") + sentence
                shown += 1
        timings["llm_ms"] = (time.perf_counter() - start) * 1000
        t = time.perf_counter()
        result = stream.finish()
        verify_s += time.perf_counter() - t
        # Set aside: an answer that does not state the reader's value, or says the articles lack what it found.
        lacking = next((g for g in agree_with if not any(_states(result.text, v) for v in g)), None)
        if agree_with and (result.abstained or (result.supported and lacking)):
            extractive.note = prompts.LLM_DISAGREES_NOTE.format(mode=label, value=(lacking or agree_with[0])[0])
            extractive.verification = result.checks
            yield from words(extractive.text)
            return extractive
        for sentence in stream.shown[shown:]:
            yield (" " if shown else "") + sentence
            shown += 1
    except LLMUnavailable as exc:
        extractive.note = prompts.LLM_UNAVAILABLE_NOTE.format(mode=label, reason=str(exc))
        if not shown:
            yield from words(extractive.text)
        return extractive
    finally:
        timings["verify_ms"] = verify_s * 1000
    if result.supported:
        short = extractive.short_answer if extractive.short_answer and _states(result.text, extractive.short_answer) \
            else ""
        return dataclasses.replace(extractive, text=result.text, citations=result.citations, abstained=False,
                                   mode=mode, model=client.model, verification=result.checks, disagreement=[],
                                   short_answer=short)
    if result.abstained:
        yield from words(prompts.CANNOT_ANSWER)
        return dataclasses.replace(extractive, text=prompts.CANNOT_ANSWER, citations=[], abstained=True,
                                   mode=mode, model=client.model, verification=result.checks, short_answer="",
                                   disagreement=[])
    extractive.note = prompts.NOTHING_SUPPORTED_NOTE.format(mode=label)
    extractive.verification = result.checks
    yield from words(extractive.text)
    return extractive
