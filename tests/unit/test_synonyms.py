"""Query expansion from the 公文 synonym table, and what it does to a real search."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.retrieval.synonyms import SynonymTable, default_table, expand
from assistant.services import Services
from tests.conftest import write


def test_everyday_words_are_expanded_to_gongwen_wording() -> None:
    assert "地区生产总值" in expand("去年北京经济增速是多少").added
    assert "地区生产总值" in expand("今年gdp目标").added  # Latin in any case
    assert "群众" in expand("老百姓最关心什么").added
    assert "资金" in expand("这笔钱从哪来").added
    assert "碳达峰碳中和" in expand("双碳工作进展").added
    # entries added on the tuning split (retrieval_tuning.yaml)
    assert "负债率" in expand("政府欠债占GDP比例控制在多少").added
    assert "农村公路" in expand("农村的路修了多少公里").added


def test_words_already_in_the_query_are_not_added_again() -> None:
    e = expand("地区生产总值 GDP 增长")
    assert "地区生产总值" not in e.added
    assert e.matched == ("gdp",)


def test_a_query_with_no_table_word_is_left_alone() -> None:
    e = expand("关于印发国务院工作规则的通知")
    assert e.added == () and e.bm25_text == "关于印发国务院工作规则的通知"


def test_the_longest_word_wins_and_latin_words_match_whole() -> None:
    table = SynonymTable.parse("user\tdocument\n增速\t增长\n经济增速\t生产总值增长\nAI\t人工智能\n")
    assert table.expand("经济增速").added == ("生产总值增长",)  # not also 增长 for 增速 inside it
    assert table.expand("email 里的 mail").added == ()
    assert table.expand("AI大模型").added == ("人工智能",)


def test_a_malformed_line_names_itself() -> None:
    with pytest.raises(ValueError, match="line 2"):
        SynonymTable.parse("# comment\n没有制表符的行\n")


def test_the_shipped_table_parses_and_never_maps_a_word_to_itself() -> None:
    table = default_table()
    assert len(table.entries) > 100
    for user, wordings in table.entries:
        assert wordings and user not in {w.lower() for w in wordings}


GROWTH = """---
title: "临江市2025年政府工作报告"
year: 2025
genre: "政府工作报告"
---
一、过去一年的工作
全市地区生产总值增长5.6%，一般公共预算收入增长4.1%。
"""

OTHER = """---
title: "临江市经济运行分析会议纪要"
year: 2025
genre: "纪要"
---
会议听取了经济运行情况汇报，研究了下一步经济工作安排。
"""


def test_keyword_search_finds_the_document_wording_for_a_users_word(
    services: Services, tmp_path: Path
) -> None:
    root = tmp_path / "docs"
    write(root / "report.md", GROWTH)
    write(root / "minutes.md", OTHER)
    assert services.indexer.index([root]).ok
    hits = services.searcher.search("临江经济增速怎么样", k=2, mode="bm25")
    assert hits and hits[0].source.endswith("report.md")
