"""One chat message's events as the text of one assistant reply, streamed as it is made.

The page shows the chat's events in their own places (reply bubble, section editor, sources
panel); an OpenAI client has one text. So: the chat's own words as they come, each section's
draft under its name (``**一、主要工作和成效**``) as it streams, a line per saved draft (which
version, which engine, how many check findings), and the sources as numbered notes at the end
(:mod:`assistant.compat.notes`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from assistant.compat.notes import Notes
from assistant.drafting.citations import MARKER
from assistant.masking import mask_data

Write = Callable[[str], None]
READ_ONLY_NOTE = "（此 API 密钥为只读：可以查看、检索、提问和检查，不能起草、修改或提议事实。）"
_OPENERS = "〔[【(（"
_HOLD = 24  # a citation marker is shorter than this: an opener further back is no marker


class MarkerFilter:
    """Takes the engine's citation markers (〔F1〕) out of streamed text, as the stored version
    has them taken out: text from an opening bracket is held back until it closes (or is too
    long to be a marker), so a marker split across tokens is still found."""

    def __init__(self) -> None:
        self._held = ""

    def feed(self, text: str) -> str:
        text = self._held + text
        self._held = ""
        cut = max(text.rfind(ch) for ch in _OPENERS)
        if cut >= 0 and len(text) - cut < _HOLD and not any(c in text[cut:] for c in "〕]】)）"):
            text, self._held = text[:cut], text[cut:]
        return MARKER.sub("", text)

    def flush(self) -> str:
        text, self._held = MARKER.sub("", self._held), ""
        return text


class ReplyWriter:
    """Feed it the chat's ``(event, data)``; it calls ``write`` with each piece of text."""

    def __init__(self, write: Write, *, read_only: bool = False) -> None:
        self._write = write
        self.read_only = read_only
        self.notes = Notes()
        self.labels: dict[str, str] = {}
        self.actions: list[dict[str, Any]] = []
        self.done: dict[str, Any] = {}
        self._at: str | None = None  # "reply", "section:<id>" or None (nothing written yet)
        self._markers = MarkerFilter()

    def write(self, text: str, *, at: str = "reply") -> None:
        self._flush_section()
        text = MARKER.sub("", text)
        if not text:
            return
        if self._at is not None and self._at != at:
            text = "\n\n" + text
        elif self._at == "reply" and at == "reply":
            text = "\n" + text  # the chat says each reply whole: one line each
        self._at = at
        self._write(text)

    def event(self, name: str, data: dict[str, Any]) -> None:
        if name in ("step", "progress") and data.get("section") and data.get("label"):
            self.labels[str(data["section"])] = str(data["label"])
        elif name == "token":
            self._token(data)
        elif name == "citations":
            self.notes.citations(list(data.get("citations") or []))
        elif name == "facts":
            for f in [*(data.get("facts") or []), *(data.get("proposed") or [])]:
                if isinstance(f, dict) and f.get("key"):
                    self.notes.fact(str(f["key"]), f.get("value", ""), str(f.get("unit") or ""))
        elif name == "error":
            detail = mask_data(data.get("detail"))
            self.write(f"未能完成：{detail}" if isinstance(detail, str) else "未能完成。")
        elif name == "done":
            self.done = data
            self.actions = list(data.get("actions") or [])
            self._summaries()

    def _token(self, data: dict[str, Any]) -> None:
        text = str(data.get("text") or "")
        section = data.get("section")
        if not section:
            if self._at is not None and self._at != "reply" and not text.strip():
                return
            self.write(text)
            return
        at = f"section:{section}"
        if self._at != at:
            label = self.labels.get(str(section), str(section))
            self.write(f"**{label}**\n\n", at=at)
        self._at = at
        text = self._markers.feed(text)  # a draft streams in pieces: joined as they come
        if text:
            self._write(text)

    def _flush_section(self) -> None:
        rest = self._markers.flush()
        if rest:
            self._write(rest)

    def _summaries(self) -> None:
        """What the chat stores as its reply for a saved draft but does not stream."""
        lines: list[str] = []
        refused = False
        for a in self.actions:
            refused = refused or bool(a.get("refused"))
            if a.get("action") not in ("draft", "revise") or a.get("failed"):
                continue
            label = str(a.get("label") or a.get("section") or "")
            if a.get("unchanged"):
                lines.append(f"{label}重写结果与当前第{a.get('version')}版相同，没有另存新版本。")
            elif a.get("version_id"):
                what = "已修改" if a["action"] == "revise" else "已起草"
                engine = f"，{a['engine_label']}" if a.get("engine_label") else ""
                issues = int(a.get("issues") or 0)
                found = f"；检查发现 {issues} 处需要注意" if issues else "；检查未发现问题"
                lines.append(f"{what}{label}（已保存为第{a.get('version')}版{engine}{found}）。")
        if refused and self.read_only:
            lines.append(READ_ONLY_NOTE)
        if lines:
            self.write("\n".join(lines))

    def version_ids(self) -> list[int]:
        """The versions this message saved (their provenance names the passages cited)."""
        out: list[int] = []
        for a in self.actions:
            for item in [a, *(a.get("sections") or [])]:
                vid = item.get("version_id") if isinstance(item, dict) else None
                if isinstance(vid, int) and vid not in out:
                    out.append(vid)
        return out

    def finish(self) -> None:
        """The notes, after everything else."""
        self._flush_section()
        notes = self.notes.text()
        if notes:
            self.write(notes, at="notes")
        if self._at is None:
            self.write("（没有可回复的内容。）")
