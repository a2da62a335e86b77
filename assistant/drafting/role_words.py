"""The words that tell what a fact is (its role) and what a number counts, read by placement.

Each table is a regular expression over a fact's key, note or text value; the comments give the
staff wording that taught it. :mod:`assistant.drafting.placement` decides with them.
"""

from __future__ import annotations

import re

from assistant.drafting.templates import FactRole
from assistant.vocab import patterns

WORDS = patterns(__name__)  # the words of role_words.toml

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
        # 长效管理 (物业进驻改造后小区) is a line of work after building, not a plan
        r"|长效(?!管理|管护)|^常态化$|^后续(?:工作|打算|安排)?$|长期整改|明确时间表|跨年推进|跨年度推进|^以后|以后怎么|往后|接下来|想怎么|打算怎么|怎么改|防止再犯|防止反弹"
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
        r"|^(?:巡察|巡视|督察|督查|审计|检查)(?:发现|指出)(?:的?问题)?(?:情况)?$"
        r"|^查出(?:来)?的?问题$|^(?:改了|整改了)(?:多少|几个)"
        r"|^(?:全部|已经?)完成$|^(?:整改)?完成情况$|(?:指出|交办|点出|发现|反馈)(?:的)?问题|^问题(?:涉及|金额)|涉及(?:问题)?金额|部分完成|^(?:整改)?进度$|整改进度|总体情况$|基本情况$"
    ),
    "post": re.compile(
        r"职务|分管|任职|岗位|主持.{0,4}工作|协管|述职人|^姓名$|^(?:我的|本人)?身份$"
        r"|^本人$|^个人(?:简介|简历)$"
    ),
    # 困难 of people (困难群众, 生活确有困难的) names whom a measure serves, not a shortcoming.
    "problem": re.compile(
        # (发现并督促整改问题217个, 解决问题41个: problems dealt with, work done)
        r"(?<!整改)(?<!发现)(?<!指出)(?<!交办)(?<!点出)(?<!反馈)(?<!查出的)(?<!查出来的)(?<!查出)(?<!解决)(?<!排查)(?<!化解)(?<!查处)(?<!督办)(?<!处理)(?<!处置)(?<!办结)问题(?!清单|台账|、责任|、任务|线索|金额)|不足|短板|差距|薄弱|困难(?!群众|职工|家庭|户|人员|学生|老人|儿童|党员|企业|的|残疾|重度|老年|对象|群体|居民|农户|妇女|人群)|瓶颈|弱项|难点|欠缺|不够|不强|不高|滞后|不平衡|不充分"
        # 高风险患者, 风险等级: whom or what is sorted by risk, not a shortcoming
        r"|(?<![高中低])风险(?!患者|人员|人群|群体|等级|评估|防控|点|企业|隐患|应对|管控|排查|监测|预警|处置|提示)|隐忧|堵点|痛点|原因|成因|诱因|缺失|不规范|(?:率|量|度|性)低(?!于)|(?<![减降缓])慢(?=[，。；,;]|$)|参差不齐|缺乏|偏低|较弱|不健全|不完善|不到位|流动性大"
        r"|没有专职|(?<!适)老化|盲区|满足于|不畅(?!通)"
        # as staff put a shortfall in their own words (老师缺, 谈不拢, 还没定下, 只有4名)
        r"|还没|还不|没人|没纳入|没建|没定|流于形式|两张皮|断档|偏轻|偏少|末位|缺口|推迟"
        r"|不紧|不深|谈不拢|管不住|跟不上|不通畅|还不通|不起来|不下来|只有\d|平均只有"
        r"|没有(?:固定|专门|统一|建立|形成|配备)|没(?:干完|做完|完成|到位|开工|落实|落地|解决)"
        r"|只完成|不赚钱|不挣钱|亏损|不愿|不懂|不会用|不到户|二次收费|乱收费|加收|占线|骚扰"
        r"|成本高|负担重|压力大|只能|仅\d|仅占|仅有|难以|单一|缺人|低效|不分|未完全|尚未"
        r"|(?<!均)(?<!全部)低于.{0,12}(?:平均|水平|标准|要求)|(?:程度|水平)低|未.{0,6}足额|不会(?:使用|操作)"
        r"|(?<![减降多])(?:难|慢|少|缺|弱|乱|散|差)$"
        # 重虾轻稻: 部分基地沟坑占比超过10%红线，水稻单产降到350公斤以下
        r"|^重.轻.$|(?:超过|突破|超出)[^，。；]{0,8}红线|降到[^，。；]{0,10}以下"
        # 基层流失医务人员148人, “慢就业”现象增多: people lost, a trend worsening
        r"|(?<!水土)(?<!防止)(?<!减少)流失(?!率)|流失率(?:达到?|高达|超过|为)\d|现象(?:增多|突出|普遍|频发|时有发生)"
        # 教师负担, 日均工作超过10小时, 层层外包规避用工责任, 合同到期未续签: what weighs or fails
        r"|(?<!减轻)(?<!减少)(?<!降低)负担|(?:工作|在校|劳动|加班)[^，。；]{0,6}超过\d+(?:个)?小时"
        r"|规避|逃避|推诿|扯皮|到期未|逾期未|未按(?:期|时)|低价发包"
        # 书屋被挪作会议室, 开放时间与职工作息不匹配: a space put to other use, a fit that fails
        r"|挪作|挪用|挤占|不匹配|不适应|不对口|不衔接"
        # 问卷中有23%的消费者遇到过经营者闭店、跑路: what people ran into
        r"|遇到过|遭遇过|不认账"
        # 校内饮水点覆盖不到一半: a share that falls short
        r"|不[到足](?:一半|[一二两三四五六七八九]成)"
    ),
    # A measure to take, said as one (推行…, 建立…): what a 调研报告 proposes, not what was done.
    "measure": re.compile(
        r"^(?:推行|建立|健全|完善|加强|落实|推动|探索|鼓励|支持|引导|实施|强化|优化|构建|打造|设立"
        r"|推进|深化|提升|与.{2,10}合作|将|上线|盘活|选聘|给予)|向.{1,12}(?:适当)?倾斜"
    ),
}
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
