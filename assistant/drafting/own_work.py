"""The themes a unit's own work cannot be, read from its name.

A hospital's 医保飞行检查 is work done on it, not 监管执法 of its own; a company's 融资 is its own
financing, not 优化营商环境; a 市场监管局's 校园食品 is not education work, nor a 编办's
卫生健康领域 medical service. The offline engine skips these themes when it groups a unit's facts
into layers.
"""

from __future__ import annotations

import re

# Units that are inspected rather than inspecting: a hospital's 医保飞行检查, a company's 环保督察
# or a school's 安全检查 is work done on them, so their layers never read 强化监管执法. A name
# that says 执法/监管/稽查 (综合执法中心) enforces whatever else it says.
_ENFORCES = re.compile(r"执法|监管|监督|稽查|检查站|海关|公安|派出所|检察|法院|纪委|监委")
_INSPECTED = re.compile(
    r"医院|卫生院|诊所|学校|学院|大学|中学|小学|幼儿园|公司|集团|企业|银行|信用社|合作社|联社|"
    r"社区|村民委员会|居民委员会|居委会|村委|协会|商会|学会|中心|馆|宫|站|检验所|检测所|"
    r"研究所|研究院|养老院|福利院|敬老院|农场|林场|水库|党校|工会|妇联|共青团|团委"
)


# Only a school or an education office writes 坚持五育并举 of its own work: a 市场监管局's 校园食品
# or a 科协's 青少年科技竞赛 is not education work of theirs.
_TEACHES = re.compile(r"学校|学院|大学|中学|小学|幼儿园|教育|教研|教体|职校|中专|技校|书院")

# Only a unit of health care or public health writes 提升医疗服务能力 of its own work: a 编办's
# 编制 kept for 卫生健康领域 or a 工会's 职工体检 is not medical service of theirs.
_HEALS = re.compile(
    r"医院|卫生|卫健|医疗|医保|疾控|疾病|健康|药|妇幼|保健|血站|防治|红十字|康复|中医|门诊|诊所|医学|"
    r"医科|计生|急救"
)

# A company's 融资 is its own financing, not a government's 优化营商环境 (a bank's 惠企贷款 is
# service to businesses, so banks keep that theme); nor are a school's 合作企业 or a hospital's.
_COMPANY = re.compile(r"公司|集团")
_SERVES_BUSINESS = re.compile(
    r"银行|信用社|联社|担保|商会|工商联|政务服务|行政审批|交易中心|营商|企业服务|招商|开发区|园区|"
    r"市场监|税务|商务"
)

# Only a unit that builds or runs supply networks and roads writes 加强基础设施建设 of its own
# work: a 卫生监督所's 二次供水 inspections are not.
_BUILDS = re.compile(
    r"供水|供电|供气|燃气|水务|电力|电网|热力|供热|公路|交通|市政|住建|住房和城乡|城投|建设|建工|"
    r"水利|能源|高速|路桥|公用|自来水|水厂|供电所|管网|城管|城市管理|移动|联通|电信|铁塔|通信|广电网络"
)

# Only a unit that builds, keeps or runs transport writes 完善交通路网 of its own work: a 红十字会's
# 公交司机 trained or a 边检站's 交通运输工具 inspected are not.
_CARRIES = re.compile(
    r"交通|运输|公路|客运|公交|物流|邮政|快递|港口|港务|航运|航道|海事|铁路|地铁|轨道|高速|车站|机场|"
    r"路桥|出租|城投|住建|市政"
)


def themes_not_of(organization: str) -> frozenset[str]:
    """The themes a unit's own work cannot be: enforcement, for a unit others inspect; the
    business environment, for a company, school or hospital that serves no businesses;
    infrastructure, for a unit that builds and runs none; transport, for one that carries and
    keeps no traffic; education, for a unit that neither
    teaches nor runs schools; medical service, for one that neither cares for patients nor
    guards health."""
    out: set[str] = set()
    if organization and _INSPECTED.search(organization) and not _ENFORCES.search(organization):
        out.add("enforcement")
    inspected = bool(_INSPECTED.search(organization))
    if (_COMPANY.search(organization) or inspected) and not _SERVES_BUSINESS.search(organization):
        out.add("business")
    if organization and not _BUILDS.search(organization):
        out.add("utilities")
    if organization and not _CARRIES.search(organization):
        out.add("transport")
    if organization and not _TEACHES.search(organization):
        out.add("education")
    if organization and not _HEALS.search(organization):
        out.add("health")
    return frozenset(out)
