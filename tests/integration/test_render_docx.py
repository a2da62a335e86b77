"""The export as a person sees it: LibreOffice renders it to PDF, and the pages are read back.

Checks the page count and that a full page of body text holds 22 lines of 28 characters (GB/T
9704-2012 §5.2.2). LibreOffice, poppler's pdftotext and a CJK font are Debian packages that
`.ci/run` installs; without them the test is skipped locally and fails in CI.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from assistant.export.gbt9704 import write_docx
from assistant.export.model import ExportReport, ExportSection

pytestmark = pytest.mark.slow
# Plain CJK text with no punctuation, so line breaks are the grid's alone (no kinsoku rules).
_HAN = (
    "党委坚持以人民为中心的发展思想全面推进各项工作落实见效群众满意度持续提升基层治理能力不断增强"
)


def _tools() -> tuple[str, str]:
    soffice, pdftotext = shutil.which("soffice"), shutil.which("pdftotext")
    if soffice is None or pdftotext is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must have LibreOffice and poppler-utils (.ci/run installs them)")
        pytest.skip("LibreOffice (soffice) or pdftotext not installed")
    return soffice, pdftotext


def render(data: bytes, tmp_path: Path) -> Path:
    soffice, _ = _tools()
    docx = tmp_path / "report.docx"
    docx.write_bytes(data)
    profile = tmp_path / "lo-profile"  # a private profile: parallel runs never share one
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(docx),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / "report.pdf"
    assert pdf.exists(), "LibreOffice wrote no PDF"
    return pdf


def page_lines(pdf: Path, page: int) -> list[str]:
    _, pdftotext = _tools()
    out = subprocess.run(
        [pdftotext, "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
        check=True,
        capture_output=True,
        timeout=60,
        text=True,
    ).stdout
    return [ln.strip() for ln in out.splitlines() if ln.strip()]


def han(line: str) -> int:
    return len(re.findall(r"[\u4e00-\u9fff]", line))


def test_a_full_page_holds_22_lines_of_28_characters(tmp_path: Path) -> None:
    body = (_HAN * 60)[: 28 * 22 * 3]  # three pages' worth in one paragraph
    report = ExportReport(
        title="关于排版测试的报告",
        sections=[ExportSection("body", "", body)],
    )
    pdf = render(write_docx(report), tmp_path)
    pages = len(PdfReader(pdf).pages)
    assert 3 <= pages <= 4
    # Page 2 is body text only: every line full, 22 of them, plus the page number "— 2 —".
    lines = page_lines(pdf, 2)
    text_lines = [ln for ln in lines if han(ln) > 0]
    assert len(text_lines) == 22, lines
    assert all(han(ln) == 28 for ln in text_lines), [han(ln) for ln in text_lines]
    assert any(re.fullmatch(r"[—－-]\s*2\s*[—－-]", ln) for ln in lines), lines


def test_page_count_follows_the_text(tmp_path: Path) -> None:
    one_page = ExportReport(title="短报告", sections=[ExportSection("body", "", _HAN[:200])])
    pdf = render(write_docx(one_page), tmp_path)
    assert len(PdfReader(pdf).pages) == 1


def test_the_first_page_is_not_left_empty_by_headings_kept_with_their_text(
    tmp_path: Path,
) -> None:
    """A part whose layers are run-in headings (（一）强化……。全年……) starts on page 1 under the
    overview; headings kept with the next line had chained the layers and pushed the whole
    一、 block to page 2, leaving page 1 two-thirds empty."""
    layer = "全年组织开展专项检查行动覆盖重点企业和重点领域，发现并督促整改问题隐患。" * 3
    layers = "\n".join(
        f"（{n}）强化{w}监管。{layer}"
        for n, w in zip("一二三四", ["食品", "药品", "价格", "网络交易"], strict=True)
    )
    report = ExportReport(
        title="柳河区市场监督管理局2025年工作总结",
        sections=[
            ExportSection("overview", "", _HAN[:110] + "。现将有关情况报告如下："),
            ExportSection("achievements", "一、主要工作和成效", layers),
            ExportSection("problems", "二、存在的问题", "一是基层执法力量不足。"),
        ],
    )
    pdf = render(write_docx(report), tmp_path)
    assert len(PdfReader(pdf).pages) >= 2
    first = [ln for ln in page_lines(pdf, 1) if han(ln) > 0]
    assert len(first) >= 16, first  # 22 lines a page; the title takes about two
    assert any(ln.startswith("一、主要工作和成效") for ln in first), first
