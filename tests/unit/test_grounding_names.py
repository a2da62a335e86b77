"""Names in a draft: found by shape, grounded in the fact layer, another unit's flagged."""

from __future__ import annotations

import pytest

from assistant.checks.grounding import Evidence, Source, ground
from assistant.checks.name_grounding import foreign_names
from assistant.checks.names import find_names
from assistant.facts.sheet import FactSheet

SHEET = FactSheet.model_validate(
    {
        "report": {
            "title": "中共柳河区委关于主题教育工作情况的汇报",
            "organization": "中共柳河区委",
            "recipient": "云州市委主题教育第一巡回指导组",
            "period": "2024年",
            "date": "2024-08-20",
        },
        "facts": [
            {"key": "书记联系点", "value": "白岩镇南屏村"},
            {"key": "品牌", "value": "柳河毛尖", "note": "区域茶叶品牌"},
        ],
    }
)
EXEMPLAR = Source(
    "E1",
    "青川县委常委班子深入云岭镇调研，打造“云岭云雾”品牌，引进东湖市水务集团，张建华同志带队督导。",
)


def evidence(**kw: object) -> Evidence:
    return Evidence(facts=SHEET, exemplars=[EXEMPLAR], **kw)  # type: ignore[arg-type]


def rules(text: str, ev: Evidence | None = None) -> dict[str, str]:
    _, issues = ground(text, ev or evidence())
    return {i.text: f"{i.rule}/{i.severity}" for i in issues}


@pytest.mark.parametrize(
    ("text", "name", "kind"),
    [
        ("中共云州市委召开会议", "云州市委", "unit"),
        ("深入云岭镇调研", "云岭镇", "place"),
        ("推进滨江干流治理", "滨江干流", "place"),
        ("打造“云岭云雾”品牌", "云岭云雾", "brand"),
        ("引导云岭茶业有限公司带动农户", "云岭茶业有限公司", "unit"),
        ("县委书记李建国同志主持", "李建国", "person"),
        ("在石门村建成服务中心", "石门村", "place"),
    ],
)
def test_names_are_found_by_shape(text: str, name: str, kind: str) -> None:
    assert [(n.text, n.kind) for n in find_names(text)] == [(name, kind)]


@pytest.mark.parametrize(
    "text",
    [
        "全县各乡镇、县直各部门和农村、社区党组织全面参与。",
        "推进美丽乡村、智慧社区和文明城市建设，本市城镇化率提高。",
        "国务院、省委省政府和市委市政府部署的任务全面落实。",
        "县长主持召开会议，张某某同志参加。",
    ],
)
def test_generic_words_are_no_names(text: str) -> None:
    assert find_names(text) == []


def test_the_reports_own_place_its_recipient_and_national_names_pass() -> None:
    text = (
        "柳河区各级党组织和柳河的干部群众认真落实云州市委部署，在白岩镇南屏村建立联系点，"
        "“柳河毛尖”品牌持续打响，学习浙江经验，赴延安接受教育。"
    )
    assert rules(text) == {}


def test_a_name_only_an_exemplar_holds_is_an_error_with_the_own_unit_suggested() -> None:
    text = "中共柳河区委深入云岭镇调研，打造“云岭云雾”品牌，引进东湖市水务集团，张建华同志带队。"
    _, issues = ground(text, evidence())
    found = {i.text: i for i in issues}
    assert {t: i.rule for t, i in found.items()} == {
        "云岭镇": "GR006",
        "云岭云雾": "GR006",
        "东湖市水务集团": "GR006",
        "张建华": "GR006",
    }
    assert all(i.severity == "error" and "其他单位" in i.message for i in issues)
    assert found["云岭镇"].suggestion == "柳河区"
    assert found["东湖市水务集团"].suggestion == "中共柳河区委"
    assert found["张建华"].suggestion == "【待补充：姓名】"


def test_a_bare_stem_of_an_exemplar_name_is_found_by_search() -> None:
    (g,) = foreign_names("依托云岭优质茶叶资源发展产业。", evidence())
    assert (g.name.text, g.status, g.source) == ("云岭", "exemplar", "E1")


def test_a_name_found_nowhere_is_a_warning() -> None:
    assert rules("县委书记深入青岚县调研。") == {"青岚县": "GR008/warning"}


def test_uploads_support_names() -> None:
    ev = evidence(uploads=[Source("S1", "青岚县委来我区考察")])
    assert rules("青岚县委来我区考察茶产业。", ev) == {}


def test_another_units_title_is_an_error_even_when_the_corpus_holds_it() -> None:
    text = "按照《中共青川县委关于深入开展主题教育的实施方案》和《中共云州市委关于主题教育的通知》要求。"
    got = rules(text, evidence(known_title=lambda t: True))
    assert got == {"《中共青川县委关于深入开展主题教育的实施方案》": "GR007/error"}


def test_national_titles_and_laws_are_known_without_the_corpus() -> None:
    text = "按照《中共中央关于加强党的政治建设的意见》和《中华人民共和国水法》，落实《中国共产党纪律处分条例》。"
    assert rules(text) == {}


def test_names_inside_titles_and_placeholders_are_not_checked_twice() -> None:
    # 云州 is the recipient's city: the title is a superior's, only unknown to the corpus.
    text = "【待补充：云岭镇的经验】，见《中共云州市委关于主题教育的通知》。"
    assert rules(text) == {"《中共云州市委关于主题教育的通知》": "GR004/warning"}


def test_a_stem_found_by_search_must_be_a_word_there() -> None:
    ev = Evidence(facts=SHEET, exemplars=[Source("E1", "城关镇党委深入红星村调研。")])
    assert foreign_names("推进县城关键设施建设，红星照耀中国。", ev) == []
    assert [g.name.text for g in foreign_names("城关镇和红星村的经验。", ev)] == [
        "城关镇",
        "红星村",
    ]


def test_a_placeholder_title_is_left_to_proofreading() -> None:
    assert rules("当天印发《【待补充：文件名称】》。") == {}
