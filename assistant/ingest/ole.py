"""What an OLE compound file (D0 CF 11 E0 A1 B1 1A E1) holds, judged by its stream names.

Legacy Office and WPS files are such files: a Word or WPS text document (.doc, .wps) holds a
``WordDocument`` stream, an Excel or WPS sheet (.xls, .et) a ``Workbook`` (or ``Book``) stream, a
PowerPoint or WPS slide deck (.ppt, .dps) a ``PowerPoint Document`` stream, and a password
protected .docx/.xlsx an ``EncryptedPackage``. Only the header, the FAT and the directory are
read, each bounded (a damaged or hostile file costs a few hundred sector reads, never a loop),
and the first bytes of the main stream, which say whether it is encrypted: Word's FIB flag
fEncrypted, a FILEPASS record right after a workbook's BOF, a deck's CurrentUserAtom token
(0xF3D1C4DF instead of 0xE391C05F, [MS-PPT] 2.3.2: PowerPoint and WPS write it whether or not
they also write an ``EncryptedSummary`` stream).
Parsing the content itself is LibreOffice's job (:mod:`assistant.ingest.convert`).
"""

from __future__ import annotations

import struct
from typing import Literal

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
Family = Literal["word", "sheet", "slides", "encrypted", "other", "damaged"]

_SPECIAL = 0xFFFFFFFA  # this and above: end of chain, free, FAT or DIFAT sector
_MAX_SECTORS = 4096  # of the FAT or the directory: 2 MB of directory is thousands of streams
_ENTRY = 128
_WORD_ENCRYPTED = 0x0100  # FIB flags bit fEncrypted
_FILEPASS = 0x002F  # BIFF record: the workbook is encrypted
_PPT_ENCRYPTED = 0xF3D1C4DF  # CurrentUserAtom.headerToken of an encrypted deck
# Streams whose first bytes tell encryption.
_MAIN_STREAMS = ("WordDocument", "Workbook", "Book", "Current User")


class _Damaged(Exception):
    pass


def ole_family(data: bytes) -> Family:
    """What the compound file in ``data`` is (``damaged`` when its structure cannot be read)."""
    try:
        names, heads = _directory(data)
    except (_Damaged, struct.error, IndexError):
        return "damaged"
    if names & {"EncryptedPackage", "EncryptionInfo", "EncryptedSummary"}:
        return "encrypted"
    word_head = heads.get("WordDocument")
    if "WordDocument" in names:
        if word_head is not None and len(word_head) >= 12:
            (flags,) = struct.unpack_from("<H", word_head, 10)
            if flags & _WORD_ENCRYPTED:
                return "encrypted"
        return "word"
    if "Workbook" in names or "Book" in names:
        book = heads.get("Workbook") or heads.get("Book")
        if book is not None and _has_filepass(book):
            return "encrypted"
        return "sheet"
    if "PowerPoint Document" in names:
        user = heads.get("Current User")  # record header (8), size (4), headerToken (4)
        if user is not None and len(user) >= 16:
            (token,) = struct.unpack_from("<I", user, 12)
            if token == _PPT_ENCRYPTED:
                return "encrypted"
        return "slides"
    return "other"


def _has_filepass(head: bytes) -> bool:
    """True when a FILEPASS record (0x002F) follows the BOF among a workbook's first records."""
    offset = 0
    for _ in range(4):
        if offset + 4 > len(head):
            return False
        kind, length = struct.unpack_from("<HH", head, offset)
        if kind == _FILEPASS:
            return True
        offset += 4 + length
    return False


def _directory(data: bytes) -> tuple[set[str], dict[str, bytes]]:
    if len(data) < 512 or not data.startswith(OLE_MAGIC):
        raise _Damaged
    (shift,) = struct.unpack_from("<H", data, 0x1E)
    if shift not in (9, 12):
        raise _Damaged
    size = 1 << shift
    n_fat, first_dir = struct.unpack_from("<II", data, 0x2C)
    first_difat, n_difat = struct.unpack_from("<II", data, 0x44)
    fat_sectors = list(struct.unpack_from("<109I", data, 0x4C))
    sector = first_difat
    for _ in range(min(n_difat, _MAX_SECTORS)):
        if sector >= _SPECIAL:
            break
        block = _sector(data, sector, size)
        entries = struct.unpack(f"<{size // 4}I", block)
        fat_sectors.extend(entries[:-1])
        sector = entries[-1]
    fat_sectors = [s for s in fat_sectors[: min(n_fat, _MAX_SECTORS)] if s < _SPECIAL]
    fat: list[int] = []
    for s in fat_sectors:
        fat.extend(struct.unpack(f"<{size // 4}I", _sector(data, s, size)))
    names: set[str] = set()
    streams: dict[str, tuple[int, int]] = {}  # main streams: start sector and size
    root_start = _SPECIAL
    for block in _chain(data, fat, first_dir, size):
        for off in range(0, size, _ENTRY):
            entry = block[off : off + _ENTRY]
            (length,) = struct.unpack_from("<H", entry, 0x40)
            kind = entry[0x42]
            if kind not in (1, 2, 5) or not 2 <= length <= 64:
                continue
            name = entry[: length - 2].decode("utf-16-le", errors="replace")
            names.add(name)
            start, stream_size = struct.unpack_from("<II", entry, 0x74)
            if kind == 5:
                root_start = start
            elif name in _MAIN_STREAMS and kind == 2:
                streams[name] = start, stream_size
    heads: dict[str, bytes] = {}
    for name, stream in streams.items():
        try:
            heads[name] = _stream_head(data, fat, size, stream, root_start)
        except _Damaged:
            continue
    return names, heads


def _stream_head(
    data: bytes, fat: list[int], size: int, stream: tuple[int, int], root_start: int
) -> bytes:
    """The first bytes of a stream: its first sector, or (for a stream under 4096 bytes, kept
    in the root's mini stream) its first 64-byte mini sector."""
    start, stream_size = stream
    if stream_size >= 4096:
        return _sector(data, start, size)
    offset = start * 64
    sector = root_start
    for _ in range(offset // size):  # walk the root's chain to the sector holding it
        if sector >= _SPECIAL or sector >= len(fat):
            raise _Damaged
        sector = fat[sector]
    if sector >= _SPECIAL:
        raise _Damaged
    within = offset % size
    return _sector(data, sector, size)[within : within + 64]


def _chain(data: bytes, fat: list[int], start: int, size: int) -> list[bytes]:
    blocks: list[bytes] = []
    seen: set[int] = set()
    sector = start
    while sector < _SPECIAL:
        if sector in seen or len(seen) >= _MAX_SECTORS or sector >= len(fat):
            raise _Damaged
        seen.add(sector)
        blocks.append(_sector(data, sector, size))
        sector = fat[sector]
    return blocks


def _sector(data: bytes, sector: int, size: int) -> bytes:
    offset = (sector + 1) * size
    block = data[offset : offset + size]
    if len(block) < size:
        raise _Damaged
    return block
