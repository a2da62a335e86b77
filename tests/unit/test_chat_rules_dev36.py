"""The rule planner on the wording of chat dev 36 to 38: a part named by words of its heading a
character apart, 正文 for the one body part, the report named by its genre, the reason for an
ask told in passing, how many items of each kind to write, pairs counted (860对), a heading that
does not fit its text, a doubt whether a passage stands, the parts whose headings share a
quoted phrase, a part named inside another (欢迎词里称呼), a sentence reworded; dev 39: what the
text is about said as a reason, a wording asked whether right, a figure rounded from the draft's,
how a figure was estimated, who leads the work told; dev 40: how many to write (按三条来写), a
figure added in quotation marks, the draft's figure named as an example or moved, 用错的词; dev
41: 我刚核对过 is no ask, 缺少… the content of a revision, 还有2条没整改完 the rest pointed at,
who leads told (主任任组长), when the work was done told (调研是今年8月做的)."""

from __future__ import annotations

import pytest

from assistant.chat.plan import ReportView
from assistant.facts.quantities import find_quantities
from tests.unit.test_chat_rules import steps, view

SHUZHI = view(
    "述职报告",
    {
        "opening": "本人2023年8月起任校长。",
        "duties": "（一）深化教育教学改革\n本科上线率达到71.5%。\n（二）抓民族团结进步教育\n开设校本课程。",
        "integrity": "本人始终把纪律和规矩挺在前面。",
    },
)
ZONGJIE = view(
    "工作总结",
    {
        "overview": "2025年，图书馆到馆读者41.7万人次，同比增长18.4%。",
        "achievements": "（一）统筹推进各项工作\n到馆读者41.7万人次，文献外借26.3万册次。",
        "problems": "一是低效分馆5个。",
    },
)
ZHENGGAI = view(
    "整改情况报告",
    {
        "overview": "区委第二巡察组反馈问题26个，已完成整改22个。",
        "organization_work": "整改措施78条。",
        "items": "（一）关于优待证办理进度慢的问题\n开设绿色通道。\n（二）狠抓问题整改\n"
        "追回违规发放优抚补助资金18.7万元，问责3人。",
        "next_steps": "重点抓好以下工作：【待补充：下一步工作的目标和主要措施】。",
    },
)
HUIBAO = view(
    "工作情况汇报",
    {
        "opening": "首先，对市委统战部调研组各位领导莅临指导表示热烈欢迎！",
        "work_1": "强化组织领导。部务会专题研究6次。",
        "work_2": "建言献策。提交意见建议48条，其中9条被采纳。",
        "work_3": "推动先行先试。建成实践创新基地5个。",
    },
)
HUIBAO_SINCE = view(
    "工作情况汇报",
    {
        "opening": "首先，对督导组各位领导莅临指导表示热烈欢迎！",
        "overview": "2025年以来，以来退役军人服务保障工作取得积极成效。",
        "work_1": "强化组织领导。局党组会研究9次。",
        "work_2": "强化教育培训。组织适应性培训680人次。",
        "work_3": "提升群众获得感。在市运营平台14家，取得许可的9家。优待抚恤金5260万元。",
    },
    {
        "work_1": "一、加强组织领导，推动以来退役军人服务保障各项部署落地见效",
        "work_2": "二、聚焦重点任务，扎实推进以来退役军人服务保障各项工作",
        "work_3": "三、注重实际成效，推动以来退役军人服务保障工作取得新进展",
    },
)


@pytest.mark.parametrize(
    ("message", "v", "expected"),
    [
        # 履职情况 for the heading 履职尽责情况; the outcome told is a fact to confirm
        (
            "履职情况再加一个方面，抓安全稳定，全年未发生安全责任事故",
            SHUZHI,
            [("facts", None), ("revise", "duties")],
        ),
        # 正文 in a 工作总结 is its one body part, not the overview named beside it
        (
            "到馆读者41.7万人次在概述和正文里都出现了，正文那处删掉",
            ZONGJIE,
            [("revise", "achievements")],
        ),
        # 整改报告里: the whole report, not the 整改总体情况 part
        ("帮我检查一下整改报告里的数字和事实表对不对得上", ZHENGGAI, [("check", None)]),
        # 追回资金 for 追回违规发放优抚补助资金: the sentence pointed at, revised
        ("追回资金那句加上，已全部退缴国库", ZHENGGAI, [("revise", "items")]),
        # 现在还有待补充 is the reason for the ask, not a question of what is missing
        ("下一步工作那段帮我写完整，现在还有待补充", ZHENGGAI, [("revise", "next_steps")]),
        # 这次是书面报送: how the report goes in, no fact
        ("开头别欢迎了，这次是书面报送", HUIBAO, [("revise", "opening")]),
        # 查查…别的区…是怎么写的: how others wrote, sought, not a proofreading
        ("查查别的区检察院公益诉讼汇报是怎么写的", HUIBAO, [("search", None)]),
        # 问题三条 打算三条: how many of each to write, no fact
        (
            "第四部分还空着 帮我写出来 问题三条 打算三条",
            HUIBAO,
            [("draft", "problems_plans")],
        ),
        # 没问题吧 asks whether the words stand: a look, not a rewrite
        ("调研组是市委统战部的，开头的欢迎词没问题吧", HUIBAO, [("check", "opening")]),
        # 提升到95.2% is the draft's words quoted, no ask to 提升 the text
        ("9条被采纳提升到了多少，这个来源是什么", HUIBAO, [("sources", "work_2")]),
        # a heading that does not fit its text: rewritten, not a figure checked
        (
            "主要工作第一个小标题跟内容对不上 内容只有一句",
            ZONGJIE,
            [("revise", "achievements")],
        ),
        # 860对: pairs, a figure to confirm
        (
            "民族团结那段没数据，加上结对互助学生860对",
            SHUZHI,
            [("facts", None), ("revise", "duties")],
        ),
        # 那是明年的打算 says what the words are: the part named before is the one changed
        (
            "总体情况里怎么跑进来一句2026年新增监测点位，那是明年的打算，删掉",
            ZONGJIE,
            [("revise", "overview")],
        ),
        # 我们是监督所不是医院: the reason for the rewording, no fact
        (
            "（一）的小标题写成统筹推进不对，我们是图书馆不是机关，改成“推进总分馆制建设”",
            ZONGJIE,
            [("revise", "achievements")],
        ),
        # 还有3个没整改到位的: the rest pointed at, no figure told
        (
            "把下一步工作重新起草，还有3个没整改到位的要写清楚怎么办",
            ZHENGGAI,
            [("draft", "next_steps")],
        ),
        # the three headings that share the quoted words, not the title that also holds them
        (
            "标题下面三个小标题里都有“以来退役军人”，读不通，改成“退役军人服务保障”",
            HUIBAO_SINCE,
            [("revise", "work_1"), ("revise", "work_2"), ("revise", "work_3")],
        ),
        ("优待抚恤金5260万元的依据", HUIBAO_SINCE, [("sources", "work_3")]),
        ("整篇看一遍 数字前后有没有矛盾", HUIBAO_SINCE, [("check", None)]),
        # 欢迎词里称呼: the address inside the welcome, not the salutation part
        ("督导组是市局的，欢迎词里称呼对不对", HUIBAO_SINCE, [("check", "opening")]),
        # 这句话……重写一下: the sentence reworded, not the part drafted afresh
        (
            "在市运营平台14家，取得许可的9家，这句话读着别扭，重写一下",
            HUIBAO_SINCE,
            [("revise", "work_3")],
        ),
        # 内容讲的是…: the reason for the new heading, no fact
        (
            "第三部分“推动先行先试”这个小标题不对，内容讲的是服务群众，改成“提升服务效能”",
            HUIBAO,
            [("revise", "work_3")],
        ),
        # 称谓写成“…”对吗: whether the words stand, looked at
        ("称谓写成“市委统战部调研组”对吗", HUIBAO, [("check", "salutation")]),
        # 增长了18% for the draft's 同比增长18%… rounded: the draft's own figure, no fact
        (
            "问题部分第一条加上原因，主要是到馆读者增长了18%",
            ZONGJIE,
            [("revise", "problems")],
        ),
        ("文献外借26.3万册次是怎么测算的", ZONGJIE, [("sources", "achievements")]),
        # 所长任……组长: who leads the work, a fact to confirm
        (
            "整改工作开展情况太简单，补上所长任整改领导小组组长",
            ZHENGGAI,
            [("facts", None), ("revise", "organization_work")],
        ),
        (
            "麻烦把第四部分帮我写一下，问题就写对接不精准这一个，打算按三条来写，谢谢",
            HUIBAO,
            [("draft", "problems_plans")],
        ),
        # a figure added in quotation marks is a fact to confirm
        (
            "第二部分建言献策那层加上“开展专题调研12次”",
            HUIBAO,
            [("facts", None), ("revise", "work_2")],
        ),
        # the draft's own figures, named as an example or moved: no fact
        (
            "总体情况太短了，加两个主要数据，比如文献外借26.3万册次",
            ZONGJIE,
            [("revise", "overview")],
        ),
        (
            "第二部分第四个小标题不是问题，把问责3人挪到第一部分整改工作开展情况里",
            ZHENGGAI,
            [("revise", "items"), ("revise", "organization_work")],
        ),
        ("总结有没有用错的词", ZONGJIE, [("check", None)]),
        (
            "第一部分第二句部务会专题研究6次，改成7次，我刚核对过",
            HUIBAO,
            [("facts", None), ("revise", "work_1")],
        ),
        ("问题第一条具体一点，缺少专职人员和专项经费", ZONGJIE, [("revise", "problems")]),
        (
            "下一步工作重新起草，巡察反馈还有4条没整改完",
            ZHENGGAI,
            [("draft", "next_steps")],
        ),
        (
            "整改工作开展情况再充实一些，加上理事会主任任组长",
            ZHENGGAI,
            [("facts", None), ("revise", "organization_work")],
        ),
        # a quoted addition that counts the rest tells nothing new
        (
            "总体情况里“已完成整改22个”后面加上“其余4个正在推进”",
            ZHENGGAI,
            [("revise", "overview")],
        ),
        # a new user's 整改 report told in the chat: a problem and what was done, not a look for
        # wrong wording (不规范 names the problem)
        (
            "教辅资料征订不规范，清退违规收费4.2万元",
            ZHENGGAI,
            [("facts", None)],
        ),
        (
            "食堂管理不规范的问题，我们重新公开招标了食堂承包方，建立了食材采购台账",
            ZHENGGAI,
            [("facts", None)],
        ),
        ("帮我看看第一部分有没有不规范的提法", ZHENGGAI, [("check", "organization_work")]),
    ],
)
def test_staff_wording_of_dev36(
    message: str, v: ReportView, expected: list[tuple[str, str | None]]
) -> None:
    assert steps(message, v) == expected


def test_pairs_are_counted_but_a_doubt_is_no_unit() -> None:
    assert [(q.text, q.unit) for q in find_quantities("结婚登记2368对")] == [("2368对", "对")]
    assert [q.unit for q in find_quantities("这个数是18对吧")] == [""]
    assert [q.unit for q in find_quantities("数字9720对不上")] == [""]
