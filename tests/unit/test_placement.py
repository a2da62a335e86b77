"""The outline places every fact where its purpose is served, says why, and heads the report's
sections with its own subject."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.drafting.fixed import fixed_text
from assistant.drafting.headings import propose_headings, report_topic
from assistant.drafting.outline import Outline, OutlineError, propose_outline
from assistant.drafting.placement import role_of
from assistant.drafting.templates import load_templates
from assistant.facts.sheet import Fact, FactSheet

TEMPLATES = load_templates()


def _sheet(template: str, facts: list[dict[str, Any]], **report: str) -> FactSheet:
    return FactSheet.model_validate({"report": {"template": template, **report}, "facts": facts})


def _where(outline: Outline) -> dict[str, str]:
    return {key: item.id for item in outline.sections for key in item.facts}


def test_a_summary_gives_problems_and_plans_their_own_sections() -> None:
    sheet = _sheet(
        "工作总结",
        [
            {"key": "受理投诉举报", "value": 9720, "unit": "件"},
            {"key": "查处案件", "value": 412, "unit": "件"},
            {"key": "存在问题", "value": "基层执法力量不足，智慧监管覆盖不够"},
            {"key": "下步重点", "value": "建成智慧监管平台二期"},
            {"key": "主要短板", "value": "网络交易监测手段滞后"},
        ],
        organization="柳河区市场监督管理局",
    )
    outline = propose_outline(TEMPLATES["工作总结"], sheet)
    assert _where(outline) == {
        "受理投诉举报": "achievements",
        "查处案件": "achievements",
        "存在问题": "problems",
        "下步重点": "plans",
        "主要短板": "problems",
    }
    assert outline.item("problems").why["存在问题"].startswith("问题、不足类")


@pytest.mark.parametrize(
    ("template", "fact", "section"),
    [
        ("调研报告", {"key": "召开座谈会", "value": 6, "unit": "场"}, "background"),
        ("调研报告", {"key": "原因分析", "value": "运营补贴机制不健全"}, "problems"),
        ("调研报告", {"key": "对策建议", "value": "优化站点布局"}, "suggestions"),
        ("述职报告", {"key": "廉洁自律", "value": "严格落实中央八项规定精神"}, "integrity"),
        ("述职报告", {"key": "现任职务", "value": "镇党委书记"}, "opening"),
        ("整改情况报告", {"key": "反馈问题", "value": 26, "unit": "个"}, "overview"),
        ("整改情况报告", {"key": "立行立改", "value": 9, "unit": "个"}, "overview"),
        ("整改情况报告", {"key": "关于资金管理不规范的问题", "value": "清理账户3个"}, "items"),
        ("整改情况报告", {"key": "整改专题会", "value": 7, "unit": "次"}, "organization_work"),
        ("工作情况汇报", {"key": "问题", "value": "签约项目转化率不高"}, "problems_plans"),
        ("工作情况汇报", {"key": "检视问题", "value": 63, "unit": "个"}, "work_2"),
        ("工作情况汇报", {"key": "安委会会议", "value": 12, "unit": "次"}, "work_1"),
        ("工作情况汇报", {"key": "实际使用外资", "value": 4860, "unit": "万美元"}, "work_3"),
        # learnt from the third dev batch (b3_*): keys as staff type them
        ("调研报告", {"key": "机制", "value": "推行“中央厨房”式采编流程改革"}, "suggestions"),
        ("调研报告", {"key": "机制", "value": "已建立了联席会议制度"}, "situation"),
        ("调研报告", {"key": "方法", "value": "在12个乡镇开展问卷调查"}, "background"),
        ("整改情况报告", {"key": "问题3", "value": "关于台账不一致的问题：上线管理系统"}, "items"),
        ("整改情况报告", {"key": "未完成", "value": "3个问题计划2026年3月底前整改到位"}, "next_steps"),
        ("述职报告", {"key": "作风", "value": "本人不参与药品采购谈判，不收受回扣红包"}, "integrity"),
        ("工作情况汇报", {"key": "情况3", "value": "兼职人员流动性大，服务能力参差不齐"}, "problems_plans"),
        ("工作情况汇报", {"key": "报告及时率", "value": 99.6, "unit": "%"}, "work_3"),
        ("工作情况汇报", {"key": "整治范围", "value": "主次干道42条、背街小巷167条"}, "overview"),
        # a word of the note does not draw a figure to the overview: 辖区 … 同比下降
        ("工作总结", {"key": "事故", "value": 17.2, "unit": "%", "note": "辖区事故起数同比下降"},
         "achievements"),
    ],
)  # fmt: skip
def test_each_kind_of_fact_lands_in_the_section_for_it(
    template: str, fact: dict[str, Any], section: str
) -> None:
    sheet = _sheet(template, [fact])
    assert _where(propose_outline(TEMPLATES[template], sheet)) == {fact["key"]: section}


def test_a_count_of_problems_is_work_done_not_a_shortcoming() -> None:
    assert role_of(Fact(key="检视问题", value=63, unit="个")) is None
    assert role_of(Fact(key="检视问题", value="整改不彻底")) == "problem"
    assert role_of(Fact(key="明年计划新建", value=3, unit="所")) == "plan"
    assert role_of(Fact(key="2026年工作重点", value="开展欠薪问题专项治理")) == "plan"


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_no_fact_is_dropped_or_told_twice_in_any_template(name: str) -> None:
    facts = [
        {"key": "开展检查", "value": 120, "unit": "次"},
        {"key": "服务群众", "value": 3000, "unit": "人次"},
        {"key": "存在问题", "value": "人员不足"},
        {"key": "下步打算", "value": "补齐短板"},
        {"key": "调研方式", "value": "走访座谈"},
        {"key": "廉洁自律", "value": "严守纪律"},
        {"key": "其他事项", "value": "按期完成"},
    ]
    template = TEMPLATES[name]
    sheet = _sheet(name, facts)
    outline = propose_outline(template, sheet)
    outline.check(template, sheet)
    where = _where(outline)
    assert sorted(where) == sorted(f["key"] for f in facts)
    meta = {s.id for s in template.sections if s.kind in ("title", "salutation", "closing")}
    assert not set(where.values()) & meta
    assert all(item.why.keys() == set(item.facts) for item in outline.sections)


def test_an_edited_outline_still_refuses_a_fact_told_twice() -> None:
    sheet = _sheet("工作总结", [{"key": "查处案件", "value": 412, "unit": "件"}])
    outline = propose_outline(TEMPLATES["工作总结"], sheet)
    outline.item("problems").facts.append("查处案件")
    with pytest.raises(OutlineError, match="already given"):
        outline.check(TEMPLATES["工作总结"], sheet)


def test_headings_come_from_the_reports_subject() -> None:
    template = TEMPLATES["工作情况汇报"]
    sheet = _sheet("工作情况汇报", [], title="石桥镇人民政府关于2025年安全生产工作情况的汇报")
    assert report_topic(sheet) == "安全生产"
    headings = propose_headings(template, sheet)
    assert headings["work_1"] == "一、加强组织领导，推动安全生产各项部署落地见效"
    assert headings["problems_plans"].startswith("四、")
    body = "".join(headings.values())
    assert "主题教育" not in body and "政治站位" not in body
    untitled = propose_headings(template, _sheet("工作情况汇报", []))
    assert untitled["work_1"] == "一、加强组织领导，推动各项部署落地见效"
    assert "{" not in "".join(untitled.values())


@pytest.mark.parametrize(
    ("title", "topic"),
    [
        ("梧溪县退役军人事务局关于2025年以来退役军人服务保障工作情况的汇报", "退役军人服务保障"),
        ("璜堰区商务局关于2026年上半年促消费工作情况的汇报", "促消费"),
        ("澶浦区城市管理局关于2026年1—10月生活垃圾分类工作情况的汇报", "生活垃圾分类"),
        ("关于今年以来招商引资工作情况的汇报", "招商引资"),
        ("关于2024年度县本级预算执行审计发现问题整改情况的报告", "县本级预算执行审计发现问题"),
    ],
)
def test_the_time_a_title_names_is_not_the_subject(title: str, topic: str) -> None:
    assert report_topic(_sheet("工作情况汇报", [], title=title)) == topic


def test_a_topic_that_opens_with_a_verb_is_not_doubled_in_the_heading() -> None:
    sheet = _sheet("工作情况汇报", [], title="蒹葭镇党委关于推进乡村全面振兴工作情况的汇报")
    headings = propose_headings(TEMPLATES["工作情况汇报"], sheet)
    assert headings["work_1"] == "一、加强组织领导，推动乡村全面振兴各项部署落地见效"
    assert headings["work_2"] == "二、聚焦重点任务，扎实推进乡村全面振兴各项工作"


def test_a_given_topic_beats_the_title() -> None:
    sheet = _sheet("工作情况汇报", [], title="关于有关工作的汇报", topic="营商环境")
    assert report_topic(sheet) == "营商环境"


def _placed(template: str, facts: list[dict[str, Any]], **report: str) -> dict[str, str]:
    return _where(propose_outline(TEMPLATES[template], _sheet(template, facts, **report)))


def test_what_is_still_undone_is_a_shortcoming_even_as_a_number() -> None:
    where = _placed(
        "工作情况汇报",
        [
            {"key": "招聘活动", "value": 23, "unit": "场"},
            {"key": "未就业青年", "value": 186, "unit": "人", "note": "至11月底仍未实现稳定就业"},
            {"key": "一线查缉人员缺口", "value": 38, "unit": "人"},
        ],
        organization="共青团河湾县委",
    )
    assert where["未就业青年"] == "problems_plans"
    assert where["一线查缉人员缺口"] == "problems_plans"
    assert where["招聘活动"] != "problems_plans"


def test_a_year_after_the_period_makes_a_plan_and_a_named_problem_an_item() -> None:
    where = _placed(
        "整改情况报告",
        [
            {"key": "反馈问题", "value": 9, "unit": "个"},
            {"key": "VOCs治理", "value": "针对VOCs无组织排放问题，新建焚烧装置2套"},
            {"key": "环境管理体系", "value": "2026年完成环境管理体系再认证"},
            {"key": "整改台账", "value": 27, "unit": "项", "note": "分解的整改任务，逐项明确责任"},
        ],
        organization="河湾新材料股份有限公司",
        period="2025年5月以来",
        date="2025-12-10",
    )
    assert where["VOCs治理"] == "items"
    assert where["环境管理体系"] == "next_steps"
    assert where["整改台账"] == "organization_work"


def test_a_role_no_section_takes_gives_way_to_the_next_reading() -> None:
    # 调查研究 reads as a method, but a 述职报告 has no method part: its text is a shortcoming.
    where = _placed(
        "述职报告",
        [
            {"key": "立案审查调查", "value": 146, "unit": "件"},
            {"key": "调查研究", "value": "深入基层调研不够，对乡镇问题研究不深"},
            {
                "key": "过问干预登记",
                "value": 3,
                "unit": "次",
                "note": "本人主动登记的说情打招呼情况",
            },
        ],
        organization="河湾县纪委监委",
    )
    assert where["调查研究"] == "shortcomings"
    assert where["过问干预登记"] == "integrity"


def test_who_a_measure_serves_is_no_shortcoming_and_the_report_subject_is_its_scope() -> None:
    assert (
        role_of(Fact(key="救助资金", value="设立专项资金，对生活确有困难的信访人依规救助"))
        == "measure"
    )
    assert (
        role_of(Fact(key="重答复", value="部分单位满足于按时答复，对列入计划的建议跟踪不够"))
        == "problem"
    )
    where = _placed(
        "工作情况汇报",
        [
            {"key": "新就业形态劳动者", "value": 2.3, "unit": "万人", "note": "外卖骑手、快递员"},
            {"key": "新发展会员", "value": 11860, "unit": "名"},
        ],
        organization="河湾区总工会",
        title="河湾区总工会关于新就业形态劳动者入会和服务工作情况的汇报",
    )
    assert where["新就业形态劳动者"] == "overview"


def test_the_second_half_is_a_plan_in_a_report_on_the_first() -> None:
    facts = [
        {"key": "社零增速", "value": 6.2, "unit": "%"},
        {"key": "下半年", "value": "筹办第二届美食节，争取汽车消费补贴政策延续"},
    ]
    where = _placed("工作情况汇报", facts, organization="河湾区商务局", period="2026年1—6月")
    assert where["下半年"] == "problems_plans"
    assert where["社零增速"] == "work_3"
    where = _placed("工作总结", facts, organization="河湾区商务局", period="2026年")
    assert where["下半年"] != "plans"


def test_who_reports_and_when_the_inspection_came_are_told_where_a_reader_looks() -> None:
    where = _placed(
        "述职报告",
        [{"key": "述职人", "value": "严知秋，县中医院党委副书记、院长，主持医院行政全面工作"}],
        organization="河湾县中医院",
    )
    assert where["述职人"] == "opening"
    where = _placed(
        "整改情况报告",
        [
            {"key": "督察时间", "value": "2026年5月区局督察内审科进驻，6月12日反馈意见"},
            {"key": "长效", "value": "将巡察整改纳入年度考核，每季度开展一次“回头看”"},
        ],
        organization="河湾区税务局",
    )
    assert where == {"督察时间": "overview", "长效": "next_steps"}


@pytest.mark.parametrize(
    ("template", "fact", "section"),
    [
        # Shortfalls as staff put them in their own words.
        (
            "工作总结",
            {"key": "老师缺", "value": "专业康复师只有4名，部分教师跨类别任教"},
            "problems",
        ),
        ("工作总结", {"key": "外包养护管不住", "value": "考核扣分偏轻"}, "problems"),
        (
            "工作情况汇报",
            {"key": "有些楼谈不拢", "value": "12栋一直停在征求意见阶段"},
            "problems_plans",
        ),
        ("述职报告", {"key": "数字化推进慢", "value": "线上展厅推迟到明年上线"}, "shortcomings"),
        (
            "整改情况报告",
            {"key": "闸门还没换", "value": "已列入2026年度除险加固项目"},
            "next_steps",
        ),
        ("调研报告", {"key": "区县站人手", "value": "专职人员平均只有3.2人"}, "problems"),
        # … and a count of what went down is a result, not a shortfall.
        ("工作总结", {"key": "投诉减少", "value": 120, "unit": "件"}, "achievements"),
        # The last word of the key decides: a cause found by the questionnaire is a finding.
        ("调研报告", {"key": "问卷里不愿献血的原因", "value": "担心影响健康的占43.6%"}, "problems"),
        ("调研报告", {"key": "问卷", "value": 1200, "unit": "份"}, "background"),
        ("整改情况报告", {"key": "以后怎么防止再犯", "value": "每季度对一次账"}, "next_steps"),
        ("整改情况报告", {"key": "审计指出的问题", "value": 9, "unit": "个"}, "overview"),
        ("述职报告", {"key": "我的身份", "value": "公司党支部书记，兼行政副总经理"}, "opening"),
        # What the unit has or covers is the overview's scope; what was done to it is work.
        ("工作情况汇报", {"key": "所里管的边境线", "value": 47.6, "unit": "公里"}, "overview"),
        ("工作总结", {"key": "全市少数民族人口", "value": 4.7, "unit": "万人"}, "overview"),
        ("工作情况汇报", {"key": "全县新增服务点", "value": 9, "unit": "个"}, "work_3"),
        (
            "工作总结",
            {"key": "事故", "value": 17.2, "unit": "%", "note": "辖区交通事故起数同比下降"},
            "achievements",
        ),
        # A word of the key outweighs one of the note (一个小区一个专题会 is how, not what).
        (
            "工作情况汇报",
            {"key": "化解办证难的老小区", "value": 42, "unit": "个", "note": "一个小区一个专题会"},
            "work_3",
        ),
        # the b8 sheets
        (
            "工作总结",
            {"key": "还有啥没干完", "value": "道路硬化只完成6公里，二期没开工"},
            "problems",
        ),
        ("工作总结", {"key": "非急救占线", "value": "咨询、骚扰等非急救呼叫占21%"}, "problems"),
        ("调研报告", {"key": "站点不赚钱", "value": "月收入低于500元的站点73个"}, "problems"),
        (
            "调研报告",
            {"key": "企业最想要的", "value": "问卷中68%的企业希望续贷不用先还款"},
            "problems",
        ),
        # 高风险患者 sorts whom a measure serves; it is no risk the unit runs
        (
            "工作情况汇报",
            {"key": "随访", "value": "全年面访4.3万人次，3级以上高风险患者每两周面访"},
            "work_2",
        ),
        # a delay to next year is told with the year's work, not as a plan
        (
            "工作总结",
            {"key": "全年任务完成情况", "value": "15项任务完成14项，市志出版顺延到明年"},
            "achievements",
        ),
        (
            "述职报告",
            {"key": "工会经费怎么管的", "value": "收支按月公示，没有用于宴请、旅游，未发现问题"},
            "integrity",
        ),
        ("整改情况报告", {"key": "部分完成", "value": 3, "unit": "个"}, "overview"),
        (
            "工作情况汇报",
            {"key": "日均在所", "value": 684, "unit": "名", "note": "戒毒人员"},
            "overview",
        ),
        # the b9 sheets
        # keys copied with last year's numbering are read by their words
        (
            "整改情况报告",
            {"key": "1.关于管理费用超比例列支的问题", "value": "已调整归还8.3万元"},
            "items",
        ),
        ("整改情况报告", {"key": "一、整改工作总体情况", "value": "反馈问题3大类14个"}, "overview"),
        (
            "工作情况汇报",
            {"key": "一、基本情况", "value": "学校现有分校6所、教学点48个"},
            "overview",
        ),
        ("整改情况报告", {"key": "进度", "value": "已完成整改24个，剩下3个正在推进"}, "overview"),
        ("整改情况报告", {"key": "对相关责任人的处理", "value": "对2名工作人员批评教育"}, "items"),
        # a plan met is a result; a risk point checked is work done
        (
            "述职报告",
            {"key": "保费", "value": "全年保费收入1.42亿元，完成年度计划的103%"},
            "duties",
        ),
        (
            "述职报告",
            {"key": "风控", "value": "排查理赔风险点26个，追回虚假理赔款43万元"},
            "duties",
        ),
        # a note giving context or provenance gives no role
        (
            "述职报告",
            {
                "key": "拿地即开工改革推进情况",
                "value": "推动12个项目拿地即开工",
                "note": "本人分管领域的改革试点",
            },
            "duties",
        ),
        (
            "调研报告",
            {
                "key": "老年人服务需求",
                "value": "希望获得助餐服务的占64%",
                "note": "根据有效问卷统计",
            },
            "problems",
        ),
        (
            "工作总结",
            {
                "key": "事业单位年度报告公示率",
                "value": 100,
                "unit": "%",
                "note": "全县312家全部按期公示",
            },
            "achievements",
        ),
        # the b10 sheets: a problem told with what was done about it is a rectification item
        (
            "整改情况报告",
            {"key": "未招标发包", "value": "对乡村光纤改造工程未招标直接发包问题，修订管理办法"},
            "items",
        ),
        (
            "整改情况报告",
            {"key": "采购", "value": "饲料采购化整为零规避招标的问题，已改为公开招标"},
            "items",
        ),
        # 问题 in a list of what is tracked is no shortcoming; the key names the section
        (
            "整改情况报告",
            {"key": "组织领导", "value": "成立整改工作领导小组，建立问题、责任、时限“三张清单”"},
            "organization_work",
        ),
        # a count of suggestions made is work done; a plan missed (原计划) is a shortcoming
        (
            "述职报告",
            {"key": "羁押必要性审查", "value": "提出变更强制措施建议28件，被采纳25件"},
            "duties",
        ),
        (
            "述职报告",
            {
                "key": "新所建设进度",
                "value": "建设进度滞后，原计划年内完成主体工程，目前只完成基础施工",
            },
            "shortcomings",
        ),
        # a clean record (未发生……问题) is not a shortcoming
        (
            "述职报告",
            {
                "key": "会见管理督查",
                "value": "开展律师会见管理专项督查4次，所内未发生违规传递物品问题",
            },
            "duties",
        ),
        (
            "工作总结",
            {"key": "护理岗位", "value": "争取追加购买服务岗位，力争护理员配比达到1∶2"},
            "plans",
        ),
        ("调研报告", {"key": "缘由", "value": "落实市卫健委年度重点调研课题安排"}, "background"),
        ("调研报告", {"key": "信用惩戒", "value": "将欠薪情况纳入建筑企业信用评价"}, "suggestions"),
        (
            "调研报告",
            {"key": "执法力量", "value": "人均监管在建项目20多个，只能被动接投诉"},
            "problems",
        ),
        # the b11 sheets: shortfalls said with 仅, 低于……平均水平, 单一; a count of the undone
        (
            "工作总结",
            {"key": "专职社工", "value": "专职社工仅3名，个案管理难以常态化开展"},
            "problems",
        ),
        (
            "工作总结",
            {"key": "购书经费", "value": "年度购书经费42万元，人均购书经费低于全省平均水平"},
            "problems",
        ),
        (
            "工作总结",
            {
                "key": "村级防疫员",
                "value": 186,
                "unit": "名",
                "note": "平均年龄54岁，35岁以下仅11人",
            },
            "problems",
        ),
        # … but not once it was dealt with, nor when the count is of work done for them
        (
            "工作总结",
            {"key": "投诉", "value": 6, "unit": "件", "note": "均已办结，其中1件告知不到位"},
            "achievements",
        ),
        (
            "工作总结",
            {"key": "落户安置", "value": 9, "unit": "人", "note": "长期滞留人员落户安置"},
            "achievements",
        ),
        # a later year with what is to be done names a plan, in a value or a number's note
        (
            "工作总结",
            {"key": "无疫小区", "value": 2, "unit": "个", "note": "2026年计划创建的无疫小区"},
            "plans",
        ),
        (
            "工作总结",
            {"key": "站舍改扩建", "value": 1800, "unit": "万元", "note": "计划总投资，2026年启动"},
            "plans",
        ),
        (
            "整改情况报告",
            {"key": "剩余问题", "value": "2026年6月底前完成剩余4个问题整改"},
            "next_steps",
        ),
        # a proposal keeps its figures (给予每人每年6000元), unless it ends on a count done
        (
            "调研报告",
            {"key": "发展基金", "value": "设立青年律师发展基金，给予每人每年6000元执业补贴"},
            "suggestions",
        ),
        ("调研报告", {"key": "订单班", "value": "与8家企业合作开设订单班12个"}, "situation"),
        # what the unit holds is its scope
        (
            "工作总结",
            {"key": "馆舍面积", "value": 8600, "unit": "平方米", "note": "新馆投用"},
            "overview",
        ),
        # learnt from the twelfth dev batch (b12_*): a figure proposed, one short of a rule,
        # one found by the survey rather than counting its work, a problem dealt with
        (
            "调研报告",
            {"key": "培训补助", "value": 20, "unit": "万元", "note": "建议由县财政每年安排"},
            "suggestions",
        ),
        (
            "述职报告",
            {"key": "下乡调研", "value": 9, "unit": "次", "note": "未达到每季度不少于3次的要求"},
            "shortcomings",
        ),
        (
            "调研报告",
            {"key": "有购房意愿的", "value": 41, "unit": "%", "note": "问卷统计，30岁以下更高"},
            "situation",
        ),
        (
            "工作情况汇报",
            {"key": "处置闲置土地", "value": 320, "unit": "亩", "note": "前三季度累计"},
            "work_2",
        ),
        (
            "工作总结",
            {"key": "管理公园", "value": 12, "unit": "座", "note": "总面积86公顷"},
            "overview",
        ),
        # learnt from b13: problems dealt with are work done (发现并督促整改问题), 适老化 is no
        # 老化, a figure proposed by its key (建议增配), the audit's count of problems, a
        # survey's median as a finding, what a key says is still open
        (
            "工作总结",
            {"key": "双随机抽查", "value": "抽查企业312家，发现并督促整改问题86个"},
            "achievements",
        ),
        ("工作总结", {"key": "网点", "value": "完成适老化改造网点4家"}, "achievements"),
        ("调研报告", {"key": "建议增设岗位", "value": 6, "unit": "个"}, "suggestions"),
        ("整改情况报告", {"key": "审计发现问题", "value": 12, "unit": "个"}, "overview"),
        (
            "调研报告",
            {"key": "月均收入", "value": 3200, "unit": "元", "note": "问卷中位数，未扣除成本"},
            "situation",
        ),
        (
            "整改情况报告",
            {"key": "没整改完的", "value": "2个问题涉及历史遗留，需跨年推进"},
            "next_steps",
        ),
    ],
)
def test_facts_in_the_users_own_words_find_their_section(
    template: str, fact: dict[str, Any], section: str
) -> None:
    # (the title names the year, so a later one is ahead: 2026年计划创建 in a report on 2025)
    sheet = _sheet(template, [fact], title="2025年工作报告")
    assert _where(propose_outline(TEMPLATES[template], sheet))[fact["key"]] == section


def test_findings_of_a_survey_that_are_shortfalls_go_to_the_problems() -> None:
    # learnt from dev b14: counts of what is lacking, and a problem named by its idiom
    sheet = _sheet(
        "调研报告",
        [
            {"key": "协会总数", "value": 412, "unit": "家"},
            {"key": "无专职人员的协会", "value": 143, "unit": "家", "note": "靠兼职人员运转"},
            {"key": "年检不合格", "value": 37, "unit": "家", "note": "主要是财务不规范、换届超期"},
            {"key": "重虾轻稻", "value": "部分基地沟坑占比超过10%红线，水稻单产降到350公斤以下"},
            {"key": "对策", "value": "建立协会专职人员培训制度"},
        ],
        organization="濯溪市社会组织管理局",
    )
    where = _where(propose_outline(TEMPLATES["调研报告"], sheet))
    assert where["无专职人员的协会"] == where["年检不合格"] == where["重虾轻稻"] == "problems"
    assert where["协会总数"] != "problems"


def test_a_party_committee_meeting_is_leadership_work() -> None:
    sheet = _sheet(
        "工作情况汇报",
        [
            {"key": "监狱党委会研究教育改造", "value": 5, "unit": "次"},
            {"key": "个别教育谈话", "value": 3600, "unit": "人次"},
        ],
        organization="崧阳监狱",
    )
    assert (
        _where(propose_outline(TEMPLATES["工作情况汇报"], sheet))["监狱党委会研究教育改造"]
        == "work_1"
    )


def test_the_head_of_the_recipient_named_by_a_fact_is_greeted_in_the_salutation() -> None:
    template = load_templates()["工作情况汇报"]

    def sheet(facts: list[dict[str, object]]) -> FactSheet:
        meta = {
            "template": "工作情况汇报",
            "title": "关于口岸通关保障工作情况的汇报",
            "organization": "榴港出入境边防检查站",
            "recipient": "总站口岸管理工作检查组",
        }
        return FactSheet.model_validate({"report": meta, "facts": facts})

    told = sheet(
        [
            {"key": "查获违法违规人员", "value": 312, "unit": "人"},
            {"key": "检查组组长", "value": "李卫东"},
        ]
    )
    salutation = template.section("salutation")
    assert (
        fixed_text(told, template, salutation) == "尊敬的李组长、总站口岸管理工作检查组各位领导："
    )
    outline = propose_outline(template, told)
    assert outline.item("salutation").facts == ["检查组组长"]  # not told in a body part
    # Another group's head, or none: the recipient alone.
    other = sheet([{"key": "督导组组长", "value": "王组长"}])
    assert fixed_text(other, template, salutation) == "总站口岸管理工作检查组："
    assert "督导组组长" not in propose_outline(template, other).item("salutation").facts


def test_whom_a_unit_serves_and_what_it_still_has_open_find_their_sections() -> None:
    # learnt from dev b16: 困难残疾人 are whom the work served; 处理问题 is work done; a text
    # of what is still open goes to 下一步; the unit's own population is the overview's scope
    summary = _sheet(
        "工作总结",
        [
            {"key": "持证残疾人", "value": 1.12, "unit": "万人"},
            {"key": "无障碍改造", "value": "完成困难重度残疾人家庭无障碍改造420户"},
            {"key": "巡查", "value": "年内巡查1.8万次，发现并处理问题326个"},
            {"key": "存在的问题", "value": "托养机构床位不足"},
        ],
        title="荇塘区残疾人联合会2026年工作总结",
    )
    where = _where(propose_outline(TEMPLATES["工作总结"], summary))
    assert where["持证残疾人"] == "overview"
    assert where["无障碍改造"] == where["巡查"] == "achievements"
    assert where["存在的问题"] == "problems"
    report = _sheet(
        "整改情况报告",
        [
            {"key": "反馈问题", "value": 17, "unit": "个"},
            {"key": "未完成", "value": "生活区改造需市财政立项，目前尚在申报"},
            {"key": "责任分解", "value": "按照“一个问题、一名院领导、一套措施”分解到8个科室"},
            {"key": "常态化", "value": "每季度开展一次医疗质量安全自查"},
        ],
    )
    where = _where(propose_outline(TEMPLATES["整改情况报告"], report))
    assert where["反馈问题"] == "overview"
    assert where["未完成"] == where["常态化"] == "next_steps"
    assert where["责任分解"] == "organization_work"
    briefing = _sheet(
        "工作情况汇报",
        [
            {"key": "会员和志愿者", "value": "全县有红十字会员8600人、志愿者1420人"},
            {"key": "理事会", "value": 2, "unit": "次", "note": "研究年度计划"},
        ],
    )
    where = _where(propose_outline(TEMPLATES["工作情况汇报"], briefing))
    assert where == {"会员和志愿者": "overview", "理事会": "work_1"}


def test_patrols_and_publicity_are_key_tasks_and_a_bare_stock_is_the_scope() -> None:
    # learnt from dev b10/b4/b5/b11: 巡查 and 宣传 counted are work done, even when they grew;
    # 参保人数 with no note says how far the work reaches, 同比 in its note makes it a result
    sheet = _sheet(
        "工作情况汇报",
        [
            {"key": "出海巡查", "value": 214, "unit": "航次", "note": "同比增加37航次"},
            {"key": "打私宣传", "value": "开展打私宣传进社区活动，发放宣传册2.1万份"},
            {"key": "参保人数", "value": 41.3, "unit": "万人"},
            {"key": "日均客运量", "value": 4.2, "unit": "万人次", "note": "同比增长12.6%"},
        ],
    )
    where = _where(propose_outline(TEMPLATES["工作情况汇报"], sheet))
    assert where["出海巡查"] == where["打私宣传"] == "work_2"
    assert where["参保人数"] == "overview"
    assert where["日均客运量"] != "overview"


def test_what_dev_b17_taught_solved_problems_stock_and_follow_up() -> None:
    duties = _sheet(
        "述职报告",
        [
            {"key": "少数民族群众", "value": "协调解决少数民族群众就业、就医、就学问题63件"},
            {"key": "不够的地方", "value": "对基层民族宗教工作指导不够"},
        ],
    )
    where = _where(propose_outline(TEMPLATES["述职报告"], duties))
    assert where == {"少数民族群众": "duties", "不够的地方": "shortcomings"}
    briefing = _sheet(
        "工作情况汇报",
        [
            {"key": "供水人口", "value": 48.6, "unit": "万人", "note": "日供水能力12万吨"},
            {"key": "后续", "value": "四季度完成剩余12个村通水；推进智慧水务平台建设"},
            {"key": "赛事活动", "value": "举办群众性赛事活动260场，参与群众45万人次"},
            {"key": "质量管理制度", "value": "建立案件全流程监管制度"},
        ],
    )
    where = _where(propose_outline(TEMPLATES["工作情况汇报"], briefing))
    assert where == {
        "供水人口": "overview",
        "后续": "problems_plans",
        "赛事活动": "work_2",
        "质量管理制度": "work_1",
    }
    summary = _sheet(
        "工作总结",
        [
            {"key": "服务师生", "value": "全校师生3.6万人，校区2个"},
            {"key": "人手", "value": "全所在编民警9人，夜间巡控力量明显不足"},
        ],
    )
    where = _where(propose_outline(TEMPLATES["工作总结"], summary))
    assert where == {"服务师生": "overview", "人手": "problems"}
    report = _sheet(
        "整改情况报告",
        [
            {"key": "反馈问题", "value": 8, "unit": "个"},
            {"key": "全部完成", "value": 7, "unit": "个"},
            {"key": "中心主任办公会", "value": 4, "unit": "次", "note": "研究审计整改"},
        ],
    )
    where = _where(propose_outline(TEMPLATES["整改情况报告"], report))
    assert where == {
        "反馈问题": "overview",
        "全部完成": "overview",
        "中心主任办公会": "organization_work",
    }


def test_what_dev_b18_taught_clean_records_causes_and_remedies() -> None:
    summary = _sheet(
        "工作总结",
        [
            {"key": "队伍管理", "value": "全年队伍安全无事故，无违纪违法问题"},
            {"key": "镇情", "value": "全镇辖14个行政村、2.8万人"},
        ],
    )
    assert _where(propose_outline(TEMPLATES["工作总结"], summary)) == {
        "队伍管理": "achievements",
        "镇情": "overview",
    }
    survey = _sheet(
        "调研报告",
        [
            {"key": "家庭因素", "value": "来自留守、单亲等家庭的占63%，家庭监护缺失是主要诱因"},
            {"key": "培训", "value": "企业职工培训经费提取和使用不规范"},
        ],
    )
    assert set(_where(propose_outline(TEMPLATES["调研报告"], survey)).values()) == {"problems"}
    report = _sheet(
        "整改情况报告",
        [{"key": "巡查值班记录不规范", "value": "修订《水库巡查值班制度》，改为APP定位打卡"}],
    )
    assert _where(propose_outline(TEMPLATES["整改情况报告"], report)) == {
        "巡查值班记录不规范": "items"
    }
    briefing = _sheet(
        "工作情况汇报",
        [
            {"key": "包保干部", "value": "确定县乡村三级包保干部1260名，包保主体实现全覆盖"},
            {"key": "抽检", "value": "完成监督抽检3260批次，核查处置率100%"},
        ],
    )
    assert _where(propose_outline(TEMPLATES["工作情况汇报"], briefing)) == {
        "包保干部": "work_1",
        "抽检": "work_2",
    }


def test_a_low_rate_or_slow_update_found_by_a_survey_is_a_problem() -> None:
    # learnt from dev b19: 利用率低, 更新慢 name shortfalls
    survey = _sheet(
        "调研报告",
        [
            {"key": "农家书屋", "value": "约四成农家书屋图书更新慢，利用率低，部分常年锁门"},
            {"key": "借阅量", "value": 420, "unit": "万册次", "note": "比上年增长11%"},
        ],
    )
    assert _where(propose_outline(TEMPLATES["调研报告"], survey)) == {
        "农家书屋": "problems",
        "借阅量": "situation",
    }


def test_a_title_without_one_given_is_made_from_the_reports_topic() -> None:

    templates = load_templates()
    sheet = FactSheet.model_validate(
        {
            "report": {
                "template": "调研报告",
                "organization": "滢川市社会科学院",
                "topic": "社区嵌入式托育服务发展",
            },
            "facts": [],
        }
    )
    t = templates["调研报告"]
    assert fixed_text(sheet, t, t.sections[0]) == "关于社区嵌入式托育服务发展的调研报告"
    untold = FactSheet.model_validate({"report": {"template": "调研报告"}, "facts": []})
    assert fixed_text(untold, t, t.sections[0]) == "关于【待补充：事项】的调研报告"


def test_what_a_plan_covers_is_scope_and_after_care_is_work_done() -> None:
    where = _placed(
        "工作情况汇报",
        [
            {"key": "改造任务", "value": "2025—2026年列入改造计划的老旧小区27个，涉及居民6800户"},
            {"key": "加装电梯", "value": "加装电梯46部"},
            {"key": "长效管理", "value": "引入物业服务企业进驻改造后小区16个"},
            {"key": "下一步", "value": "年底前完成剩余6个小区改造"},
        ],
        title="蓼城街道办事处关于老旧小区改造工作情况的汇报",
    )
    assert where["改造任务"] == "overview"
    assert where["长效管理"].startswith("work_")
    assert where["下一步"] == "problems_plans"


def test_burdens_long_hours_evasion_and_lapsed_contracts_are_found_as_problems() -> None:
    where = _placed(
        "调研报告",
        [
            {"key": "覆盖", "value": "全区86所学校全部开展课后服务，学生参与率91%"},
            {"key": "教师负担", "value": "73%的教师表示每天在校时间超过10小时"},
            {"key": "劳动时长", "value": "61%的受访骑手日均工作超过10小时"},
            {"key": "诉求", "value": "受访者最希望解决的是算法规则透明和职业伤害保障"},
            {"key": "平台责任", "value": "部分平台通过层层外包规避用工责任"},
            {"key": "合同管理", "value": "资产资源发包合同到期未续签或低价发包的有87份"},
            {"key": "建议", "value": "推动平台企业建立协商协调机制"},
        ],
    )
    assert where["覆盖"] == "situation"
    for key in ("教师负担", "劳动时长", "诉求", "平台责任", "合同管理"):
        assert where[key] == "problems", key


def test_what_is_listed_for_the_year_is_the_overviews_scope() -> None:
    where = _placed(
        "工作情况汇报",
        [
            {"key": "项目总数", "value": "今年列入市级重大项目38个，总投资426亿元"},
            {"key": "开工", "value": "新开工项目21个，开工率91%"},
            {"key": "走访", "value": "网格员入户走访2.6万户次"},
        ],
    )
    assert where["项目总数"] == "overview"
    assert where["走访"] == "work_2"


def test_an_empty_body_part_takes_the_closest_fact_of_a_full_sibling() -> None:
    outline = propose_outline(
        TEMPLATES["工作情况汇报"],
        _sheet(
            "工作情况汇报",
            [
                {
                    "key": "推进机制",
                    "value": "实行一个项目一名领导一个专班推进机制，每周召开调度会",
                },
                {"key": "开工", "value": "新开工项目21个，开工率91%"},
                {"key": "投资完成", "value": "完成投资86.4亿元，占年度计划的92%"},
                {"key": "竣工投产", "value": "竣工投产项目9个"},
                {"key": "招商", "value": "新签约亿元以上项目14个"},
            ],
            title="芡实经济开发区管委会关于重大项目建设工作情况的汇报",
        ),
    )
    where = _where(outline)
    assert "work_2" in where.values() and where["推进机制"] == "work_1"
    moved = next(s for s in outline.sections if s.id == "work_2")
    assert all("调入" in moved.why[k] for k in moved.facts)


def test_what_an_inquiry_found_and_an_audit_pointed_out_are_findings_not_methods() -> None:
    inquiry = _placed(
        "调研报告",
        [
            {"key": "咋调研的", "value": "个别访谈85人，发放问卷620份，召开座谈会6场"},
            {"key": "问卷发现", "value": "问卷中43%的年轻干部认为晋升通道不畅"},
        ],
    )
    assert inquiry == {"咋调研的": "background", "问卷发现": "problems"}
    audit = _placed(
        "整改情况报告",
        [
            {"key": "审计发现", "value": "县审计局开展审计，指出问题4类15个"},
            {"key": "整改进度", "value": "已完成整改13个，2个正在整改"},
        ],
    )
    assert audit == {"审计发现": "overview", "整改进度": "overview"}


def test_a_road_networks_extent_is_scope_and_its_meetings_are_organisation() -> None:
    where = _placed(
        "工作情况汇报",
        [
            {"key": "路网规模", "value": "全县农村公路总里程2860公里，实现所有建制村通硬化路"},
            {"key": "安全例会", "value": "每月召开一次校园安全工作例会，全年共10次"},
            {"key": "封闭管理", "value": "校门实行封闭化管理，配备专职保安8名"},
        ],
    )
    assert where == {"路网规模": "overview", "安全例会": "work_1", "封闭管理": "work_2"}


def test_rectification_progress_in_staff_words_is_the_overviews_and_a_problem_list_is_a_tool() -> (
    None
):
    where = _placed(
        "整改情况报告",
        [
            {"key": "查出来的问题", "value": "县纪委监委督导检查发现问题17个"},
            {"key": "改了多少", "value": "已整改到位15个，2个持续推进"},
            {
                "key": "怎么抓的",
                "value": "召开专题推进会6次，建立问题、责任、措施三张清单",
            },
        ],
    )
    assert where == {
        "查出来的问题": "overview",
        "改了多少": "overview",
        "怎么抓的": "organization_work",
    }
    turnover = _placed("调研报告", [{"key": "流动", "value": "一线员工年流失率达到32%"}])
    assert turnover == {"流动": "problems"}


def test_problems_found_by_an_audit_are_its_work_and_carrying_out_a_policy_is_a_task() -> None:
    audit = _placed(
        "工作总结",
        [
            {"key": "审计项目", "value": "完成审计项目42个，查出问题金额3.8亿元"},
            {"key": "移送线索", "value": "向纪检监察机关移送问题线索9件"},
            {"key": "差距", "value": "审计人员数量不足，专业结构不合理"},
        ],
    )
    assert audit == {"审计项目": "achievements", "移送线索": "achievements", "差距": "problems"}
    tax = _placed(
        "工作情况汇报",
        [
            {"key": "局党委部署", "value": "局党委会议研究纳税服务工作5次，制定实施方案"},
            {"key": "政策落实", "value": "新增减税降费及退税缓费3.6亿元"},
        ],
    )
    assert tax["局党委部署"] == "work_1" and tax["政策落实"] != "work_1"


def test_a_report_part_left_empty_takes_the_result_that_fits_it() -> None:
    # a 医保局's 汇报 put every fact in 二、 and left 三、 with only 【待补充】 (dev b22)
    sheet = _sheet(
        "工作情况汇报",
        [
            {"key": "工作专班", "value": "成立由局长任组长的基金监管工作专班"},
            {"key": "检查", "value": "对定点医药机构现场检查覆盖率100%"},
            {"key": "追回资金", "value": "追回医保基金1860万元，行政处罚42家"},
            {"key": "宣传", "value": "开展“基金监管集中宣传月”活动，发放宣传资料5万份"},
            {"key": "举报奖励", "value": "兑现举报奖励8.6万元"},
        ],
        title="荻港区医疗保障局关于医保基金监管工作情况的汇报",
    )
    where = _where(propose_outline(TEMPLATES["工作情况汇报"], sheet))
    assert "work_3" in where.values()


def test_a_space_put_to_other_use_is_a_problem_and_cases_closed_a_result() -> None:
    # dev b27: a 总工会's 书屋被挪作会议室 had gone to 基本情况, a 法院's 执结 to 二、
    survey = _sheet(
        "调研报告",
        [
            {"key": "建设数量", "value": "全县建成各级职工书屋126家"},
            {"key": "场地", "value": "部分企业书屋被挪作会议室或仓库，开放时间与职工作息不匹配"},
        ],
        title="关于全县职工书屋建设和使用情况的调研报告",
    )
    assert _where(propose_outline(TEMPLATES["调研报告"], survey))["场地"] == "problems"
    court = _sheet(
        "工作情况汇报",
        [
            {"key": "院党组", "value": "院党组会专题研究执行工作5次"},
            {"key": "集中行动", "value": "开展集中执行行动3轮，拘留拒不履行被执行人37人"},
            {"key": "结案", "value": "执结4512件，执行到位金额6.8亿元"},
        ],
        title="苇川县人民法院关于切实解决执行难工作情况的汇报",
    )
    assert _where(propose_outline(TEMPLATES["工作情况汇报"], court))["结案"] == "work_3"
