"""Text cleaning: sharing-site markers, whitespace, lines broken inside a sentence, placeholders."""

from __future__ import annotations

import re
import statistics

# ##paidbegin## / ##paidend## and similar markers left by document-sharing sites.
_SITE_MARKER = re.compile(r"##[A-Za-z_]{2,20}##")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
_SPACES = re.compile("[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_PUNCT = "\u3000-\u303f\uff00-\uffef\u2018-\u201f\u2026\u2014"
# A space between two Chinese characters (or Chinese punctuation) is an artefact, not content.
_SPACE_IN_CJK = re.compile(rf"(?<=[{_CJK}{_CJK_PUNCT}]) (?=[{_CJK}{_CJK_PUNCT}])")
# X, XX, XXX standing for a name or a number (Latin or full-width X, not part of a Latin word).
PLACEHOLDER = re.compile(r"(?<![A-Za-z])[XＸ]{1,4}(?![A-Za-z])")
_SENTENCE_END = tuple("。！？；：…”’」』）)】!?;:")
_HEADING_START = re.compile(
    r"^(?:[一二三四五六七八九十百]+、|[（(][一二三四五六七八九十百]+[）)]|\d+[.．、](?!\d)|"
    r"[（(]\d+[）)]|第[一二三四五六七八九十百零〇\d]+[章节条款部分])"
)


def has_placeholder(text: str) -> bool:
    return PLACEHOLDER.search(text) is not None


def clean_line(line: str) -> str:
    """Normalise one line: markers, zero-width characters, runs of (full-width) spaces."""
    line = _SITE_MARKER.sub("", line)
    line = _ZERO_WIDTH.sub("", line)
    line = _SPACES.sub(" ", line).strip()
    return _SPACE_IN_CJK.sub("", line)


def is_heading_line(line: str) -> bool:
    return _HEADING_START.match(line) is not None


def join_broken_lines(lines: list[str]) -> list[str]:
    """Rejoin paragraphs that a PDF text layer or a hard-wrapped file broke mid-sentence.

    A line is taken to continue on the next one when it does not end a sentence, it is about as
    long as the document's wrapped lines (so it is not a title or a short heading), and the next
    line does not start a numbered heading.
    """
    lines = [ln for ln in (clean_line(x) for x in lines) if ln]
    if len(lines) < 2:
        return lines
    lengths = sorted(len(ln) for ln in lines)
    # The wrap width is the typical length of the longer lines.
    wrap = lengths[int(0.9 * (len(lengths) - 1))]
    if wrap < 20:
        return lines
    threshold = max(15, int(0.8 * wrap))
    median_len = statistics.median(lengths)
    if median_len > 200:
        # One paragraph per line already (the usual .txt/.md export): nothing was wrapped.
        return lines
    out: list[str] = []
    last_len = 0  # length of the latest physical line, not of the joined paragraph
    for ln in lines:
        if out:
            prev = out[-1]
            wrapped = (
                not prev.endswith(_SENTENCE_END)
                and last_len >= threshold
                and not is_heading_line(ln)
            )
            if wrapped:
                sep = " " if prev[-1].isascii() and ln[0].isascii() else ""
                out[-1] = prev + sep + ln
                last_len = len(ln)
                continue
        out.append(ln)
        last_len = len(ln)
    return out


def split_paragraphs(text: str) -> list[str]:
    """Split raw text into cleaned paragraphs, rejoining wrapped lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return join_broken_lines(text.split("\n"))
