"""``/v1/chat/completions`` as a service: the last user message through the chat bound to the
report the model names (with the caller's rights), or a search of the corpus; the reply's text
streams as ``delta`` events, then ``finish`` with what the message did.

Only the last user message is acted on: the chat keeps its own history of the report (the
client's copy of the conversation may be edited or cut). The chat saves the message and its
reply to the caller's conversation about the report, as on the page, so the page shows what a
client did; a key's use is in the audit log with the report it reached (``api_key.use``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from assistant.accounts.api_keys import record_use as record_use_in
from assistant.accounts.service import Principal
from assistant.chat.found import found_reply
from assistant.chat.reading import ChatJob
from assistant.chat.service import MAX_MESSAGE
from assistant.compat.models import CORPUS_MODEL, CORPUS_NAME, ModelTarget, parse_model
from assistant.compat.reply import ReplyWriter
from assistant.domain import CORPUS
from assistant.drafting.llm import ChatPrompt, LLMError
from assistant.drafting.prompts import load_prompt
from assistant.errors import Invalid, NotFound
from assistant.masking import mask_secrets
from assistant.reports.access import readable_report
from assistant.reports.facts import sheet_of
from assistant.storage.models import SectionVersion

if TYPE_CHECKING:
    from assistant.services import Services

Emit = Callable[[str, dict[str, Any]], None]
PATH = "/v1/chat/completions"
log = logging.getLogger("assistant.compat")
CORPUS_HITS = 5
_EXCERPT = 160


class NoModel(Invalid, code="model_required"):
    """The request names no model."""


class ModelNotFound(NotFound, code="model_not_found"):
    """The model names no report the caller may see."""


class MessageTooLong(Invalid, code="message_too_long"):
    """The message is longer than the chat takes."""


class NoUserMessage(Invalid, code="no_user_message"):
    """Nothing the user said to act on."""


def message_text(content: Any) -> str:
    """A message's text: a string, or the text parts of a list of parts (images are not read)."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = [p.get("text") for p in content if isinstance(p, dict) and p.get("type") == "text"]
        return "\n".join(str(p) for p in parts if p)
    return ""


# Front ends ask the chat's model for the conversation's title, tags or follow-up questions
# with a prompt that quotes the conversation (Open WebUI: "### Task: … <chat_history>"). Quoted,
# 起草第一部分 would be acted on again: such a request is answered with the title, doing nothing.
_CLIENT_TASKS = ("### Task:", "<chat_history>", "### Chat History:")


def is_client_task(message: str) -> bool:
    return any(marker in message for marker in _CLIENT_TASKS)


def last_user_message(messages: Sequence[dict[str, Any]]) -> str:
    for m in reversed(messages):
        if m.get("role") == "user":
            text = message_text(m.get("content")).strip()
            if text:
                return text
            break
    raise NoUserMessage("messages 中没有用户消息（role 为 user 且内容为文本）")


def corpus_prompt(question: str, passages: list[dict[str, Any]]) -> ChatPrompt:
    """The corpus model's question to an LLM: answer from these numbered passages only."""
    listed = "\n".join(
        f"[{n}]《{p.get('title') or '未命名'}》：{' '.join(str(p.get('text') or '').split())}"
        for n, p in enumerate(passages, 1)
    )
    user = load_prompt("answer_corpus").render(question=question, passages=listed)
    return ChatPrompt(system=_CORPUS_SYSTEM, user=user)


_CORPUS_SYSTEM = "你是党政机关公文写作助手，只依据给出的材料回答，不编造任何数字、名称和文件。"


@dataclass(frozen=True)
class CompletionJob:
    user: Principal
    target: ModelTarget
    message: str
    chat: ChatJob | None  # None for the corpus
    facts: dict[str, tuple[Any, str]]  # the report's confirmed facts at the start
    reply: str | None = None  # a fixed answer (a front end's title request), nothing run

    @property
    def model(self) -> str:
        return self.target.id


class Completions:
    def __init__(self, services: Services) -> None:
        self.services = services
        self.chat = services.chat  # the composition root's, shared with POST /api/v1/chat

    def prepare(
        self,
        user: Principal,
        model: str | None,
        messages: list[dict[str, Any]],
        *,
        record_use: bool = False,
    ) -> CompletionJob:
        """The job, checked against the caller's rights. With ``record_use`` the key's use is
        written here, with the report it reaches, in the transaction that reads the report."""
        if not model or not model.strip():
            raise NoModel(
                "请求须指定 model：report-<编号>（针对某份报告起草、修改、提问）或 "
                f"{CORPUS_MODEL}（检索范文与政策文件）；可用的模型见 GET /v1/models"
            )
        target = parse_model(model)
        unknown = ModelNotFound(
            f"模型 {model.strip()[:80]!r} 不存在或您无权访问；可用的模型见 GET /v1/models"
        )
        if target is None:
            raise unknown
        message = last_user_message(messages)
        use = {"method": "POST", "path": PATH, "model": target.id}
        if is_client_task(message):  # quotes the conversation: may be long
            return self._client_task(user, target, message, use if record_use else None)
        if len(message) > MAX_MESSAGE:
            raise MessageTooLong(
                f"消息过长：{len(message)} 个字，每条最多 {MAX_MESSAGE} 个字；请分几条发送"
            )
        if target.report_id is None:
            if record_use:
                self.services.api_keys.note_use(user, **use)
            return CompletionJob(user, target, message, None, {})
        try:
            job = self.chat.prepare(user, target.report_id, message)
        except NotFound as exc:
            raise unknown from exc
        with self.services.db.session() as s:
            sheet = sheet_of(readable_report(s, user, target.report_id))
            facts = {f.key: (f.value, f.unit) for f in sheet.facts}
            if record_use:
                record_use_in(s, user, **use, report_id=target.report_id)
        return CompletionJob(user, target, message, job, facts)

    def _client_task(
        self, user: Principal, target: ModelTarget, message: str, use: dict[str, Any] | None
    ) -> CompletionJob:
        title = CORPUS_NAME
        if target.report_id is not None:
            with self.services.db.session() as s:
                try:
                    title = readable_report(s, user, target.report_id).title or target.id
                except NotFound as exc:
                    raise ModelNotFound(f"模型 {target.id!r} 不存在或您无权访问") from exc
                if use is not None:
                    record_use_in(s, user, **use, report_id=target.report_id, task=True)
        elif use is not None:
            self.services.api_keys.note_use(user, **use, task=True)
        return CompletionJob(user, target, message, None, {}, reply=title)

    def run(self, job: CompletionJob, emit: Emit) -> None:
        """In a worker thread: ``delta`` events with the reply's text, then ``finish``."""
        if job.reply is not None:  # a front end's own task: answered, nothing done
            emit("delta", {"text": job.reply})
            emit("finish", {"reason": "stop", "actions": []})
            return
        writer = ReplyWriter(
            lambda text: emit("delta", {"text": text}), read_only=job.user.read_only
        )
        if job.chat is None:
            self._corpus(job, writer)
        else:
            for key, (value, unit) in job.facts.items():
                writer.notes.fact(key, value, unit)
            self.chat.run(job.chat, writer.event)
            writer.notes.chunks.update(self._cited_passages(writer.version_ids()))
        writer.finish()
        emit("finish", {"reason": "stop", "actions": writer.actions})

    def _corpus(self, job: CompletionJob, writer: ReplyWriter) -> None:
        hits = self.services.searcher.search(job.message, k=CORPUS_HITS, kb=CORPUS)
        passages = [{**h.public(server_paths=False), "chunk_id": h.chunk_id} for h in hits]
        llm = self.services.drafter.llm
        answered = ""
        if llm is not None and passages:
            # The model answers from the numbered passages only; they follow as the sources.
            try:
                answered = "".join(llm.stream(corpus_prompt(job.message, passages))).strip()
            except LLMError as exc:
                log.warning("corpus answer: %s", mask_secrets(str(exc)))
                writer.write("（大模型暂时不可用，以下为检索到的材料。）")
        writer.write(answered or found_reply(job.message, passages))
        for n, p in enumerate(passages, 1):
            text = " ".join(str(p.get("text") or "").split())
            text = text if len(text) <= _EXCERPT else text[:_EXCERPT] + "…"
            writer.write(f"[{n}] {text}")
        writer.notes.citations(passages)
        writer.actions = [{"action": "search", "found": len(passages)}]

    def _cited_passages(self, version_ids: list[int]) -> dict[str, dict[str, Any]]:
        """chunk id → {title, kb} from the provenance of the versions this message saved."""
        if not version_ids:
            return {}
        out: dict[str, dict[str, Any]] = {}
        with self.services.db.session() as s:
            rows = s.scalars(select(SectionVersion).where(SectionVersion.id.in_(version_ids)))
            for v in rows:
                for p in (v.provenance or {}).get("passages") or []:
                    if isinstance(p, dict) and p.get("chunk_id"):
                        out[str(p["chunk_id"])] = {"title": p.get("title"), "kb": p.get("kb")}
        return out
