"""The words that tell what a fact is (its role) and what a number counts, read by placement.

Each table is a regular expression over a fact's key, note or text value; the comments give the
staff wording that taught it. :mod:`assistant.drafting.placement` decides with them.
"""

from __future__ import annotations

import re

from assistant.drafting.templates import FactRole

ROLE_WORDS: dict[FactRole, re.Pattern[str]] = {
    # 关于……的问题 / 针对……问题，…… / ……问题整改: the rectification of one named problem.
    # 对……问题，修订…… / ……的问题，已改为……: a problem told with what was done about it.
    "item": re.compile(
        r"^关于.{2,40}问题|(?:^|[，,；;])针对.{2,40}问题|问题整改$|^对.{2,40}问题[，,]|.{2,40}的问题[，,]已"
    ),
    "plan": re.compile(
        # 原计划年内完成 tells a plan missed; 提出建议28件 a count of work done
        r"打算|方向|今后|下步|下一步|下阶段|下一年|新的一年|(?<!原)计划|对策"
        r"|建议(?!\d+(?:件|条|项|次|份|个))|改进措施|推进安排|力争"
        r"|^争取(?:建成|实现|达到|完成|创建|新增|引进|落地)"
        # 顺延到明年 / 推迟到明年 tells a delay, not a plan
        r"|(?<!顺延到)(?<!推迟到)(?<!延期到)(?<!延至)(?:明年|来年)"
        r"|长效|长期整改|明确时间表|跨年推进|跨年度推进|^以后|以后怎么|往后|接下来|想怎么|打算怎么|怎么改|防止再犯|防止反弹"
        r"|\d{4}年.{0,4}(?:将|要|拟|重点|打算|思路|计划|目标|安排)"
    ),
    "integrity": re.compile(
        r"廉洁|廉政|八项规定|纪律|个人有关事项|一岗双责|清正|礼金|述廉|作风建设|拒腐"
        r"|回扣|红包|收受|不插手|不参与.{0,10}(?:采购|招标|谈判)|说情|打招呼|过问干预|干预过问"
        r"|宴请|公款|吃喝|公车私用"
    ),
    "method": re.compile(
        r"调研|座谈|问卷|走访|访谈|回访|实地|调查|样本|入户|抽样|调阅|查阅|阅卷|^方法$|^方式方法$"
        r"|缘由|^背景$|^(?:调研)?目的$"
    ),
    "feedback": re.compile(
        r"反馈|已完成整改|完成整改|整改完成|整改率|完成率|立行立改|基本完成|问题总数|序时"
        r"|正在推进|持续推进|长期坚持|尚未完成|未完成|整改到位|已整改|阶段性完成|阶段性成效"
        r"|(?:巡察|巡视|督察|督查|审计|检查|反馈)(?:时间|日期)|^抽查"
        r"|(?:指出|交办|点出|发现|反馈)(?:的)?问题|^问题(?:涉及|金额)|涉及(?:问题)?金额|部分完成|^(?:整改)?进度$|整改进度|总体情况$|基本情况$"
    ),
    "post": re.compile(
        r"职务|分管|任职|岗位|主持.{0,4}工作|协管|述职人|^姓名$|^(?:我的|本人)?身份$"
        r"|^本人$|^个人(?:简介|简历)$"
    ),
    # 困难 of people (困难群众, 生活确有困难的) names whom a measure serves, not a shortcoming.
    "problem": re.compile(
        # (发现并督促整改问题217个, 解决问题41个: problems dealt with, work done)
        r"(?<!整改)(?<!发现)(?<!解决)(?<!排查)(?<!化解)(?<!查处)(?<!督办)问题|不足|短板|差距|薄弱|困难(?!群众|职工|家庭|户|人员|学生|老人|儿童|党员|企业|的)|瓶颈|弱项|难点|欠缺|不够|不强|不高|滞后|不平衡|不充分"
        # 高风险患者, 风险等级: whom or what is sorted by risk, not a shortcoming
        r"|(?<![高中低])风险(?!患者|人员|人群|群体|等级|评估|防控|点|企业|隐患)|隐忧|堵点|痛点|原因|成因|参差不齐|缺乏|偏低|较弱|不健全|不完善|不到位|流动性大"
        r"|没有专职|(?<!适)老化|盲区|满足于"
        # as staff put a shortfall in their own words (老师缺, 谈不拢, 还没定下, 只有4名)
        r"|还没|还不|没人|没纳入|没建|没定|流于形式|两张皮|断档|偏轻|偏少|末位|缺口|推迟"
        r"|不紧|不深|谈不拢|管不住|跟不上|不通畅|还不通|不起来|不下来|只有\d|平均只有"
        r"|没有(?:固定|专门|统一|建立|形成|配备)|没(?:干完|做完|完成|到位|开工|落实|落地|解决)"
        r"|只完成|不赚钱|不挣钱|亏损|不愿|不懂|不会用|不到户|二次收费|乱收费|加收|占线|骚扰"
        r"|成本高|负担重|压力大|只能|仅\d|仅占|仅有|难以|单一|缺人|低效|不分|未完全|尚未"
        r"|(?<!均)(?<!全部)低于.{0,12}(?:平均|水平|标准|要求)|(?:程度|水平)低|未.{0,6}足额|不会(?:使用|操作)"
        r"|(?<![减降])(?:难|慢|少|缺|弱|乱|散)$"
        # 重虾轻稻: 部分基地沟坑占比超过10%红线，水稻单产降到350公斤以下
        r"|^重.轻.$|(?:超过|突破|超出)[^，。；]{0,8}红线|降到[^，。；]{0,10}以下"
        # 问卷中有23%的消费者遇到过经营者闭店、跑路: what people ran into
        r"|遇到过|遭遇过|不认账"
    ),
    # A measure to take, said as one (推行…, 建立…): what a 调研报告 proposes, not what was done.
    "measure": re.compile(
        r"^(?:推行|建立|健全|完善|加强|落实|推动|探索|鼓励|支持|引导|实施|强化|优化|构建|打造|设立"
        r"|推进|深化|提升|与.{2,10}合作|将|上线|盘活|选聘|给予)|向.{1,12}(?:适当)?倾斜"
    ),
}
# (设立……基金，给予每人每年6000元: a figure in a proposal does not make it done.)
# (开设订单班12个 ends on what it counts: done.)
DONE = re.compile(
    r"了|已|完成|共计|累计|建成|目前|现有|全年|今年|\d{4}年以来"
    r"|\d+(?:\.\d+)?(?:个|家|所|项|次|场|名|人|件|户|万元|亿元)$"
)
# 未发生违规传递物品问题, 没有出现安全事故: a clean record, not a shortcoming.
NO_INCIDENT = re.compile(
    r"(?:未|没有|无|杜绝|未再)(?:发生|出现)[^，。；]{0,16}(?:问题|事故|案件|伤亡)"
)
# 2026年起引入, 计划2026年启动, 2026年6月底前完成 in a report on 2025: still to come.
FUTURE_PLAN = re.compile(
    r"(\d{4})年(?:起|[^，。；]{0,6}(?:前|拟|将|计划|启动|力争|争取|开始|创建))"
)
# A number that counts what is still undone (剩余积案77件, 人员缺口38人) is a shortcoming.
UNDONE_NUMBER = re.compile(
    r"剩余|缺口|仍未|尚未|尚无|未化解|未解决|未就业|未达标|低于.{0,8}(?:警戒|标准|要求|目标)线?"
    # 35岁以下仅11人, 年流通量不足2000册次, 长期闲置, 仍有……未完全复耕, 培训不到位
    r"|仅\d|不足\d|闲置|仍滞留|长期滞留(?!人员)|仍有|未完全|不到位|流动大|^低效"
    # 未达到每学期不少于30节的要求, 比全省平均低0.6个百分点, 未纳入数据库人员, 超期服役设备
    r"|未达到|未达|未纳入|未覆盖|未配备|比[^，。；]{0,14}低\d|^超期"
    # 无专职人员的协会 143家; 年检不合格 37家（主要是财务不规范、换届超期）
    r"|^无[^，。；]{1,8}的|不规范|换届超期"
    # 超标样品 5份（全部为呕吐毒素超标）; 房地产相关关注类贷款 5.8亿元: what was found wrong
    r"|^超标|关注类"
)
# 盘活低效闲置资产 18.6亿元, 处置僵尸企业: the undone thing is what the work dealt with.
RESOLVING = re.compile(r"^(?:盘活|处置|清理|清退|化解|整治|消除|治理|解决|整改|收回|追回)")
# 未完成事项, 剩余问题, 尚未整改到位的: what is still open, told as such in 下一步 (not a plan).
OPEN_KEY = re.compile(r"^(?:未完成|尚未|剩余|未整改|没完成|没整改|还没)")
# 均已办结，其中1件……不到位: the count was dealt with; its shortfall is no undone number.
SETTLED = re.compile(r"均已|全部(?:已)?(?:办结|解决|整改)|已(?:办结|解决|整改到位|化解)")
# A count of what the unit has or covers (全县登记服务点, 所里管的边境线, 社区里没电梯的老楼): the
# scope the overview states, unless the key says what was done to it.
SCOPE_PREFIX = re.compile(
    r"^(?:全(?:县|区|市|省|州|盟|旗|镇|乡|街道|所|站|局|院|校|馆|中心|公司|集团|社区|村|行|系统)"
    r"|辖区|关区|所里|所管|管护的|管辖|管理的?(?=场馆|企业|单位|学校|站点|景区|公园|设施)"
    r"|监管的?(?=企业|单位|对象)|社区里|村里|现有|共有|在册|在编|在籍|在校"
    r"|(?:日均|平均)?在(?:所|院|园|岗|住|押))"
)
# 在编31名, 负责城区道路保洁: what a count covers
SCOPE_NOTE = re.compile(r"^(?:辖区|全(?:县|区|市|省|镇|乡|街道)|共有|现有|在编|负责|下辖|管辖)")
# 职工 1746名（其中一线环卫工人1523名): the staff or holdings broken down, not a result's parts
HOLDING_KEY = re.compile(r"(?:职工|员工|人员|队伍|底数|面积|床位|户数|人口)$")
# 馆舍面积, 核定床位, 运营线路: what the unit has, whatever its note adds.
HELD = re.compile(
    r"^(?:馆舍|建筑|占地|辖区|总)面积$|^(?:核定|编制|开放|实有)床位$|^运营(?:线路|里程)$"
)
DOING = re.compile(
    r"开展|完成|新增|新建|办理|办结|办的|查处|检查|排查|组织|召开|举办|培训|发放|受理|调解|化解"
    r"|整治|投用|装好|建成|下降|提升|增长|发生|开工|实现|帮|救助|接待|引进|招引|签约|争取|提取"
    r"|推动|推进|落实|参加|参与|走访|入户|收集|征集|解决|处理|处置|立案|审结|执行|减少|降低"
    r"|提高|增加|上门|送|累计|今年|全年|本年|抓获|查获|破获|侦破|收治|遣返|培育|招聘|录用"
)
# A text that opens on “部分……” and names a shortcoming is one, whatever plan words it quotes.
PROBLEM_OPENING = re.compile(r"^(?:部分|个别|少数|一些|有的|仍有|还有|存在)")
# What people said they want or complained of, found by a survey or a visit.
DEMAND = re.compile(r"^[^，。；]{0,14}(?:反映|希望|期盼|呼声|盼望|诉求)")
YEAR = re.compile(r"(\d{4})年")
# (问卷统计，农村明显高于城镇; 占调研的14家企业的64%; 本次抽样，全部为……: where a finding
# comes from, not a count of the survey's own work.)
SOURCE_NOTE = re.compile(
    r"^(?:根据|据|来自|来源|数据来源|以|占|(?:问卷|调查|抽样|抽查)?统计|本次(?:抽样|调查|调研|问卷)"
    r"|问卷(?:中位数|平均|显示|结果))"
)
PLAN_MET = re.compile(r"完成[^，。]{0,6}(?:计划|目标)|(?:计划|目标)的\d|超计划|超额完成")
# A number is a plan only when its key opens with the future (明年计划新建3所).
PLAN_NUMBER = re.compile(r"^(?:明年|来年|下步|下一步|下阶段|计划|拟|目标|预计|建议|\d{4}年计划)")
# 辅导员招聘 8名（计划2027年上半年公开招聘）: the note says the number is still to come.
# (计划年底前扩大到160项 tells the target beside a count of now.)
PLAN_NOTE = re.compile(
    r"^(?:计划|拟|预计|力争|争取)(?:于|在|到)?(?:\d{4}年|明年)(?![^，。]*(?:扩大|提高|增加|达到|提升)到)"
    # 建议每年纳入县财政预算, 7—8月计划检查: a figure proposed or scheduled, not reached
    r"|^建议|^(?:\d{1,2}(?:[—-]\d{1,2})?月|下半年|年底前|年内)计划"
)
# Roles a number can have; the others describe text (a list of shortcomings, of measures).
NUMBER_ROLES: tuple[FactRole, ...] = ("item", "feedback", "method", "integrity")
# Roles a text value alone can give: its words say what it is only for shortcomings, plans and
# integrity; 岗位练兵 in a value is no post, 未完成事项 in a measure no progress count.
VALUE_ROLES: tuple[FactRole, ...] = ("plan", "integrity", "problem", "measure")
ORDER: tuple[FactRole, ...] = (
    "item",
    "plan",
    "integrity",
    "method",
    "feedback",
    "post",
    "problem",
    "measure",
)
ROLE_NAMES: dict[FactRole, str] = {
    "problem": "问题、不足类",
    "plan": "打算、建议类",
    "method": "调研方法类",
    "integrity": "廉洁自律类",
    "feedback": "反馈和整改进度",
    "post": "本人职务和分工",
    "item": "具体问题的整改",
    "measure": "对策措施类",
}


# A key copied with its numbering from last year's report (1.关于……的问题, （二）细化整改措施,
# 一、总体情况): the number is the old report's layout, the words say what the fact is.
KEY_MARKER = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}[.、．](?!\d))\s*"
)
