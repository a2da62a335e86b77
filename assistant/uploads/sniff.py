"""Judging an upload's type by its content (magic bytes), never by its name.

A zip package is a .docx or an .xlsx by what it holds ([Content_Types].xml, word/ or xl/), an
OFD by its OFD.xml; an OLE compound file is a Word/WPS text (.doc, .wps), an Excel/WPS sheet
(.xls, .et) or a PowerPoint/WPS deck (.ppt, .dps) by its streams (the declared name chooses
between the two names of one kind); %PDF is a PDF; anything else must decode as text (UTF-8,
UTF-16 with BOM, GBK/GB18030). Only then does the declared name matter, and only to choose
between the text kinds (.txt, .md, .csv). A PNG, JPEG or TIFF image is a scan to read by OCR
(.jpg or .jpeg, .tif or .tiff as declared). A renamed executable, another image (GIF), an archive
or any other binary is refused before a parser sees it.
"""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from collections import Counter
from pathlib import PurePosixPath

from assistant.ingest.encoding import decode_bytes
from assistant.ingest.errors import IngestError
from assistant.ingest.formats import SUPPORTED
from assistant.ingest.ole import OLE_MAGIC, ole_family
from assistant.uploads.errors import Encrypted, Unsupported

KINDS = tuple(suffix[1:] for suffix in SUPPORTED)
# Local file header, empty archive, spanned archive: text never holds these bytes.
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
# An OLE file's kind by what it holds, then the declared suffixes that name that kind.
_OLE_KINDS = {"word": ("doc", "wps"), "sheet": ("xls", "et"), "slides": ("ppt", "dps")}
_LEGACY = {f".{k}" for kinds in _OLE_KINDS.values() for k in kinds}
# Named so a refusal says what the file really is; the text check refuses them regardless.
_BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"MZ", "a Windows executable"),
    (b"\x7fELF", "an ELF executable"),
    (b"\xcf\xfa\xed\xfe", "a macOS executable"),
    (b"\xca\xfe\xba\xbe", "a Java class or macOS executable"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"\x00asm", "a WebAssembly module"),
    (b"SQLite format 3\x00", "an SQLite database"),
)
# Scans and photos (read by OCR); the declared name chooses between the two names of one kind.
_IMAGE_MAGIC: tuple[tuple[bytes, tuple[str, ...]], ...] = (
    (b"\x89PNG\r\n\x1a\n", ("png",)),
    (b"\xff\xd8\xff", ("jpg", "jpeg")),
    (b"II*\x00", ("tif", "tiff")),
    (b"MM\x00*", ("tif", "tiff")),
)
_TEXT_KINDS = {".txt": "txt", ".md": "md", ".markdown": "md", ".csv": "csv"}
_CONTENT_TYPES = "[Content_Types].xml"
_CT_READ = 256 * 1024  # enough for any real [Content_Types].xml; a bomb entry is cut short
# Control characters tolerated in text: tab, newlines, form feed (page breaks), DOS end-of-file.
_TEXT_CONTROLS = set("\t\n\r\f\v\x1a")
_MAX_ODD = 0.01


def sniff(data: bytes, declared: str | None = None) -> str:
    """The kind of ``data`` (one of :data:`KINDS`), or :class:`Unsupported` saying what it is."""
    ext = PurePosixPath((declared or "").replace("\\", "/")).suffix.lower()
    if data.startswith(_ZIP_MAGIC):
        return _package_kind(data, ext)
    if data.startswith(b"%PDF-"):
        return "pdf"
    for magic, kinds in _IMAGE_MAGIC:
        if data.startswith(magic):
            return ext[1:] if ext[1:] in kinds else kinds[0]
    if data.startswith(OLE_MAGIC):
        return _compound_kind(data, ext)
    if data.lstrip()[:5].lower() == b"{\\rtf":
        raise Unsupported("an RTF document; save it as .docx")
    text = _as_text(data)
    if text is None:
        raise Unsupported(_binary_label(data))
    if ext in _TEXT_KINDS:
        return _TEXT_KINDS[ext]
    return "csv" if looks_like_table(text) else "txt"


def _binary_label(data: bytes) -> str:
    for magic, label in _BINARY_MAGIC:
        if data.startswith(magic):
            return f"{label}, not a document"
    return "binary content, not a document"


def _compound_kind(data: bytes, ext: str) -> str:
    family = ole_family(data)
    if family == "encrypted":
        # The caller names the file (encrypted_message): the refusal is all the user's words.
        raise Encrypted("a password-protected Office file")
    if family == "damaged":
        if ext in _LEGACY:
            return ext[1:]  # a damaged legacy file: its loader reports the damage (422)
        raise Unsupported("a damaged Office compound file, not a document we read")
    if family == "other":
        raise Unsupported(
            "an OLE compound file holding no Word, Excel or PowerPoint document "
            "(an Outlook message, an installer …)"
        )
    kinds = _OLE_KINDS[family]
    return ext[1:] if ext[1:] in kinds else kinds[0]


def _package_kind(data: bytes, ext: str) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            types = _read_bounded(zf, _CONTENT_TYPES) if _CONTENT_TYPES in names else ""
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        if ext in (".docx", ".xlsx", ".pptx", ".ofd"):
            return ext[1:]  # a damaged Office or OFD file: its loader reports the damage (422)
        raise Unsupported("a damaged zip archive, not a document") from None
    if "OFD.xml" in names:
        return "ofd"
    if "macroEnabled" in types:
        raise Unsupported("an Office file with macros; save it as .docx, .xlsx or .pptx")
    if "presentationml" in types:
        return "pptx"
    if _CONTENT_TYPES in names:
        if "wordprocessingml.document" in types or "word/document.xml" in names:
            return "docx"
        if "spreadsheetml.sheet" in types or "xl/workbook.xml" in names:
            return "xlsx"
    raise Unsupported(
        "a zip archive that is no Word (.docx), Excel (.xlsx), PowerPoint (.pptx) or OFD file"
    )


_READABLE = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA)


def _read_bounded(zf: zipfile.ZipFile, name: str) -> str:
    """The start of one entry, decompressing no more than we read (a bomb stays packed)."""
    if zf.getinfo(name).compress_type not in _READABLE:
        return ""  # a compression method zipfile cannot read: fall back to the entry names
    try:
        with zf.open(name) as fh:
            return fh.read(_CT_READ).decode("utf-8", errors="replace")
    except (zipfile.BadZipFile, RuntimeError, OSError, ValueError, EOFError):
        return ""  # encrypted or damaged entry: fall back to the entry names


def _as_text(data: bytes) -> str | None:
    """The decoded text, or None when the bytes are not text in an encoding we read."""
    try:
        text = decode_bytes(data, "upload")
    except (IngestError, UnicodeDecodeError):
        return None
    sample = text[:20000]
    if not sample:
        return text
    # decode_bytes accepts up to 10% odd characters; real text has next to none, while binary
    # decoded as GB18030 is full of control, private-use and unassigned characters.
    odd = sum(1 for ch in sample if _odd(ch))
    return text if odd / len(sample) <= _MAX_ODD else None


def _odd(ch: str) -> bool:
    if ch in _TEXT_CONTROLS:
        return False
    return ch == "\ufffd" or unicodedata.category(ch) in ("Cc", "Co", "Cn", "Cs")


def looks_like_table(text: str) -> bool:
    """True when the first lines split into the same number (≥ 2) of short cells."""
    lines = [ln for ln in text.splitlines()[:50] if ln.strip()]
    if len(lines) < 2 or any(ln.rstrip().endswith("。") for ln in lines):
        return False
    for delimiter in (",", "\t", ";", "，"):
        try:
            rows = list(csv.reader(lines, delimiter=delimiter))
        except csv.Error:
            continue
        width, count = Counter(len(r) for r in rows).most_common(1)[0]
        cells = [c for r in rows for c in r]
        if (
            width >= 2
            and count >= 0.8 * len(rows)
            and sum(len(c) for c in cells) / len(cells) <= 30
        ):
            return True
    return False
