"""The LLM engine: any OpenAI-compatible endpoint through langchain-openai's ``ChatOpenAI``.

Retries with exponential backoff on 429, 5xx and refused connections are the openai client's own
(``max_retries``; it honours ``Retry-After``); they cover the request until its first byte. A
failure after streaming began is not retried, because the tokens already shown cannot be taken
back: the draft fails as a whole and the previous version stays. Every failure becomes an
:class:`LLMError` whose message says what to fix, never the key.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import openai
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage
from langchain_openai import ChatOpenAI

from assistant.config import Settings
from assistant.errors import Unavailable


class LLMError(Unavailable, code="llm"):
    """The model could not produce a draft; the message is safe to show to the user."""


@dataclass(frozen=True)
class ChatPrompt:
    system: str
    user: str


def build_chat_model(settings: Settings) -> ChatOpenAI:
    if not settings.llm_enabled or settings.llm_model is None:
        raise LLMError("no LLM configured: set ASSISTANT_LLM_MODEL and ASSISTANT_LLM_BASE_URL")
    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else "not-needed"
    return ChatOpenAI(
        model=settings.llm_model,
        base_url=settings.llm_base_url,
        api_key=key,  # type: ignore[arg-type]  # accepts str or SecretStr at run time
        timeout=settings.llm_timeout,
        max_retries=settings.llm_max_retries,
        temperature=settings.llm_temperature,
        streaming=True,
    )


def describe(
    exc: Exception, *, endpoint: str | None, timeout: float | None = None, started: bool = False
) -> str:
    """A user-facing message for ``exc``; ``started``: the answer had begun to stream."""
    where = endpoint or "the default OpenAI endpoint"
    if isinstance(exc, openai.APITimeoutError):
        if started:  # the answer had begun: the stream went quiet
            secs = f" for more than {timeout:g} s" if timeout else ""
            said = f"stopped sending{secs} mid-answer"
            return f"the LLM endpoint {where} {said} (ASSISTANT_LLM_TIMEOUT)"
        secs = f" after {timeout:g} s" if timeout else ""
        return f"the LLM endpoint {where} did not answer in time{secs} (ASSISTANT_LLM_TIMEOUT)"
    if isinstance(exc, openai.APIConnectionError):
        if started:
            return f"the LLM endpoint {where} dropped the connection mid-answer; try again"
        return f"cannot reach the LLM endpoint {where}: is the server running and the URL right?"
    if isinstance(exc, openai.AuthenticationError):
        return f"the LLM endpoint {where} refused the API key (401): check ASSISTANT_LLM_API_KEY"
    if isinstance(exc, openai.PermissionDeniedError):
        return f"the LLM endpoint {where} denied access (403) for this key or model"
    if isinstance(exc, openai.NotFoundError):
        return (
            f"the LLM endpoint {where} has no such model or path (404): check ASSISTANT_LLM_MODEL"
        )
    if isinstance(exc, openai.RateLimitError):
        return f"the LLM endpoint {where} is rate limiting (429) and retries ran out; try later"
    if isinstance(exc, openai.APIStatusError):
        return f"the LLM endpoint {where} failed with HTTP {exc.status_code}; retries ran out"
    if isinstance(exc, openai.APIError):
        return f"the LLM endpoint {where} sent a response that could not be read ({exc.message})"
    return f"the LLM answer from {where} could not be read ({type(exc).__name__}: {exc})"


class LLMEngine:
    """Streams a section's prose from a chat model (``ChatOpenAI`` or a langchain fake)."""

    engine = "llm"

    def __init__(
        self,
        model: BaseChatModel,
        *,
        model_name: str,
        endpoint: str | None = None,
        timeout: float | None = None,
    ) -> None:
        self.model = model
        self.model_name = model_name
        self.endpoint = endpoint
        self.timeout = timeout

    @classmethod
    def from_settings(cls, settings: Settings) -> LLMEngine:
        return cls(
            build_chat_model(settings),
            model_name=settings.llm_model or "",
            endpoint=settings.llm_base_url,
            timeout=settings.llm_timeout,
        )

    def stream(self, prompt: ChatPrompt) -> Iterator[str]:
        messages = [SystemMessage(prompt.system), HumanMessage(prompt.user)]
        started = False
        try:
            for chunk in self.model.stream(messages):
                started = True
                text = chunk.text if isinstance(chunk.text, str) else str(chunk.content)
                if text:
                    yield text
        except LLMError:
            raise
        except Exception as exc:  # any transport or parse failure becomes one clear error
            message = describe(exc, endpoint=self.endpoint, timeout=self.timeout, started=started)
            raise LLMError(message) from exc
