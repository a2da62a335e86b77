"""Legacy and WPS files (.doc .wps .xls .et .ppt .dps), written by LibreOffice from files we
generate, read through the loader registry; corrupt, encrypted, renamed, oversized ones and a
converter that hangs or is missing each get one clear line."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest

from assistant.domain import BlockKind
from assistant.ingest.convert import SOFFICE_ENV, ConverterMissing, ConvertTimeout
from assistant.ingest.errors import EncryptedFile, IngestError
from assistant.ingest.limits import MB, OverLimit, ParseLimits
from assistant.ingest.loaders import load_bytes, load_file
from assistant.ingest.ole import ole_family
from assistant.uploads.errors import Encrypted, Unreadable
from assistant.uploads.reading import ReadBounds, read_upload
from assistant.uploads.sniff import sniff
from tests.legacy import (
    BODY,
    TITLE,
    convert,
    hanging_soffice,
    legacy_doc,
    legacy_ppt,
    legacy_xls,
    locked_doc,
    locked_ppt,
    locked_xls,
    report_docx,
)

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@pytest.fixture(scope="module")
def doc() -> bytes:
    return legacy_doc()


@pytest.fixture(scope="module")
def xls() -> bytes:
    return legacy_xls()


@pytest.fixture(scope="module")
def ppt() -> bytes:
    return legacy_ppt()


@pytest.mark.parametrize("suffix", [".doc", ".wps"])
def test_a_text_document_keeps_title_headings_body_and_tables(doc: bytes, suffix: str) -> None:
    loaded = load_bytes(doc, path=Path(f"纪要{suffix}"))
    assert loaded.meta.title == TITLE and loaded.meta.year == 2024
    blocks = [(b.kind, b.level, b.text) for b in loaded.blocks]
    assert blocks == [
        (BlockKind.HEADING, 1, "一、基本情况"),
        (BlockKind.PARAGRAPH, None, BODY),
        (BlockKind.TABLE_ROW, None, "指标：参学党员；数值：156"),
        (BlockKind.PARAGRAPH, None, "下一步，我们将继续抓好落实。"),
    ]


@pytest.mark.parametrize("suffix", [".xls", ".et"])
def test_a_sheet_keeps_its_rows(xls: bytes, suffix: str) -> None:
    loaded = load_bytes(xls, path=Path(f"统计{suffix}"))
    assert [b.text for b in loaded.blocks] == [
        "指标：参学党员；数值：156",
        "指标：中心组学习；数值：12",
    ]
    assert {b.context for b in loaded.blocks} == {"指标"}


@pytest.mark.parametrize("suffix", [".ppt", ".dps"])
def test_a_slide_deck_gives_its_text(ppt: bytes, suffix: str) -> None:
    loaded = load_bytes(ppt, path=Path(f"汇报{suffix}"))
    assert loaded.meta.title == "工作要点汇报"
    assert [(b.kind, b.text) for b in loaded.blocks] == [
        (BlockKind.PARAGRAPH, "全年召开会议12次。"),
        (BlockKind.HEADING, "第二页：覆盖全体党员。"),
    ]


def test_a_pptx_is_read_in_presentation_order_and_checked(ppt: bytes) -> None:
    pptx = convert(ppt, ".ppt", "pptx")
    assert sniff(pptx, "汇报.pptx") == "pptx" and sniff(pptx, "汇报.docx") == "pptx"
    loaded = load_bytes(pptx, path=Path("汇报.pptx"))
    assert [b.text for b in loaded.blocks] == ["全年召开会议12次。", "第二页：覆盖全体党员。"]
    with pytest.raises(IngestError, match=r"not a PowerPoint file \(no slides"):
        load_bytes(_zip({"[Content_Types].xml": "presentationml"}), path=Path("空.pptx"))


def _zip(parts: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, text in parts.items():
            zf.writestr(name, text)
    return out.getvalue()


def test_compound_files_are_sniffed_by_what_they_hold(doc: bytes, xls: bytes, ppt: bytes) -> None:
    assert ole_family(doc) == "word" and ole_family(xls) == "sheet" and ole_family(ppt) == "slides"
    assert sniff(doc, "纪要.doc") == "doc" and sniff(doc, "纪要.wps") == "wps"
    assert sniff(xls, "统计.xls") == "xls" and sniff(xls, "统计.et") == "et"
    assert sniff(ppt, "汇报.dps") == "dps" and sniff(ppt, "汇报.bin") == "ppt"
    # Renamed: the content decides, the name only between two names of one kind.
    assert sniff(doc, "纪要.txt") == "doc" and sniff(doc, "纪要.xls") == "doc"
    assert sniff(xls, "统计.docx") == "xls"


def test_renamed_files_are_read_as_what_they_are(tmp_path: Path, xls: bytes) -> None:
    # WPS saves a .docx under .doc/.wps at times; a sheet may be named .doc.
    as_doc = tmp_path / "其实是docx.doc"
    as_doc.write_bytes(report_docx())
    assert load_file(as_doc, max_bytes=MB).meta.title == TITLE
    sheet_as_doc = tmp_path / "其实是表格.doc"
    sheet_as_doc.write_bytes(xls)
    assert load_file(sheet_as_doc, max_bytes=MB).blocks[0].kind is BlockKind.TABLE_ROW


def _encrypted_word(doc: bytes) -> bytes:
    """``doc`` with the FIB's fEncrypted flag set (a password-protected Word 97 file)."""
    fib = next(i for i in range(512, len(doc), 64) if doc[i : i + 2] == b"\xec\xa5")
    flags = int.from_bytes(doc[fib + 10 : fib + 12], "little") | 0x0100
    return doc[: fib + 10] + flags.to_bytes(2, "little") + doc[fib + 12 :]


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("a.doc", b"just text named .doc", "not a .doc file (no OLE compound file header"),
        ("a.wps", OLE + b"\x00" * 600, "corrupt .wps file (its compound file cannot be read)"),
        ("a.et", OLE + b"\xff" * 4000, "corrupt .et file"),
    ],
)
def test_corrupt_files_give_one_clear_line(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    f = tmp_path / name
    f.write_bytes(content)
    with pytest.raises(IngestError) as info:
        load_file(f, max_bytes=MB)
    assert str(info.value).startswith(str(f)) and reason in str(info.value)


def test_an_encrypted_document_is_refused_before_conversion(doc: bytes) -> None:
    locked = _encrypted_word(doc)
    assert ole_family(locked) == "encrypted"
    with pytest.raises(EncryptedFile, match=r"^密\.doc: \.doc 文件设有打开密码（已加密）"):
        load_bytes(locked, path=Path("密.doc"))
    with pytest.raises(Encrypted):
        sniff(locked, "密.doc")


def _encrypted_sheet(xls: bytes) -> bytes:
    """``xls`` with a FILEPASS record right after its BOF (a password-protected workbook)."""
    bof = xls.index(b"\x09\x08\x10\x00", 512)  # BOF, BIFF8, 16 bytes
    return xls[: bof + 20] + b"\x2f\x00" + xls[bof + 22 :]


def test_an_encrypted_sheet_is_refused_before_conversion(xls: bytes) -> None:
    locked = _encrypted_sheet(xls)
    assert ole_family(locked) == "encrypted"
    with pytest.raises(EncryptedFile, match=r"^密\.et: \.et 文件设有打开密码（已加密）"):
        load_bytes(locked, path=Path("密.et"))


@pytest.fixture(scope="module")
def locked() -> dict[str, bytes]:
    """Password-protected files LibreOffice wrote (a deck: marked encrypted as PowerPoint and
    WPS mark one, LibreOffice's .ppt export keeping no password)."""
    doc, xls = locked_doc(), locked_xls()
    return {".doc": doc, ".wps": doc, ".xls": xls, ".et": xls}


@pytest.mark.parametrize("suffix", [".doc", ".wps", ".xls", ".et"])
def test_a_password_protected_file_is_refused_as_encrypted_unconverted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, locked: dict[str, bytes], suffix: str
) -> None:
    data = locked[suffix]
    assert ole_family(data) == "encrypted"
    # A converter that would hang: the refusal comes before LibreOffice is started.
    monkeypatch.setenv(SOFFICE_ENV, str(hanging_soffice(tmp_path)))
    f = tmp_path / f"加密的材料{suffix}"
    f.write_bytes(data)
    started = time.monotonic()
    with pytest.raises(EncryptedFile) as info:
        load_file(f, max_bytes=MB, limits=ParseLimits(convert_seconds=30))
    assert time.monotonic() - started < 5
    assert str(info.value) == (
        f"{f}: {suffix} 文件设有打开密码（已加密），读不出其中的文字。"
        "请用 WPS 等办公软件输入密码打开它，取消密码后另存，再上传另存的文件"
    )
    assert info.value.code == "encrypted" and info.value.status == 422
    with pytest.raises(Encrypted):
        sniff(data, f.name)


@pytest.mark.parametrize("suffix", [".ppt", ".dps"])
def test_a_password_protected_deck_is_refused_as_encrypted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ppt: bytes, suffix: str
) -> None:
    data = locked_ppt(ppt)
    assert ole_family(ppt) == "slides" and ole_family(data) == "encrypted"
    monkeypatch.setenv(SOFFICE_ENV, str(hanging_soffice(tmp_path)))
    with pytest.raises(EncryptedFile, match=rf"^汇报{suffix}: \{suffix} 文件设有打开密码"):
        load_bytes(data, path=Path(f"汇报{suffix}"), limits=ParseLimits(convert_seconds=30))
    with pytest.raises(Encrypted):
        sniff(data, f"汇报{suffix}")
    # In the parse worker, as an upload: the refusal names the file and what to do.
    with pytest.raises(Encrypted) as info:
        read_upload(data, f"汇报{suffix}", suffix[1:], proposals=False, bounds=ReadBounds())
    assert str(info.value) == (
        f"“汇报{suffix}”设有打开密码（已加密），读不出其中的文字。"
        "请用 WPS 等办公软件输入密码打开它，取消密码后另存，再上传另存的文件。"
    )


def test_an_oversized_file_is_refused_unread(tmp_path: Path, doc: bytes) -> None:
    f = tmp_path / "大.doc"
    f.write_bytes(doc + b"\0" * MB)
    with pytest.raises(IngestError, match=r"over the 1 MB limit"):
        load_file(f, max_bytes=MB)


def test_a_hanging_conversion_is_stopped_at_its_limit_with_its_children(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, doc: bytes
) -> None:
    script = hanging_soffice(tmp_path)
    pid_file = f"echo $$ > {tmp_path}/pid\nsleep 600 &"
    script.write_text(script.read_text().replace("sleep 600 &", pid_file))
    monkeypatch.setenv(SOFFICE_ENV, str(script))
    started = time.monotonic()
    with pytest.raises(ConvertTimeout, match=r"longer than 1.5 s \(the limit\) and was stopped"):
        load_bytes(doc, path=Path("卡住.doc"), limits=ParseLimits(convert_seconds=1.5))
    assert time.monotonic() - started < 5
    group = int((tmp_path / "pid").read_text())
    assert _alive_in_group(group) == []  # the background sleep went with the group


def _alive_in_group(group: int) -> list[int]:
    """Processes of the group that still run (a zombie waiting for its reaper does not)."""
    deadline = time.monotonic() + 2
    while True:
        alive = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == group and fields[0] != "Z":
                alive.append(int(stat.parent.name))
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.05)


def test_a_hanging_upload_conversion_is_a_422_naming_the_limit(tmp_path: Path, doc: bytes) -> None:
    # In the parse worker: the command travels in the limits (the worker's environment is the
    # fork server's), and the worker's own time limit leaves the conversion its time.
    limits = ParseLimits(convert_seconds=1.0, converter=str(hanging_soffice(tmp_path)))
    bounds = ReadBounds(limits=limits)
    started = time.monotonic()
    with pytest.raises(
        Unreadable, match=r"^纪要\.doc: converting the \.doc file took longer than 1 s"
    ):
        read_upload(doc, "纪要.doc", "doc", proposals=True, bounds=bounds)
    assert time.monotonic() - started < 10


@pytest.mark.parametrize(
    ("suffix", "package"), [(".doc", "libreoffice-writer-nogui"), (".et", "libreoffice-calc-nogui")]
)
def test_without_libreoffice_the_refusal_says_what_to_install(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    doc: bytes,
    xls: bytes,
    suffix: str,
    package: str,
) -> None:
    monkeypatch.delenv(SOFFICE_ENV, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    data = doc if suffix == ".doc" else xls
    with pytest.raises(ConverterMissing) as info:
        load_bytes(data, path=Path(f"旧{suffix}"))
    message = str(info.value)
    assert f"install {package}" in message and f"需要安装 LibreOffice（{package}）" in message


def test_a_conversion_larger_than_the_package_limit_is_refused(doc: bytes) -> None:
    with pytest.raises(OverLimit, match=r"the \.doc file converts to 0 MB, over the limit of 0 MB"):
        load_bytes(doc, path=Path("大.doc"), limits=ParseLimits(max_total_bytes=1000))
