"""Decoding text files: UTF-8 (with or without BOM) and GB18030/GBK, detected automatically."""

from __future__ import annotations

import codecs
import unicodedata

from charset_normalizer import from_bytes

from assistant.ingest.errors import IngestError

_CJK_OR_PRINTABLE_MIN = 0.9


def _plausible(text: str) -> bool:
    """True when the decoded text is mostly printable characters (not mojibake or binary)."""
    if not text:
        return True
    sample = text[:20000]
    good = sum(1 for ch in sample if ch in "\r\n\t" or not unicodedata.category(ch).startswith("C"))
    return good / len(sample) >= _CJK_OR_PRINTABLE_MIN


def decode_bytes(data: bytes, source: str) -> str:
    """Decode ``data`` or raise :class:`IngestError` naming ``source``."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    if b"\x00" in data[:8192]:
        raise IngestError(source, "binary content, not a text file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # A UTF-8 file with a stray byte or two (a truncated copy, a bad paste) is still UTF-8:
    # decoding it as GB18030 would turn every character into plausible-looking mojibake.
    lenient = data.decode("utf-8", errors="replace")
    if lenient.count("\ufffd") <= max(1, len(lenient) // 1000):
        return lenient
    # Chinese office files that are not UTF-8 are almost always GBK, whose superset is GB18030.
    try:
        text = data.decode("gb18030")
        if _plausible(text):
            return text
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is not None:
        text = str(best)
        if _plausible(text):
            return text
    raise IngestError(source, "cannot detect the text encoding (tried UTF-8, GB18030)")
