"""GB/T 9704-2012 page geometry and the text rules the writer and the verifier share.

All lengths are twips (1/20 pt, 1/1440 inch; 1 mm = 56.69 twips), the unit of WordprocessingML.

Arithmetic (A4 210 × 297 mm; margins top 37, bottom 35, left 28, right 26 mm):

- text area: 297 − 37 − 35 = 225 mm high (12756 twips), 210 − 28 − 26 = 156 mm wide (8844 twips);
- 22 lines: 12756 / 22 = 579.8 twips; exact line spacing and ``linePitch`` of 579 twips (28.95 pt)
  fit 22 lines (22 × 579 = 12738 ≤ 12756) and not 23 (13317 > 12756);
- 28 characters of 3号 (16 pt = 320 twips): 28 × 320 = 8960 > 8844, so characters must be set a
  little tighter than their size: 8844 / 28 = 315.86 twips (15.79 pt) at most. Word's usual way is
  a character grid (``linesAndChars`` with ``charSpace`` = (15.79 − 16) × 4096 = −849), but
  LibreOffice puts every 16 pt glyph into two 15.79 pt grid cells and shows 14 characters a line.
  So the grid is a line grid (``type="lines"``) and the 16 pt styles are condensed by 5 twips
  (``w:spacing w:val=-5``, 0.25 pt): 28 × 15.75 pt = 441 pt fits the 442.2 pt line in Word and
  LibreOffice alike (−4 twips would give 27.99, i.e. 27 characters);
- first-line indent of two characters: ``firstLineChars=200`` (hundredths of a character) plus
  ``firstLine=640`` twips (2 × 16 pt) for readers that ignore the character unit;
- page number: 4号 (14 pt); its line sits 7 mm below the text area, so the footer distance from
  the page edge is 35 − 7 = 28 mm.
"""

from __future__ import annotations

import datetime as dt
import math
import re

MM = 1440 / 25.4  # twips per millimetre


def mm(value: float) -> int:
    return round(value * MM)


PAGE_WIDTH, PAGE_HEIGHT = mm(210), mm(297)  # 11906 × 16838
MARGINS = {"top": mm(37), "bottom": mm(35), "left": mm(28), "right": mm(26)}
HEADER_DISTANCE, FOOTER_DISTANCE = mm(15), mm(28)
TEXT_WIDTH = PAGE_WIDTH - MARGINS["left"] - MARGINS["right"]  # 8844
TEXT_HEIGHT = PAGE_HEIGHT - MARGINS["top"] - MARGINS["bottom"]  # 12756
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28
BODY_PT, TITLE_PT, PAGE_NUMBER_PT = 16, 22, 14
LINE_PITCH = TEXT_HEIGHT // LINES_PER_PAGE  # 579
GRID_TYPE = "lines"
# The widest per-character spacing (whole twips) that fits 28 characters: -5 (0.25 pt).
CONDENSE = math.floor(TEXT_WIDTH / CHARS_PER_LINE - BODY_PT * 20)
INDENT_CHARS = 200  # two characters, in hundredths
INDENT_TWIPS = 2 * BODY_PT * 20  # 640
TITLE_LINE_CHARS = 20  # 442 pt / 22 pt per character
TOLERANCE = mm(0.5)  # what the verifier forgives in page size and margins


def lines_per_page(text_height: int, line: int) -> int:
    return text_height // line if line > 0 else 0


def chars_per_line(text_width: int, pitch: float) -> int:
    """Characters of ``pitch`` twips on a line. A character grid's pitch is the default size
    plus ``charSpace``/4096 pt; without one it is the font size plus the character spacing."""
    return math.floor(text_width / pitch + 1e-9) if pitch > 0 else 0


def grid_pitch(default_pt: float, char_space: int) -> float:
    return (default_pt + char_space / 4096) * 20


# Characters XML 1.0 cannot carry (C0 controls but tab and newline, lone surrogates, U+FFFE/F).
_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean(text: str) -> str:
    """Text safe for a .docx: XML-invalid characters dropped, CR LF as LF, tabs as spaces."""
    return _INVALID.sub("", text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " "))


_CN = "一二三四五六七八九十"
# 一、 → （一） → 1. → （1）, the four levels of GB/T 9704 §7.3.3.
HEADING_MARKERS: tuple[tuple[re.Pattern[str], int], ...] = (
    (re.compile(rf"^[{_CN}]+、(?![{_CN}])"), 1),
    (re.compile(rf"^[（(][{_CN}]+[）)]"), 2),
    (re.compile(r"^\d{1,2}[.．](?!\d)"), 3),
    (re.compile(r"^[（(]\d{1,2}[）)]"), 4),
)
_LEAD_END = re.compile(r"[。！？；：]")


def heading_level(line: str) -> int:
    """1–4 when ``line`` starts with a heading number, else 0."""
    for pattern, level in HEADING_MARKERS:
        if pattern.match(line):
            return level
    return 0


def split_lead(line: str) -> tuple[str, str]:
    """(heading, rest) of a numbered line such as ``（一）加强领导。各级党组织要……``.

    The heading is set in its level's font and the sentences after it in the body font, as a
    run-in heading is in printed 公文. A line without a sentence end is all heading.
    """
    m = _LEAD_END.search(line)
    if m is None or m.end() == len(line):
        return line, ""
    return line[: m.end()], line[m.end() :]


def chinese_date(day: dt.date) -> str:
    """成文日期 in Arabic numerals, no leading zeros (GB/T 9704 §7.3.5.1): 2025年8月20日."""
    return f"{day.year}年{day.month}月{day.day}日"


DATE_PATTERN = re.compile(r"^\d{4}年[1-9]\d?月[1-9]\d?日$")


def text_width(text: str) -> float:
    """Width in characters: ASCII (digits of a date) is half a character wide."""
    return sum(0.5 if ord(ch) < 128 else 1.0 for ch in text)


def signature_indents(organization: str, date: str) -> tuple[float, float]:
    """Right indents in characters of 落款 and 成文日期 (GB/T 9704 §7.3.5.1, sealed form).

    The date stands four characters from the right edge and the organisation is centred over
    it; an organisation too long for that keeps two characters from the edge and the date is
    centred under it instead.
    """
    org_w, date_w = text_width(organization), text_width(date)
    date_right = 4.0
    org_right = date_right + (date_w - org_w) / 2
    if org_right < 2:
        org_right = 2.0
        date_right = org_right + (org_w - date_w) / 2
    return round(org_right, 2), round(date_right, 2)
