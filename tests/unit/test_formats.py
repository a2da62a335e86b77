"""One loader registry: every place that lists the file types we read follows it."""

from __future__ import annotations

import re

from assistant.ingest.formats import FORMATS, SUPPORTED
from assistant.uploads.reading import TABLE_KINDS
from assistant.uploads.sniff import KINDS
from tests.conftest import ROOT


def test_every_format_has_a_loader_or_a_conversion_to_one() -> None:
    for fmt in FORMATS.values():
        assert (fmt.load is None) != (fmt.convert is None), fmt.suffix
        assert fmt.kept and fmt.name


def test_sniffing_and_uploads_know_every_format() -> None:
    assert {f".{k}" for k in KINDS} == set(SUPPORTED)
    assert set(TABLE_KINDS) == {"xlsx", "csv", "xls", "et"}


def test_the_web_page_offers_every_format() -> None:
    html = (ROOT / "assistant" / "web" / "index.html").read_text(encoding="utf-8")
    # the report's upload and the knowledge base's, whatever the order of their attributes
    for field in ("upload-file", "kb-files"):
        tag = re.search(rf'<input[^>]*\bid="{field}"[^>]*>', html)
        assert tag is not None, field
        m = re.search(r'\baccept="([^"]+)"', tag.group(0))
        assert m is not None, field
        assert set(m.group(1).split(",")) == set(SUPPORTED), field


def test_the_readme_lists_every_format() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("### File formats", 1)[1].split("\n\n", 2)[1]
    listed = set(re.findall(r"`(\.[a-z]+)`", table))
    assert listed == set(SUPPORTED)
