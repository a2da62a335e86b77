"""Every legacy, WPS and OOXML type in the bad-input matrix (issue 19): corrupt, encrypted,
oversized, renamed, a conversion that hangs — each refused (or read as what it is) with one
clear line naming the file, before LibreOffice is started where the file can be judged first."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from assistant.ingest.convert import SOFFICE_ENV, ConvertTimeout
from assistant.ingest.errors import EncryptedFile, IngestError
from assistant.ingest.limits import MB, ParseLimits
from assistant.ingest.loaders import load_bytes, load_file
from assistant.ingest.ole import ole_family
from assistant.uploads.errors import Encrypted
from assistant.uploads.sniff import sniff
from tests.legacy import hanging_soffice, legacy_doc, legacy_ppt, legacy_xls

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
FAMILY = {".doc": "word", ".wps": "word", ".xls": "sheet", ".et": "sheet"}
FAMILY |= {".ppt": "slides", ".dps": "slides"}
LEGACY = tuple(FAMILY)


@pytest.fixture(scope="module")
def files() -> dict[str, bytes]:
    """A real file of each legacy type (WPS's are the same compound files as Office's)."""
    doc, xls, ppt = legacy_doc(), legacy_xls(), legacy_ppt()
    return {".doc": doc, ".wps": doc, ".xls": xls, ".et": xls, ".ppt": ppt, ".dps": ppt}


@pytest.mark.parametrize("suffix", LEGACY)
def test_a_corrupt_file_is_refused_before_conversion(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    monkeypatch.setenv(SOFFICE_ENV, str(hanging_soffice(tmp_path)))  # never reached
    f = tmp_path / f"坏{suffix}"
    f.write_bytes(OLE + b"\xff" * 4000)
    started = time.monotonic()
    with pytest.raises(IngestError) as info:
        load_file(f, max_bytes=MB, limits=ParseLimits(convert_seconds=30))
    assert time.monotonic() - started < 5
    assert str(info.value) == f"{f}: corrupt {suffix} file (its compound file cannot be read)"


@pytest.mark.parametrize("suffix", LEGACY)
def test_an_oversized_file_is_refused_unread(
    tmp_path: Path, files: dict[str, bytes], suffix: str
) -> None:
    f = tmp_path / f"大{suffix}"
    f.write_bytes(files[suffix] + b"\0" * MB)
    with pytest.raises(IngestError, match=r"over the 1 MB limit"):
        load_file(f, max_bytes=MB)


@pytest.mark.parametrize("suffix", LEGACY)
def test_a_file_under_another_name_is_read_as_what_it_holds(
    files: dict[str, bytes], suffix: str
) -> None:
    data = files[suffix]
    assert ole_family(data) == FAMILY[suffix]
    for other in (*LEGACY, ".txt", ".docx", ".bin"):
        kind = sniff(data, f"改名{other}")
        # The content decides the family; the name only chooses between its two names.
        assert FAMILY[f".{kind}"] == FAMILY[suffix], (suffix, other, kind)


@pytest.mark.parametrize("suffix", LEGACY)
def test_a_conversion_that_hangs_is_stopped_at_its_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, bytes], suffix: str
) -> None:
    monkeypatch.setenv(SOFFICE_ENV, str(hanging_soffice(tmp_path)))
    started = time.monotonic()
    with pytest.raises(ConvertTimeout) as info:
        load_bytes(files[suffix], path=Path(f"卡住{suffix}"), limits=ParseLimits(convert_seconds=1))
    assert time.monotonic() - started < 5
    assert str(info.value) == (
        f"卡住{suffix}: converting the {suffix} file took longer than 1 s (the limit) "
        "and was stopped"
    )


def _as_encrypted_package(doc: bytes) -> bytes:
    """A compound file like the one Office wraps a password-protected .docx/.xlsx/.pptx in:
    ``doc``'s WordDocument stream renamed EncryptedPackage (the directory names what it holds)."""
    old = "WordDocument".encode("utf-16-le") + b"\0\0"
    new = "EncryptedPackage".encode("utf-16-le") + b"\0\0"
    at = doc.index(old)
    entry = at - at % 128  # the directory entry: the name's 64 bytes, then its length
    assert doc[entry + 0x40 : entry + 0x42] == len(old).to_bytes(2, "little")
    name = new.ljust(64, b"\0")
    return doc[:entry] + name + len(new).to_bytes(2, "little") + doc[entry + 0x42 :]


@pytest.mark.parametrize("suffix", [".docx", ".xlsx", ".pptx"])
def test_a_password_protected_ooxml_file_is_refused_as_encrypted(
    files: dict[str, bytes], suffix: str
) -> None:
    data = _as_encrypted_package(files[".doc"])
    assert ole_family(data) == "encrypted"
    with pytest.raises(EncryptedFile) as info:
        load_bytes(data, path=Path(f"加密{suffix}"))
    assert str(info.value).startswith(f"加密{suffix}: {suffix} 文件设有打开密码（已加密）")
    with pytest.raises(Encrypted):
        sniff(data, f"加密{suffix}")
