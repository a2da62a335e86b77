"""One fact as a 公文 clause: what the figure counts, the figure, and what the note adds."""

from __future__ import annotations

import pytest

from assistant.drafting.phrasing import clause, text_items
from assistant.facts.sheet import Fact


def test_a_note_that_only_names_the_base_of_a_change_reads_as_the_change() -> None:
    assert clause(Fact(key="社零增速", value=6.2, unit="%", note="同比"), "〔F1〕") == (
        "社零同比增长6.2%〔F1〕"
    )
    assert clause(Fact(key="事故起数降幅", value=12, unit="%", note="较上年"), "") == (
        "事故起数较上年下降12%"
    )
    # A total with a base is no change: the base stays beside the figure.
    assert clause(Fact(key="地区生产总值", value=120, unit="亿元", note="同比"), "") == (
        "地区生产总值达到120亿元（同比）"
    )


def test_a_note_that_says_more_is_told_as_the_work_done() -> None:
    talk = Fact(
        key="廉洁谈话", value=36, unit="人次", note="与分管科室干部开展的谈心谈话、廉洁提醒"
    )
    assert clause(talk, "") == "与分管科室干部开展谈心谈话、廉洁提醒36人次"
    # A note that continues the sentence stays after the figure.
    assert clause(Fact(key="受理投诉", value=120, unit="件", note="同比增长12%"), "") == (
        "受理投诉120件，同比增长12%"
    )


def test_a_rate_that_should_be_low_is_kept_down_not_reached() -> None:
    assert clause(Fact(key="婴儿死亡率", value=2.8, unit="‰"), "") == "婴儿死亡率控制在2.8‰"
    assert clause(Fact(key="群众满意率", value=96, unit="%"), "") == "群众满意率达到96%"


def test_a_sheet_in_staff_words_reads_as_clauses() -> None:
    # a key written as a question reads as its answer
    assert clause(Fact(key="楼栋议事会开了多少场", value=47, unit="场"), "") == "楼栋议事会开了47场"
    # a short note naming who is counted completes the key
    assert clause(Fact(key="日均在所", value=684, unit="名", note="戒毒人员"), "") == (
        "日均在所戒毒人员684名"
    )
    # a value that opens on its count, or on a bare verb, keeps the key as what it counts
    assert clause(Fact(key="全县民营企业", value="1.12万户，占企业总数的93%"), "") == (
        "全县民营企业1.12万户，占企业总数的93%"
    )
    assert clause(Fact(key="安全大检查", value="开展9轮，排查整改隐患63处"), "") == (
        "开展安全大检查9轮，排查整改隐患63处"
    )
    assert clause(Fact(key="千人口献血率", value="10.4‰"), "") == "千人口献血率为10.4‰"
    # documents alone take the key's verb, else what was done with them
    assert clause(Fact(key="新修订的制度", value="《征收管理办法》《质量监督规程》"), "") == (
        "修订《征收管理办法》《质量监督规程》"
    )
    assert clause(Fact(key="区里下发的方案", value="《加装电梯实施方案》"), "") == (
        "认真贯彻落实《加装电梯实施方案》"
    )


def test_a_heading_copied_with_its_number_is_told_by_its_paragraph() -> None:
    copied = Fact(key="（二）细化整改措施", value="逐项制定整改措施39条，实行清单化管理。")
    assert clause(copied, "〔F3〕") == "逐项制定整改措施39条，实行清单化管理〔F3〕"
    dated = Fact(key="一、整改工作总体情况", value="2026年7月，县审计局开展专项审计")
    assert clause(dated, "") == "2026年7月，县审计局开展专项审计"


def test_when_it_was_counted_goes_before_and_a_shortfall_continues_the_sentence() -> None:
    lessons = Fact(key="听课", value=26, unit="节", note="全年，未达到每学期不少于20节的要求")
    assert clause(lessons, "") == "全年听课26节，未达到每学期不少于20节的要求"
    assets = Fact(key="盘活闲置厂房", value=3.2, unit="万平方米", note="前三季度累计")
    assert clause(assets, "") == "前三季度盘活闲置厂房3.2万平方米"
    # a figure whose key already opens on the time keeps it once
    assert (
        clause(Fact(key="全年接诊", value=8600, unit="人次", note="全年"), "") == "全年接诊8600人次"
    )


def test_a_figure_that_backs_a_shortfall_stays_with_it() -> None:
    assert text_items("基层监管所执法人员不足，平均每所仅5人", "存在问题") == [
        "基层监管所执法人员不足，平均每所仅5人"
    ]
    assert text_items("执法装备老化，信息化水平不高", "存在问题") == [
        "执法装备老化",
        "信息化水平不高",
    ]


def test_a_note_that_is_only_the_verb_to_the_figure_goes_before_it() -> None:
    opening = Fact(key="企业开办时间", value=0.5, unit="个工作日", note="压缩至")
    assert clause(opening, "〔F4〕") == "企业开办时间压缩至0.5个工作日〔F4〕"
    assert clause(Fact(key="群众满意率", value=96, unit="%", note="提高到"), "") == (
        "群众满意率提高到96%"
    )


def test_a_figure_of_how_little_there_is_backs_the_shortfall_before_it() -> None:
    from assistant.drafting.phrasing import text_items

    assert text_items("基层监管力量薄弱，部分市场监管所仅有3名执法人员", "存在问题") == [
        "基层监管力量薄弱，部分市场监管所仅有3名执法人员"
    ]
    assert text_items("基层执法力量不足，智慧监管覆盖不够", "存在问题") == [
        "基层执法力量不足",
        "智慧监管覆盖不够",
    ]


def test_the_figure_follows_the_clause_of_the_note_that_names_what_it_counts() -> None:
    # The whole note used to stand before the figure: 全年新收押，同比下降9%；日均在押312人1368人次.
    intake = Fact(
        key="全年新收押", value=1368, unit="人次", note="全年新收押，同比下降9%；日均在押312人"
    )
    assert clause(intake, "") == "全年新收押1368人次，同比下降9%，日均在押312人"
    complaints = Fact(
        key="周边居民投诉", value=2, unit="件", note="整改后周边居民异味投诉，上年同期为19件"
    )
    assert clause(complaints, "") == "整改后周边居民异味投诉2件（上年同期为19件）"
    # The last clause names the measure: the whole note goes before the figure, as before.
    idle = Fact(
        key="长期未就业青年",
        value=186,
        unit="人",
        note="登记在册的长期未就业青年中，至11月底仍未实现稳定就业的人数",
    )
    assert clause(idle, "") == "登记在册的长期未就业青年中，至11月底仍未实现稳定就业的人数达到186人"
    # A clause with a figure of its own names another thing: the key counts.
    rate = Fact(
        key="兵役登记",
        value=1342,
        unit="人",
        note="适龄男性青年网上兵役登记完成率100%，其中大学生517人",
    )
    assert clause(rate, "").startswith("兵役登记1342人（")
    # 其中 opens a part of the figure, never what it counts.
    deputies = Fact(key="镇人大代表", value=46, unit="名", note="其中县人大代表11名")
    assert clause(deputies, "") == "镇人大代表46名，其中县人大代表11名"


def test_only_a_meeting_counted_in_sittings_is_held() -> None:
    assert clause(Fact(key="专题调度会", value=11, unit="次"), "") == "召开专题调度会11次"
    assert clause(Fact(key="所属学会", value=23, unit="个"), "") == "所属学会23个"
    assert clause(Fact(key="座谈会", value=8, unit="场", note="分片区召开代表座谈会"), "") == (
        "分片区召开代表座谈会8场"
    )


def test_a_key_naming_one_shortfall_keeps_its_sentence_whole() -> None:
    one = "农村学校课后服务主要靠本校教师，音体美教师缺口约210人，教师每周课后服务平均6.5课时，负担偏重"
    assert text_items(one, "农村学校师资不足") == [one]
    assert text_items("人员不足，经费紧张，设备老化", "存在的问题") == [
        "人员不足",
        "经费紧张",
        "设备老化",
    ]


def test_a_satisfaction_score_is_reached() -> None:
    assert clause(Fact(key="家长满意度", value=91.2, unit="%"), "") == "家长满意度达到91.2%"


def test_a_change_told_as_text_is_the_change_of_its_key() -> None:
    assert clause(Fact(key="刑事警情", value="同比下降21.6%"), "") == "刑事警情同比下降21.6%"
    assert clause(Fact(key="群众安全感", value=98.1, unit="%"), "") == "群众安全感达到98.1%"


def test_a_key_asked_as_a_question_and_a_value_that_says_the_work() -> None:
    assert clause(Fact(key="开了几次支委会", value=24, unit="次"), "") == "召开支委会24次"
    assert clause(Fact(key="修路", value="硬化通组路4.6公里"), "") == "硬化通组路4.6公里"


def test_a_value_that_names_its_own_key_is_not_prefixed_with_it() -> None:
    fact = Fact(key="经营面积", value="3个国有林场经营面积28.6万亩，在职职工186人")
    assert clause(fact, "〔F2〕") == "3个国有林场经营面积28.6万亩，在职职工186人〔F2〕"
    # a count of what the key names still reads key first
    assert clause(Fact(key="全县民营企业", value="1.12万户，占经营主体的31%"), "") == (
        "全县民营企业1.12万户，占经营主体的31%"
    )
    # a share of whom (14至16周岁的占31%) is no count of the key
    assert (
        clause(Fact(key="低龄化", value="14至16周岁的占31%"), "") == "低龄化方面，14至16周岁的占31%"
    )


def test_a_principle_written_as_a_sentence_is_not_quoted_as_a_slogan() -> None:
    from assistant.drafting.phrasing import text_clause

    slogan = Fact(key="总要求", value="干净、整洁、有序")
    assert text_clause(slogan, "") == "紧扣“干净、整洁、有序”的总要求"
    sentence = Fact(key="总要求", value="围绕“干净、整洁、有序”，先清后改、分村推进")
    told = text_clause(sentence, "")
    assert told.startswith("围绕“干净、整洁、有序”，先清后改、分村推进")
    assert "““" not in told and "紧扣“围绕" not in told


@pytest.mark.parametrize(
    ("fact", "told"),
    [
        # a text key asked as a question is answered by its value alone (咋调研的3—5月组成…)
        (
            Fact(key="咋调研的", value="3—5月组成4个调研小组，走访22所中小学"),
            "3—5月组成4个调研小组，走访22所中小学",
        ),
        (
            Fact(key="家长怎么想", value="问卷显示62%的家长认为乳牙坏了不用治"),
            "问卷显示62%的家长认为乳牙坏了不用治",
        ),
        # a rate whose note is only its change reads as the change (once 人均综合能耗3.8%，同比下降)
        (
            Fact(key="人均综合能耗", value=3.8, unit="%", note="同比下降"),
            "人均综合能耗同比下降3.8%",
        ),
        # a note that repeats the key's words is not glued to them (已完成整改完成15个)
        (Fact(key="整改完成", value=15, unit="个", note="已完成整改"), "已完成整改15个"),
        # a note that is the work the figure counts comes before it, not in brackets
        (
            Fact(key="充电桩", value=48, unit="个", note="在机关院内新建"),
            "在机关院内新建充电桩48个",
        ),
        # a value with its own subject is not glued to the key (智能化7个粮库实现…)
        (
            Fact(key="智能化", value="7个粮库实现粮情在线监测和智能通风"),
            "智能化方面，7个粮库实现粮情在线监测和智能通风",
        ),
        # a key that only frames the value is not said before it (完成情况方面，11条…)
        (Fact(key="完成情况", value="11条问题已全部完成整改"), "11条问题已全部完成整改"),
        (Fact(key="质量", value="1项工程获评省级优质工程"), "质量方面，1项工程获评省级优质工程"),
        # the work the value opens with needs no 方面 (稽查方面，查处…)
        (Fact(key="稽查", value="查处虚开发票案件7起"), "查处虚开发票案件7起"),
        # a value opening on a span of years is a sentence (改造任务2025—2026年列入…)
        (
            Fact(key="改造任务", value="2025—2026年列入改造计划的老旧小区27个"),
            "2025—2026年列入改造计划的老旧小区27个",
        ),
    ],
)
def test_a_key_or_note_that_only_frames_the_value_is_not_told_beside_it(
    fact: Fact, told: str
) -> None:
    assert clause(fact, "") == told


def test_a_time_key_the_value_already_names_is_not_said_twice() -> None:
    said = clause(Fact(key="通关时间", value="进口整体通关时间压缩至28小时，出口压缩至0.9小时"), "")
    assert said.startswith("进口整体通关时间压缩至28小时")
    assert clause(Fact(key="办结时间", value="3个工作日"), "").startswith("办结时间为3个工作日")


def test_a_text_that_says_how_keeps_what_the_key_names() -> None:
    fee = Fact(key="党费收缴", value="按月收缴，全年未发现少交漏交")
    assert clause(fee, "") == "党费按月收缴，全年未发现少交漏交"
    # a value that names its own work stays as it is
    work = Fact(key="执法检查", value="开展执法检查46次")
    assert clause(work, "") == "开展执法检查46次"


def test_what_did_not_happen_is_told_after_the_count_not_run_into_it() -> None:
    accidents = Fact(
        key="事故起数",
        value=7,
        unit="起",
        note="同比下降36.4%，死亡人数同比下降40%，未发生较大及以上事故",
    )
    assert clause(accidents, "") == (
        "事故起数控制在7起，同比下降36.4%，死亡人数同比下降40%，未发生较大及以上事故"
    )


def test_a_unit_typed_into_the_key_follows_the_figure() -> None:
    assert clause(Fact(key="移送公安（起）", value=2), "") == "移送公安2起"
    assert clause(Fact(key="培训（期）", value=3, unit="期"), "") == "培训3期"
