"""Legacy Office and WPS files (.doc .wps .et .xls .ppt .dps) turned into files we parse.

A text document becomes a .docx (headings and tables kept), a sheet an .xlsx, a slide deck a
.pptx (its text only), by LibreOffice (:mod:`assistant.ingest.convert`). Before LibreOffice sees
a file its compound-file directory is read (:mod:`assistant.ingest.ole`): an encrypted or
damaged file, or one that is no Office document at all, is refused with its own reason
(LibreOffice would otherwise import any bytes as plain text). What the file holds decides the
conversion, not its suffix: a sheet named .doc is read as a sheet, and a .docx, .xlsx or .pptx
renamed .doc/.xls/.ppt is read as what it is, unconverted.
"""

from __future__ import annotations

from assistant.ingest.convert import convert
from assistant.ingest.errors import EncryptedFile, IngestError
from assistant.ingest.limits import ParseLimits
from assistant.ingest.ole import OLE_MAGIC, ole_family

LEGACY = (".doc", ".wps", ".xls", ".et", ".ppt", ".dps")
_TARGET = {"word": "docx", "sheet": "xlsx", "slides": "pptx"}
_ZIP = b"PK\x03\x04"
_ZIP_SUFFIX = {".xls": ".xlsx", ".et": ".xlsx", ".ppt": ".pptx", ".dps": ".pptx"}


def to_modern(data: bytes, source: str, suffix: str, limits: ParseLimits) -> tuple[bytes, str]:
    """``data`` as a file we parse, and that file's suffix (``.docx``, ``.xlsx``, ``.pptx``)."""
    if data.startswith(_ZIP):
        # A .docx/.xlsx under an old name (WPS saves them so): the package check judges it.
        return data, _ZIP_SUFFIX.get(suffix, ".docx")
    if not data.startswith(OLE_MAGIC):
        raise IngestError(
            source, f"not a {suffix} file (no OLE compound file header; corrupt or renamed)"
        )
    family = ole_family(data)
    if family == "encrypted":
        raise EncryptedFile(source, suffix)
    if family == "damaged":
        raise IngestError(source, f"corrupt {suffix} file (its compound file cannot be read)")
    if family == "other":
        raise IngestError(
            source,
            f"not a {suffix} file (a compound file holding no Word, Excel or PowerPoint document)",
        )
    target = _TARGET[family]
    converted = convert(
        data,
        source,
        suffix=suffix,
        target=target,
        seconds=limits.convert_seconds,
        command=limits.converter,
        max_bytes=limits.max_total_bytes,
    )
    return converted, f".{target}"
