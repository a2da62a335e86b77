"""The offline engine writes the user's report from the user's facts: every fact told in its
section with its citation, nothing of the corpus's own units, numbering valid by construction."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from assistant.domain import Draft, Passage
from assistant.drafting.offline import _Framing, framing_phrases
from assistant.drafting.templates import load_templates
from assistant.drafting.themes import THEMES
from assistant.evals.drafting import RecordingEngine, evaluate, told_in
from assistant.evals.foreign import collect, load_corpus_documents
from assistant.facts.sheet import FactSheet
from assistant.services import Services
from tests.conftest import ROOT

CORPUS = ROOT / "corpus"
SHEETS = ROOT / "tests" / "evals" / "drafting_sheets"
TEMPLATES = load_templates()
# Names and subjects of the sample corpus's own units: never in another unit's report.
FOREIGN = ("云岭", "临江", "青川", "东湖", "云州", "主题教育", "防汛", "供水", "茶叶")


@pytest.fixture
def indexed(services: Services) -> Services:
    services.indexer.index([CORPUS], kb="corpus")
    return services


def _report(services: Services, data: dict[str, Any]) -> dict[str, Draft]:
    sheet = FactSheet.model_validate(data)
    template = TEMPLATES[sheet.report.template or ""]
    return {d.section_id: d for d in services.drafter.draft_report(sheet, template)}


MARKET = {
    "report": {
        "template": "工作总结",
        "title": "柳河区市场监督管理局2025年工作总结",
        "organization": "柳河区市场监督管理局",
        "period": "2025年",
        "date": "2025-12-20",
    },
    "facts": [
        {"key": "受理投诉举报", "value": 9720, "unit": "件", "note": "全年通过12315平台受理"},
        {"key": "食品安全抽检", "value": 3150, "unit": "批次"},
        {"key": "抽检合格率", "value": 98.6, "unit": "%"},
        {"key": "查处案件", "value": 412, "unit": "件"},
        {"key": "新增经营主体", "value": 6283, "unit": "户"},
        {"key": "存在问题", "value": "基层执法力量不足；智慧监管覆盖不够"},
        {"key": "明年思路", "value": "建成智慧监管平台二期"},
    ],
}


def test_every_fact_is_told_in_its_section_with_its_citation(indexed: Services) -> None:
    drafts = _report(indexed, MARKET)
    sheet = FactSheet.model_validate(MARKET)
    body = drafts["achievements"]
    for f in sheet.facts[:5]:
        assert told_in(f, body.text), f.key
    assert "基层执法力量不足" in drafts["problems"].text
    assert "智慧监管平台二期" in drafts["plans"].text
    cited = {t for d in drafts.values() for c in d.citations for t in c.targets}
    assert cited == {f"fact:{f.key}" for f in sheet.facts}
    assert "全年通过12315平台受理投诉举报9720件" in body.text  # the note tells the figure's context


def test_the_overview_repeats_headline_figures_cited_and_checked(indexed: Services) -> None:
    drafts = _report(indexed, MARKET)
    overview = drafts["overview"]
    # Two headline figures of the body (a count received, a rate), told again with their
    # markers: the checker holds them against the facts they cite.
    assert "受理投诉举报9720件" in overview.text and "抽检合格率达到98.6%" in overview.text
    cited = {t for c in overview.citations for t in c.targets}
    assert {"fact:受理投诉举报", "fact:抽检合格率"} <= cited
    assert not [i for i in overview.issues if i.severity == "error"]
    assert "存在问题" not in overview.provenance.facts  # never a shortcoming or a plan


def test_the_overview_repeats_no_figure_of_a_later_year(indexed: Services) -> None:
    data = {
        **MARKET,
        "facts": [*MARKET["facts"][:2], {"key": "2026年新增监测点位", "value": 40, "unit": "个"}],
    }
    overview = _report(indexed, data)["overview"].text
    assert "受理投诉举报9720件" in overview
    assert "监测点位" not in overview  # next year's plan is no headline of this year's work


def test_a_survey_describes_what_it_found_without_claiming_work(indexed: Services) -> None:
    sheet = {
        "report": {
            "template": "调研报告",
            "title": "关于东渚区农村生活污水治理情况的调研报告",
            "organization": "东渚区生态环境分局",
            "period": "2026年7—8月",
        },
        "facts": [
            {"key": "全区行政村总数", "value": 186, "unit": "个"},
            {"key": "农村生活污水治理率", "value": 68.3, "unit": "%"},
            {"key": "集中式处理设施", "value": 214, "unit": "座", "note": "已建成"},
            {"key": "存在问题", "value": "部分设施建而不用；运维经费未纳入财政预算"},
        ],
    }
    situation = _report(indexed, sheet)["situation"].text
    assert "186个" in situation and "68.3%" in situation and "214座" in situation
    assert "（一）" not in situation  # a description, not layers of work done
    assert not any(t.lead in situation or t.heading in situation for t in THEMES)


def test_nothing_of_the_corpus_units_reaches_the_draft(indexed: Services) -> None:
    drafts = _report(indexed, MARKET)
    text = "\n".join(d.text for d in drafts.values())
    assert not [w for w in FOREIGN if w in text]
    assert not [i for d in drafts.values() for i in d.issues if i.severity == "error"]


def test_layers_are_numbered_in_order_and_the_checker_agrees(indexed: Services) -> None:
    drafts = _report(indexed, MARKET)
    body = drafts["achievements"].text
    marks = re.findall(r"^（([一二三四五六七八九十])）", body, flags=re.M)
    assert marks == list("一二三四五六七八九十")[: len(marks)] and len(marks) >= 2
    numbering = [i for d in drafts.values() for i in d.issues if i.rule.startswith(("BD001", "BT"))]
    assert numbering == []


def test_missing_parts_become_specific_gaps_not_borrowed_text(indexed: Services) -> None:
    drafts = _report(
        indexed,
        {"report": {"template": "述职报告", "organization": "石桥镇人民政府"}, "facts": []},
    )
    assert "【待补充：本人职务】" in drafts["opening"].text
    assert "【待补充：存在的主要问题" in drafts["shortcomings"].text
    assert "【待补充：遵守中央八项规定精神" in drafts["integrity"].text
    text = "\n".join(d.text for d in drafts.values())
    assert len(re.findall("【待补充", text)) <= 10
    assert not [w for w in FOREIGN if w in text]


@pytest.mark.parametrize(
    ("recipient", "welcomes"),
    [("市委第三巡回指导组", True), ("区委、区政府", False), (None, False)],
)
def test_only_a_visiting_group_is_welcomed(
    indexed: Services, recipient: str | None, welcomes: bool
) -> None:
    report: dict[str, Any] = {"template": "工作情况汇报", "organization": "中共北塘区委"}
    if recipient:
        report["recipient"] = recipient
    drafts = _report(indexed, {"report": report, "facts": []})
    assert ("欢迎" in drafts["opening"].text) is welcomes


def test_an_item_keyed_only_by_its_number_is_headed_by_the_problem(indexed: Services) -> None:
    drafts = _report(
        indexed,
        {
            "report": {"template": "整改情况报告", "organization": "岱沐县司法局"},
            "facts": [
                {
                    "key": "问题1",
                    "value": "关于行政复议案件办理超期的问题：修订办案规程，超期案件全部清零",
                },
                {"key": "问题2", "value": "针对“容缺受理”执行不规范问题，修订容缺受理事项清单"},
                {"key": "工程款", "value": "针对多计工程款问题，核减工程结算金额126万元"},
                {"key": "积案", "value": "针对超过18个月的积案清理不力问题，专班清理积案"},
            ],
        },
    )
    text = drafts["items"].text
    assert "（一）关于行政复议案件办理超期的问题\n修订办案规程，超期案件全部清零" in text
    assert "（二）关于“容缺受理”执行不规范的问题\n修订容缺受理事项清单" in text
    assert "问题1" not in text and "问题2" not in text
    # a topic key gives way to the problem its value names, unless that carries a figure
    assert "关于多计工程款的问题\n核减工程结算金额126万元" in text
    assert "（四）积案\n针对超过18个月的积案清理不力问题" in text


def test_items_named_by_their_values_lead_the_part_before_the_other_work(
    indexed: Services,
) -> None:
    # 校园食品 once headed its item, and 追责 came first as （一）狠抓问题整改
    drafts = _report(
        indexed,
        {
            "report": {"template": "整改情况报告", "organization": "荇川市市场监督管理局"},
            "facts": [
                {
                    "key": "校园食品",
                    "value": "关于学校食堂主体责任落实不到位的问题，对386所学校食堂开展全覆盖检查",
                },
                {"key": "采购", "value": "饲料采购化整为零规避招标的问题，已改为公开招标"},
                {"key": "追责", "value": "对履职不到位的2名干部进行诫勉谈话"},
            ],
        },
    )
    text = drafts["items"].text
    assert text.startswith("（一）关于学校食堂主体责任落实不到位的问题\n对386所学校食堂")
    assert "（二）关于饲料采购化整为零规避招标的问题\n已改为公开招标" in text
    assert text.index("诫勉谈话") > text.index("公开招标")
    assert "（一）校园食品" not in text


def test_an_item_numbered_with_its_problem_is_headed_by_the_problem(indexed: Services) -> None:
    # 问题3：医德医风建设存在薄弱环节 once went to 下一步工作 as a shortcoming (its value found
    # 红包问题2起) and the others were headed 问题1：……
    drafts = _report(
        indexed,
        {
            "report": {"template": "整改情况报告", "organization": "桐川县人民医院"},
            "facts": [
                {
                    "key": "问题1：药品耗材采购管理不规范",
                    "value": "修订《药品耗材采购管理办法》，追回违规返利资金46万元",
                },
                {
                    "key": "问题3：医德医风建设存在薄弱环节",
                    "value": "开展医德医风专项整治，查处收受红包问题2起，给予党纪处分1人",
                },
            ],
        },
    )
    text = drafts["items"].text
    assert "（一）关于药品耗材采购管理不规范的问题\n修订《药品耗材采购管理办法》" in text
    assert "（二）关于医德医风建设存在薄弱环节的问题\n开展医德医风专项整治" in text
    assert "问题1" not in text and "红包" not in drafts["next_steps"].text


def test_a_hospitals_rectification_is_told_as_rectification_not_as_patient_care(
    indexed: Services,
) -> None:
    # 退回违规医保基金 once opened “（一）改善就医体验，提升服务质量” in a hospital's 整改 report
    drafts = _report(
        indexed,
        {
            "report": {"template": "整改情况报告", "organization": "岷崖仁和医院"},
            "facts": [
                {"key": "退回违规医保基金", "value": 138.6, "unit": "万元"},
                {"key": "挂床住院", "value": "建立在院患者每日床旁核查制度，医保办每周夜查"},
                {
                    "key": "串换项目收费",
                    "value": "排查收费项目1.4万条，纠正串换收费问题86项，设置收费规则拦截",
                },
            ],
        },
    )
    items = drafts["items"].text
    assert "就医体验" not in items and "人民健康" not in items
    assert "138.6万元" in items and "床旁核查" in items
    # a problem corrected (纠正……问题) is rectification done, not a shortcoming for 下一步
    assert "纠正串换收费问题86项" in items
    assert "串换" not in drafts["next_steps"].text


def test_a_layer_no_theme_claims_is_not_led_by_the_seeds_study_tasks(indexed: Services) -> None:
    # 工作情况汇报's 第二部分 purpose names the seed's 学习研讨: a 林业局's 林长体系 once opened
    # with 强化教育培训。
    drafts = _report(
        indexed,
        {
            "report": {
                "template": "工作情况汇报",
                "organization": "苎川县林业局",
                "topic": "林长制",
            },
            "facts": [
                {"key": "林长体系", "value": "建立县乡村三级林长体系，设立各级林长1136名"},
                {"key": "巡林", "value": "各级林长年内巡林1.8万次，发现并处理问题326个"},
            ],
        },
    )
    text = "".join(d.text for d in drafts.values())
    assert "林长1136名" in text and "教育培训" not in text and "分类施训" not in text


def test_a_paragraph_copied_with_its_heading_keeps_its_heading_as_a_layer(
    indexed: Services,
) -> None:
    drafts = _report(
        indexed,
        {
            "report": {"template": "述职报告", "organization": "雁川县民族中学"},
            "facts": [
                {"key": "本科上线率", "value": 71.5, "unit": "%"},
                {
                    "key": "一、（一）抓民族团结进步教育",
                    "value": "开设民族团结进步教育校本课程，组织各民族学生结对互助",
                },
                {"key": "学生资助", "value": 312.6, "unit": "万元"},
            ],
        },
    )
    text = drafts["duties"].text
    # the user's own heading, not a theme's (its 教育 once read as 深化学习培训)
    assert "）抓民族团结进步教育\n开设民族团结进步教育校本课程" in text
    assert "学习培训" not in text and "（一）（" not in text and "一、（一）" not in text
    assert "71.5%" in text and "312.6万元" in text


def test_an_overview_with_no_figure_of_its_own_repeats_the_years_count(indexed: Services) -> None:
    drafts = _report(
        indexed,
        {
            "report": {
                "template": "工作总结",
                "organization": "藕塘县消防救援大队",
                "period": "2026年",
            },
            "facts": [
                {
                    "key": "接处警",
                    "value": "全年接处警2186起，出动消防车4320辆次，营救被困人员312人",
                },
                {
                    "key": "火灾形势",
                    "value": "全县发生火灾286起，同比下降14.6%，未发生较大以上亡人火灾",
                },
                {"key": "监督检查", "value": "检查单位3860家，督促整改火灾隐患5120处"},
            ],
        },
    )
    overview = drafts["overview"].text
    assert "全年接处警2186起" in overview and "全县发生火灾286起，同比下降14.6%" in overview
    assert "方面，" not in overview and "4320辆次" not in overview  # the count, not the paragraph
    assert "4320辆次" in drafts["achievements"].text


def test_a_meeting_in_the_leadership_part_is_leadership_and_a_carriers_base_stations_are_its_network(
    indexed: Services,
) -> None:
    drafts = _report(
        indexed,
        {
            "report": {
                "template": "工作情况汇报",
                "organization": "薜城县统计局",
                "topic": "防范和惩治统计造假",
            },
            "facts": [
                {"key": "局务会", "value": 4, "unit": "次", "note": "专题研究统计数据质量"},
                {"key": "执法检查", "value": 52, "unit": "家"},
            ],
        },
    )
    # 数据 once made the 局务会 digital work: 创新服务方式。坚持创新驱动，召开局务会4次
    assert drafts["work_1"].text.startswith("强化组织领导。")
    drafts = _report(
        indexed,
        {
            "report": {"template": "述职报告", "organization": "通联移动通信有限公司楝塘县分公司"},
            "facts": [
                {"key": "5G基站", "value": 146, "unit": "个", "note": "新建"},
                {"key": "千兆宽带用户", "value": 4.7, "unit": "万户"},
                {"key": "客户投诉量", "value": "同比下降21%"},
                {"key": "应急通信保障", "value": "汛期出动应急通信车12台次"},
            ],
        },
    )
    duties = drafts["duties"].text
    assert "加强基础设施建设" in duties and "统筹抓好其他工作" not in duties


def test_the_problems_and_plans_section_tells_both(indexed: Services) -> None:
    drafts = _report(
        indexed,
        {
            "report": {"template": "工作情况汇报", "organization": "白鹭湾经济开发区管委会"},
            "facts": [
                {"key": "问题", "value": "签约项目转化率不高；土地指标紧张"},
                {"key": "下步打算", "value": "开展招商攻坚行动；盘活低效用地800亩"},
            ],
        },
    )
    text = drafts["problems_plans"].text
    first, second = text.split("\n")
    assert "一是签约项目转化率不高" in first and "二是土地指标紧张" in first
    assert "一是开展招商攻坚行动" in second and "800亩" in second


def test_the_llm_prompt_shows_the_section_its_facts_and_warns_about_exemplar_names(
    indexed: Services,
) -> None:
    sheet = FactSheet.model_validate(MARKET)
    template = TEMPLATES["工作总结"]
    drafter = indexed.drafter
    engine = RecordingEngine()
    drafter.llm = engine
    drafter.draft_section(sheet, template, "problems")
    prompt = engine.prompts[-1].user
    assert "F6 存在问题：基层执法力量不足" in prompt
    assert "受理投诉举报" not in prompt  # told in the main section, not here
    assert "其他单位的材料" in prompt


# Floors under the figures README reports (dev 0.997, heldout 0.948, heldout2 0.893, heldout3
# 0.881): guards against a drop, not targets to tune to. heldout2 and heldout3 were written
# blind, their misses never read.
PLACEMENT_FLOOR = {
    "dev": 0.95,  # 0.958 over 2030 facts (b1–b14); fresh blind dev sheets may land untuned
    "heldout": 0.9,
    "heldout2": 0.85,
    "heldout3": 0.85,
    "heldout4": 0.93,
    "heldout5": 0.86,
    "heldout6": 0.88,
    "heldout7": 0.82,  # written blind, scored once: 0.802 at 4f6b538, 0.849 on 2026-12-03's head
    "heldout8": 0.83,  # written blind, scored once: 0.810 at 4f6b538, 0.857 on 2026-12-03's head
    "heldout9": 0.8,  # written blind 2026-12-04, scored once: 0.847 before b13 was tuned on
    "heldout10": 0.9,  # written blind 2026-12-04 (second session), scored only: 0.935
    "heldout11": 0.88,  # written blind 2026-12-06, scored once: 0.923
    "heldout12": 0.9,  # written blind 2026-12-07 after the b16/b17 fixes, scored once: 0.938
    "heldout13": 0.87,  # written blind 2026-12-07 after the b18/b19 fixes, scored once: 0.907
    "heldout14": 0.9,  # written blind 2026-12-07 after the b20 fixes, scored once: 0.931
    "heldout15": 0.83,  # written blind 2026-12-07 after the b21 fixes, scored once: 0.862
    "heldout16": 0.87,  # written blind 2026-12-07 after the b23 fixes, scored once: 0.907
    "heldout17": 0.88,  # written blind 2026-12-07 after the b25 fixes, scored once: 0.917
    "heldout18": 0.86,  # written blind after the b26 fixes (6 sheets, then 2 more): 0.897
    "heldout19": 0.88,  # written blind 2026-12-07 after the b27 fixes, scored once: 0.924
}


@pytest.mark.parametrize("part", sorted(PLACEMENT_FLOOR))
def test_the_labelled_sheets_are_drafted_as_measured(indexed: Services, part: str) -> None:
    """Figures in README; the held-out parts were written before the engine's output on them
    was seen."""
    from assistant.drafting.composer import Drafter

    offline = indexed.drafter
    recording = Drafter(offline.gatherer, offline.checker, llm=RecordingEngine())
    result = evaluate(
        SHEETS / part,
        templates=TEMPLATES,
        offline=offline,
        recording=recording,
        foreign=collect(load_corpus_documents(CORPUS)),
    )
    overall = result["overall"]
    assert result["unit_kinds"] >= 8
    assert overall["placement"] >= PLACEMENT_FLOOR[part], len(result["mistakes"])
    assert overall["offline_told"] >= PLACEMENT_FLOOR[part], len(result["mistakes"])
    assert overall["llm_prompt_placed"] == 1.0
    assert overall["foreign"] == 0 and overall["numbering"] == 0
    assert overall["unsupported"] == 0
    assert overall["glued_figures"] == 0  # no 上年同期为19件2件
    assert overall["warnings"] <= 1  # the checker has next to nothing to say on its own drafts
    assert set(result["per_template"]) == set(TEMPLATES)


def test_sheets_are_labelled_completely() -> None:
    from assistant.evals.drafting import load_sheets

    for part in PLACEMENT_FLOOR:
        for case in load_sheets(SHEETS / part):
            template = TEMPLATES[case.sheet.report.template or ""]
            ids = {s.id for s in template.sections}
            assert set(case.labels) == {f.key for f in case.sheet.facts}, case.name
            assert all(set(v) <= ids for v in case.labels.values()), case.name


def test_eval_sheet_files_exist() -> None:
    assert len(list((SHEETS / "heldout").glob("*.yaml"))) >= 6
    assert len(list(Path(SHEETS / "dev").glob("*.yaml"))) >= 10


def _passage(text: str) -> Passage:
    return Passage("c1", "d1", "临江市应急管理局2024年工作总结", "x.md", "", text, 1.0)


def test_exemplars_lend_only_framing_free_of_names_figures_and_foreign_topics() -> None:
    text = (
        "坚持安全第一、预防为主，全面落实以行政首长负责制为核心的防汛责任制。"
        "临江市坚持源头治理，一是强化隐患排查，组织演练36场次。坚持“三管三必须”。"
        "坚持把安全生产摆在突出位置。"
    )
    supported = "石桥镇人民政府 安全生产 排查隐患 应急演练"
    phrases = framing_phrases(_passage(text), supported)
    assert phrases == ["坚持安全第一、预防为主", "强化隐患排查", "坚持把安全生产摆在突出位置"]


def test_a_borrowed_phrase_must_fit_the_layers_theme() -> None:
    p = _passage("坚持目标不变、力度不减。强化隐患排查。")
    framing = _Framing([(ph, p) for ph in framing_phrases(p, "排查隐患")])
    safety = next(t for t in THEMES if t.id == "safety")
    party = next(t for t in THEMES if t.id == "party")
    assert framing.opener(party) == party.opener  # nothing about 党建 to lend
    assert framing.opener(safety) == "强化隐患排查，"
    assert framing.opener(safety) == safety.opener  # each phrase lent once
    assert framing.used == [p]


COMMUNITY = {
    "report": {
        "template": "工作情况汇报",
        "title": "银杏社区关于2025年老旧小区加装电梯工作情况的汇报",
        "organization": "蘅川区芷岸街道银杏社区居民委员会",
        "recipient": "区住房和城乡建设局督导组",
        "period": "2025年1—10月",
    },
    "facts": [
        {
            "key": "区里下发的方案",
            "value": "《蘅川区既有住宅增设电梯工作实施方案》（蘅建发〔2025〕7号）",
        },
        {"key": "楼栋议事会开了多少场", "value": 47, "unit": "场"},
        {"key": "提取公积金付加梯款的居民", "value": 136, "unit": "户"},
        {"key": "一楼住户有意见调解成功的", "value": 23, "unit": "起"},
        {"key": "今年装好投用的电梯", "value": 19, "unit": "部"},
        {"key": "有些楼谈不拢", "value": "12栋因费用分摊谈不拢，一直停在征求意见阶段"},
        {"key": "明年打算", "value": "力争再开工10部，推行打包模式，年内都建起自管小组"},
    ],
}


def test_a_sheet_in_staff_words_reads_as_a_report(indexed: Services) -> None:
    drafts = _report(indexed, COMMUNITY)
    text = "\n".join(d.text for d in drafts.values())
    assert "楼栋议事会开了47场" in text and "多少" not in text  # the key's question answered
    assert "认真贯彻落实《蘅川区既有住宅增设电梯工作实施方案》" in text  # a document alone
    # One shortcoming told in two clauses stays one item; a list of plans is split.
    problems = drafts["problems_plans"].text
    assert "一是12栋因费用分摊谈不拢，一直停在征求意见阶段" in problems
    assert "二是推行打包模式" in problems
    # Two parts whose facts fall to the same theme do not open with the same words.
    leads = [
        line.split("。", 1)[0]
        for sid in ("work_1", "work_2", "work_3")
        for line in drafts[sid].text.splitlines()
        if line
    ]
    assert len(leads) == len(set(leads)), leads


@pytest.mark.parametrize(
    ("key", "value", "opening"),
    [
        # the post names the unit and its date: said once, without 本人在……工作 or the period
        (
            "本人",
            "2022年9月起任柏川县第二中学校长，主持学校行政全面工作",
            "本人2022年9月起任柏川县第二中学校长，主持学校行政全面工作",
        ),
        ("现任职务", "副校长", "2025年度，本人在柏川县第二中学工作，担任副校长"),
    ],
)
def test_a_post_is_said_once_in_the_opening(
    indexed: Services, key: str, value: str, opening: str
) -> None:
    drafts = _report(
        indexed,
        {
            "report": {
                "template": "述职报告",
                "title": "柏川县第二中学校长2025年度述职报告",
                "organization": "柏川县第二中学",
                "period": "2025年度",
            },
            "facts": [{"key": key, "value": value}],
        },
    )
    text = re.sub(r"〔F\d+〕", "", drafts["opening"].text)
    assert text.startswith(opening), text
    assert text.count("本人") == 1
