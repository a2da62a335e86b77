"""The rule planner on the wording of chat dev 32 to 35: layer headings, parts' headings counted,
a figure added with no part named, the draft's items counted and re-shaped, a measure proposed
for a plans part, rhetorical questions before a deletion."""

from __future__ import annotations

import pytest

from assistant.chat.plan import ReportView
from tests.unit.test_chat_rules import steps, view

SHUZHI = view(
    "述职报告",
    {
        "title": "2026年度述职报告",
        "opening": "本人自2024年3月起担任院长。",
        "duties": "（一）坚持党建引领\n全年参加党委会议22次。\n（二）抓好安全生产\n整改隐患46处。",
        "integrity": "本人始终把纪律和规矩挺在前面。",
        "shortcomings": "本人还存在一些不足：一是学习不够系统。",
    },
)
SHUZHI_ALL = view(
    "述职报告",
    {
        "opening": "本人任所长。",
        "duties": "全年新收押1368人次。",
        "direction": "一是推动新所封顶。",
    },
)
ZHENGGAI_FIVE = view(
    "整改情况报告",
    {
        "overview": "审计指出问题4类15个，已完成整改13个。",
        "items": "".join(f"（{n}）关于第{n}个的问题\n已整改。\n" for n in "一二三四五"),
        "next_steps": "下一步，持续巩固整改成果。",
    },
    title="苎麻县国有资产投资有限公司关于县审计局审计发现问题整改情况的报告",
)
ZONGJIE_NO_PLANS = view(
    "工作总结",
    {
        "overview": "2026年，医院扎实推进各项工作。",
        "achievements": "（一）提升服务\n门急诊52.3万人次。",
    },
)
DIAOYAN_SHARES = view(
    "调研报告",
    {
        "background": "回收有效问卷1560份。",
        "situation": "上半年营业收入同比增长的占41%，下降的占26%。",
        "problems": "一是成本上涨。",
    },
)
HUIBAO = view(
    "工作情况汇报",
    {
        "opening": "欢迎执法检查组莅临指导。",
        "work_1": "强化组织领导。建立联席会议制度。",
        "work_2": "推动成果转化。建成中试基地6个。",
        "work_3": "强化科技创新。高新技术企业达到1268家。",
        "problems_plans": "一是对接不够精准。下一步，建设技术交易市场。",
    },
)
ZHENGGAI = view(
    "整改情况报告",
    {
        "overview": "2026年3月，市委巡察组反馈问题23个。",
        "organization_work": "党总支会议专题研究整改7次。",
        "items": "（一）关于门票收入未及时上缴的问题\n改为线上购票。\n（二）关于兽舍老化的问题\n改造6个场馆。"
        "\n（三）关于采购规避招标的问题\n采购成本节约约9%。\n（四）狠抓问题整改\n问责5人，游客投诉41件。",
    },
)
ZONGJIE = view(
    "工作总结",
    {
        "overview": "2026年，县委编办扎实推进各项工作，事业单位年报公示率100%。",
        "achievements": "（一）加强组织领导\n召开编委会4次。\n（二）深化学习培训\n调剂编制65名。"
        "\n（三）压实整改责任\n检查27家。\n（四）统筹抓好其他工作\n事业单位年报公示率100%。",
        "problems": "一是编制紧缺与闲置并存；二是评估不深入；三是评估结果运用不充分；四是信息共享不及时；"
        "五是空编率低；六是动态调整机制未建立。",
        "plans": "一是建立动态调整机制。",
    },
)
DIAOYAN = view(
    "调研报告",
    {
        "background": "2026年9—10月，学校开展专题调研，发放问卷4200份。",
        "situation": "2026届毕业生5830人。留在省内就业的占64%。",
        "problems": "一是部分专业去向落实率不足80%；二是41%的毕业生首选机关事业单位。",
        "suggestions": "一是建立专业设置与就业联动机制。",
    },
    title="关于芸台大学2026届毕业生就业情况的调研报告",
)


@pytest.mark.parametrize(
    ("message", "v", "expected"),
    [
        # the heading asked for after a layer is pointed at is that layer's; 放到最后没问题 moves nothing
        (
            "抓好安全生产那层放到最后没问题，但是标题改成“守牢安全底线”",
            SHUZHI,
            [("revise", "duties")],
        ),
        # …but the report's own title, asked about in a clause of its own, still is the title
        (
            "坚持党建引领那层写细一点，另外标题里的“述职”改成“述职述廉”",
            SHUZHI,
            [("revise", "duties"), ("revise", "title")],
        ),
        # 三个部分的标题: the headings of the body parts, rewritten, not a draft of the title
        (
            "三个部分的标题都是套话，根据内容重新拟一下",
            HUIBAO,
            [("revise", "work_1"), ("revise", "work_2"), ("revise", "work_3")],
        ),
        # 第四层 in the part that has four; the overview it repeats is only compared
        ("第四层跟总体情况重复了，删了吧", ZONGJIE, [("revise", "achievements")]),
        # 六条 / 三条 count the draft's items: no fact to confirm
        ("问题部分六条有点多，归并成三条", ZONGJIE, [("revise", "problems")]),
        ("有没有用了我没给的数字", SHUZHI, [("check", None)]),
        # a figure added with no part named goes where the outline would put it
        (
            "补充一个数据，到省外就业的毕业生主要去了长三角，占省外就业的58%",
            DIAOYAN,
            [("facts", None), ("revise", "situation")],
        ),
        # dev 33: the fourth item of the one part that has four
        (
            "第四条的标题改成“关于选人用人不规范的问题”，内容只留问责和干部调整",
            ZHENGGAI,
            [("revise", "items")],
        ),
        # 节约约9% is the draft's own figure, named to point at the words
        ("采购成本节约约9%，“约约”读着别扭，改一下", ZHENGGAI, [("revise", "items")]),
        ("游客投诉41件跟整改有什么关系，删了", ZHENGGAI, [("revise", "items")]),
        ("看下第二部分有没有把没完成的写成已完成", ZHENGGAI, [("check", "items")]),
        # a measure proposed for the plans part is no fact of the unit
        (
            "今后努力方向再加一条 深化智慧监管，年内完成监室门禁改造",
            SHUZHI_ALL,
            [("revise", "direction")],
        ),
        ("把总结重新整体起草一遍", ZONGJIE, [("draft_all", None)]),
        # dev 34: the fifth heading of the one part that has five layers
        ("第五个小标题不是问题，改成“关于追责问责的情况”", ZHENGGAI_FIVE, [("revise", "items")]),
        ("审计指出了几类问题", ZHENGGAI_FIVE, [("answer", None)]),
        ("整改报告里还缺什么", ZHENGGAI_FIVE, [("gaps", None)]),
        # one ask after another: the draft first, then the look
        ("写完打算以后帮我把整篇检查一下", ZONGJIE_NO_PLANS, [("draft", "plans"), ("check", None)]),
        ("哪几部分写得太单薄", ZONGJIE_NO_PLANS, [("gaps", None)]),
        # the year of an election to the post is told
        (
            "开头写一下本人任职时间，2021年换届当选",
            SHUZHI,
            [("facts", None), ("revise", "opening")],
        ),
        ("营业收入下降的占26%，是问卷数据吗", DIAOYAN_SHARES, [("sources", "situation")]),
        # dev 35: the fourth problem of a 整改 report is its fourth rectified layer
        (
            "第四个问题不是问题，是追责的情况，单独放到第一部分",
            ZHENGGAI_FIVE,
            [("revise", "items"), ("revise", "organization_work")],
        ),
        ("述职报告里哪些地方还空着", SHUZHI, [("gaps", None)]),
        ("汇报还有哪些不全的", HUIBAO, [("gaps", None)]),
        ("下降的占26%这个数据是问卷来的吗", DIAOYAN_SHARES, [("sources", "situation")]),
        # a draft, then the whole report polished: every drafted part of running text
        (
            "起草完今后努力方向以后，再把全文润色一遍",
            SHUZHI,
            [
                ("draft", "direction"),
                ("revise", "opening"),
                ("revise", "duties"),
                ("revise", "integrity"),
                ("revise", "shortcomings"),
            ],
        ),
    ],
)
def test_staff_wording_of_dev32(
    message: str, v: ReportView, expected: list[tuple[str, str | None]]
) -> None:
    assert steps(message, v) == expected
