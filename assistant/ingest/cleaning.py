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
# X, XX, XXX (or ××) standing for a name or a number: not part of a Latin word or a product.
PLACEHOLDER = re.compile(r"(?<![A-Za-z0-9])[XＸ×]+(?![A-Za-z0-9])")
_SENTENCE_END = tuple("。！？；：…”’」』）)】!?;:")
_HEADING_START = re.compile(
    r"^(?:[一二三四五六七八九十百]+、|[（(][一二三四五六七八九十百]+[）)]|\d+[.．、](?!\d)|"
    r"[（(]\d+[）)]|第[一二三四五六七八九十百零〇\d]+[章节条款部分]|#{1,6}\s)"
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
    line does not start a numbered heading. A blank line always ends a paragraph.
    """
    cleaned = [clean_line(x) for x in lines]
    nonblank = [ln for ln in cleaned if ln]
    if len(nonblank) < 2:
        return nonblank
    lengths = sorted(len(ln) for ln in nonblank)
    # The wrap width is the typical length of the longer lines.
    wrap = lengths[int(0.9 * (len(lengths) - 1))]
    if wrap < 20 or statistics.median(lengths) > 200:
        # Short lines only, or one paragraph per line (the usual .txt/.md export): no wrapping.
        return nonblank
    threshold = max(15, int(0.8 * wrap))
    out: list[str] = []
    last_len = 0  # length of the latest physical line, not of the joined paragraph
    can_join = False
    for ln in cleaned:
        if not ln:
            can_join = False
            continue
        if can_join and out:
            prev = out[-1]
            ends = prev.endswith(_SENTENCE_END)
            if not ends and last_len >= threshold and not is_heading_line(ln):
                # Only two Latin letters need a space between them; digits and Chinese do not.
                latin = prev[-1].isascii() and prev[-1].isalpha()
                sep = " " if latin and ln[0].isascii() and ln[0].isalpha() else ""
                out[-1] = prev + sep + ln
                last_len = len(ln)
                continue
        out.append(ln)
        last_len = len(ln)
        can_join = True
    return out


def split_paragraphs(text: str) -> list[str]:
    """Split raw text into cleaned paragraphs, rejoining wrapped lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return join_broken_lines(text.split("\n"))
