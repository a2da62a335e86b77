"""Test files in legacy and WPS formats, written by LibreOffice itself from files we generate.

A .doc is LibreOffice's "MS Word 97" export of a generated .docx; a .wps is the same bytes (WPS
text files are Word 97 compound files); .xls and .et likewise from an .xlsx; .ppt and .dps from a
flat ODP. Tests that need them skip, naming what to install, only where LibreOffice is absent
(CI installs it: .ci/run).
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import docx
import openpyxl
import pytest

SOFFICE = shutil.which("soffice")
_PROGRAM = Path(SOFFICE).resolve().parent if SOFFICE else None
HAS_CALC = _PROGRAM is not None and (_PROGRAM / "libsclo.so").exists()
HAS_IMPRESS = _PROGRAM is not None and (_PROGRAM / "libsdlo.so").exists()


def _missing(package: str) -> str:
    return f"LibreOffice ({package}) is not installed: apt-get install {package}"


def need(package: str = "libreoffice-writer-nogui") -> None:
    """Skip (fail on CI) when LibreOffice, or the part of it ``package`` installs, is absent."""
    present = {
        "libreoffice-writer-nogui": SOFFICE is not None,
        "libreoffice-calc-nogui": HAS_CALC,
        "libreoffice-impress-nogui": HAS_IMPRESS,
    }[package]
    if not present:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must have {package} (.ci/run installs it)")
        pytest.skip(_missing(package))


def convert(data: bytes, suffix: str, target: str) -> bytes:
    """``data`` (a ``suffix`` file) converted by LibreOffice to ``target`` (a filter or suffix)."""
    assert SOFFICE is not None
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / f"source{suffix}"
        src.write_bytes(data)
        subprocess.run(
            [
                SOFFICE,
                "--headless",
                f"-env:UserInstallation={(Path(tmp) / 'profile').as_uri()}",
                "--convert-to",
                target,
                "--outdir",
                str(Path(tmp) / "out"),
                str(src),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        return (Path(tmp) / "out" / f"source.{target.split(':')[0]}").read_bytes()


TITLE = "关于2024年党建工作情况的汇报"
BODY = "今年以来，我们共召开中心组学习会12次，覆盖党员156名。"


def report_docx() -> bytes:
    """A small report: title, a level-1 heading, body, a table (and text after it: a .doc
    export drops a table that ends the document)."""
    document = docx.Document()
    document.add_heading(TITLE, 0)
    document.add_heading("一、基本情况", 1)
    document.add_paragraph(BODY)
    table = document.add_table(rows=2, cols=2)
    for (r, c), text in {(0, 0): "指标", (0, 1): "数值", (1, 0): "参学党员", (1, 1): "156"}.items():
        table.cell(r, c).text = text
    document.add_paragraph("下一步，我们将继续抓好落实。")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def sheet_xlsx() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "指标"
    ws.append(["指标", "数值"])
    ws.append(["参学党员", 156])
    ws.append(["中心组学习", 12])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


SLIDES_FODP = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" office:version="1.2"
 office:mimetype="application/vnd.oasis.opendocument.presentation">
<office:body><office:presentation>
<draw:page draw:name="p1"><draw:frame svg:x="2cm" svg:y="2cm" svg:width="20cm"
 svg:height="3cm"><draw:text-box><text:p>工作要点汇报</text:p>
<text:p>全年召开会议12次。</text:p></draw:text-box></draw:frame></draw:page>
<draw:page draw:name="p2"><draw:frame svg:x="2cm" svg:y="2cm" svg:width="20cm"
 svg:height="3cm"><draw:text-box><text:p>第二页：覆盖全体党员。</text:p></draw:text-box>
</draw:frame></draw:page>
</office:presentation></office:body></office:document>
"""


def legacy_doc() -> bytes:
    need()
    return convert(report_docx(), ".docx", "doc:MS Word 97")


def legacy_xls() -> bytes:
    need("libreoffice-calc-nogui")
    return convert(sheet_xlsx(), ".xlsx", "xls:MS Excel 97")


def legacy_ppt() -> bytes:
    need("libreoffice-impress-nogui")
    return convert(SLIDES_FODP.encode(), ".fodp", "ppt:MS PowerPoint 97")


HANGING_SOFFICE = """#!/bin/sh
# Stands in for soffice: a conversion that never ends (and a child that would outlive it).
sleep 600 &
sleep 600
"""


def hanging_soffice(folder: Path) -> Path:
    script = folder / "soffice"
    script.write_text(HANGING_SOFFICE)
    script.chmod(0o755)
    return script


# A Basic macro in the converting profile saves a copy with a password: LibreOffice writes
# real password-protected .doc and .xls (RC4 CryptoAPI). Its .ppt export ignores the password
# (and 7.4's .docx export too), so a deck is locked by hand below.
_ENCRYPT_MACRO = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1"
 script:language="StarBasic">
Sub SaveLocked(src As String, dst As String, filter As String)
  Dim load(0) As New com.sun.star.beans.PropertyValue
  load(0).Name = &quot;Hidden&quot;
  load(0).Value = True
  doc = StarDesktop.loadComponentFromURL(ConvertToURL(src), &quot;_blank&quot;, 0, load())
  Dim store(1) As New com.sun.star.beans.PropertyValue
  store(0).Name = &quot;FilterName&quot;
  store(0).Value = filter
  store(1).Name = &quot;Password&quot;
  store(1).Value = &quot;mima2024&quot;
  doc.storeToURL(ConvertToURL(dst), store())
  doc.close(True)
End Sub
</script:module>
"""


def password_protected(data: bytes, suffix: str, target: str, filter_name: str) -> bytes:
    """``data`` (a ``suffix`` file) saved by LibreOffice as ``target`` with an open password."""
    assert SOFFICE is not None
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        profile = work / "profile"
        src = work / f"source{suffix}"
        src.write_bytes(data)
        run = [SOFFICE, "--headless", f"-env:UserInstallation={profile.as_uri()}"]
        # The first run makes the profile (and its Standard macro library) ...
        subprocess.run(
            [*run, "--convert-to", "txt", "--outdir", str(work / "first"), str(src)],
            check=True,
            capture_output=True,
            timeout=120,
        )
        module = profile / "user" / "basic" / "Standard" / "Module1.xba"
        module.write_text(_ENCRYPT_MACRO, encoding="utf-8")
        out = work / f"locked{target}"
        # ... the second runs the macro from it (My Macros are trusted).
        subprocess.run(
            [*run, f'macro:///Standard.Module1.SaveLocked("{src}","{out}","{filter_name}")'],
            check=True,
            capture_output=True,
            timeout=120,
        )
        return out.read_bytes()


def locked_doc() -> bytes:
    need()
    return password_protected(report_docx(), ".docx", ".doc", "MS Word 97")


def locked_xls() -> bytes:
    need("libreoffice-calc-nogui")
    return password_protected(sheet_xlsx(), ".xlsx", ".xls", "MS Excel 97")


_PPT_CLEAR = (0xE391C05F).to_bytes(4, "little")
_PPT_LOCKED = (0xF3D1C4DF).to_bytes(4, "little")


def locked_ppt(ppt: bytes) -> bytes:
    """``ppt`` marked encrypted as PowerPoint and WPS mark a password-protected deck: the
    CurrentUserAtom's headerToken 0xF3D1C4DF ([MS-PPT] 2.3.2) in the Current User stream."""
    assert ppt.count(_PPT_CLEAR) == 1
    return ppt.replace(_PPT_CLEAR, _PPT_LOCKED)
