"""Checks on an Office zip package before a parser opens it, each part bounded as it is read.

python-docx and openpyxl read whole parts into memory and build trees of them, so what they are
given must be bounded first. The sizes a zip header declares are checked, then each part is
decompressed (in a stream, never whole) to count what it really holds: a header can lie, and
zipfile stops at the declared size only for some compression methods.
"""

from __future__ import annotations

import io
import zipfile
from xml.etree import ElementTree as ET

from assistant.ingest.errors import EncryptedFile, IngestError
from assistant.ingest.limits import DEFAULT_LIMITS, MB, OverLimit, ParseLimits
from assistant.ingest.ole import ole_family

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CHUNK = 1024 * 1024


def check_package(
    data: bytes, source: str, kind: str, limits: ParseLimits = DEFAULT_LIMITS
) -> None:
    """Reject what is not a sane zip package: legacy/encrypted files, corrupt zips, zip bombs,
    and parts (or a whole) too large once decompressed."""
    if data.startswith(OLE_MAGIC):
        if ole_family(data) == "encrypted":  # Office keeps a protected package in an OLE file
            raise EncryptedFile(source, kind)
        raise IngestError(
            source, f"encrypted or legacy (pre-2007) Office file; save it as an unprotected {kind}"
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            _check_declared(infos, source, kind, limits)
            _check_actual(zf, infos, source, kind, limits)
    except zipfile.BadZipFile as exc:
        raise IngestError(source, f"corrupt {kind} (not a valid zip package)") from exc


def _check_declared(
    infos: list[zipfile.ZipInfo], source: str, kind: str, limits: ParseLimits
) -> None:
    total = sum(i.file_size for i in infos)
    packed = max(1, sum(i.compress_size for i in infos))
    if total / packed > limits.max_ratio:
        raise IngestError(
            source,
            f"{kind} expands to {total / 1e6:.0f} MB (ratio {total / packed:.0f}:1); "
            "refused as a possible zip bomb",
        )
    for info in infos:
        if info.file_size > limits.max_part_bytes:
            raise _part_too_large(source, kind, info.filename, info.file_size, limits)
    if total > limits.max_total_bytes:
        raise _total_too_large(source, kind, total, limits)


def _check_actual(
    zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], source: str, kind: str, limits: ParseLimits
) -> None:
    total = 0
    for info in infos:
        if info.is_dir():
            continue
        size = 0
        try:
            with zf.open(info) as fh:
                while block := fh.read(_CHUNK):
                    size += len(block)
                    if size > limits.max_part_bytes:
                        raise _part_too_large(source, kind, info.filename, size, limits)
                    if total + size > limits.max_total_bytes:
                        raise _total_too_large(source, kind, total + size, limits)
        except NotImplementedError as exc:  # zipfile's word for a compression it lacks
            raise IngestError(
                source,
                f"{kind} part {info.filename} uses a compression method that is not supported",
            ) from exc
        except (zipfile.BadZipFile, RuntimeError, OSError, EOFError, ValueError) as exc:
            raise IngestError(
                source, f"corrupt {kind} (part {info.filename} cannot be read)"
            ) from exc
        total += size


def _part_too_large(source: str, kind: str, part: str, size: int, limits: ParseLimits) -> OverLimit:
    return OverLimit(
        source,
        f"{kind} part {part} expands to {size / MB:.0f} MB or more, over the limit of "
        f"{limits.max_part_bytes / MB:.0f} MB per part",
    )


def _total_too_large(source: str, kind: str, size: int, limits: ParseLimits) -> OverLimit:
    return OverLimit(
        source,
        f"{kind} expands to {size / MB:.0f} MB or more, over the limit of "
        f"{limits.max_total_bytes / MB:.0f} MB per file",
    )


def read_part_xml(
    zf: zipfile.ZipFile, name: str, source: str, kind: str, limits: ParseLimits = DEFAULT_LIMITS
) -> ET.Element:
    """One part of a checked package parsed as XML, for the readers of our own (.ofd, .pptx):
    read no further than the part limit, and refused when it declares a DTD or entities (these
    formats use none; nothing is ever expanded)."""
    info = zf.getinfo(name)
    if info.file_size > limits.max_part_bytes:
        raise _part_too_large(source, kind, name, info.file_size, limits)
    with zf.open(info) as fh:
        raw = fh.read(limits.max_part_bytes + 1)
    if len(raw) > limits.max_part_bytes:
        raise _part_too_large(source, kind, name, len(raw), limits)
    if b"<!DOCTYPE" in raw or b"<!ENTITY" in raw:
        raise IngestError(source, f"{kind} part {name} declares a DTD; refused")
    try:
        return ET.fromstring(raw)
    except ET.ParseError as exc:
        raise IngestError(source, f"corrupt {kind} (part {name}: {exc})") from exc


def local_name(tag: str) -> str:
    """An element's name without its namespace (``{…}TextObject`` → ``TextObject``)."""
    return tag.rsplit("}", 1)[-1]
