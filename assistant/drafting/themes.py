"""Themes of 公文 work, for grouping a section's facts into layers with headings and lead phrases.

Each theme has the words that mark a fact as belonging to it, a （一）-level heading, a run-in
lead sentence and an opening phrase. The wording is generic 公文 language that claims nothing a
fact does not: it names the kind of work (监管执法, 为民服务), never a place, unit or result.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.facts.sheet import Fact


@dataclass(frozen=True)
class Theme:
    id: str
    words: tuple[str, ...]
    heading: str  # （一）强化组织领导，压实工作责任
    lead: str  # 强化组织领导。
    opener: str  # 坚持高位推动，

    def at(self, n: int, organization: str = "") -> Theme:
        """The theme worded for the ``n``-th body section: two parts of one report whose facts
        fall to the same theme (a 社区's 议事会 and its 加装电梯成效) do not open alike; a
        疾控中心's health work opens on prevention, not on patients."""
        wordings = [(self.heading, self.lead, self.opener), *VARIANTS.get(self.id, ())]
        if self.id == "health" and _PUBLIC_HEALTH.search(organization):
            wordings = [w for w in wordings if "患者" not in w[2] and "就医" not in w[0]]
        heading, lead, opener = wordings[n % len(wordings)]
        return Theme(self.id, self.words, heading, lead, opener)


def _t(id: str, words: str, heading: str, lead: str, opener: str) -> Theme:
    return Theme(id, tuple(words.split()), heading, lead, opener)


# Other wordings of each theme (heading, lead, opener), as generic as the first: they name the
# kind of work and claim no result.
VARIANTS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "leadership": (
        ("健全工作机制，推动责任落实", "压实工作责任。", "坚持一级抓一级、层层抓落实，"),
        ("强化统筹调度，凝聚工作合力", "强化统筹调度。", "坚持定期调度、跟踪问效，"),
    ),
    "party": (
        ("强化党建引领，激发组织活力", "发挥党员作用。", "充分发挥党员先锋模范作用，"),
        ("坚持抓党建促业务，推动深度融合", "深化党建融合。", "坚持党建和业务同谋划、同推进，"),
    ),
    "study": (
        ("强化教育培训，提升履职本领", "强化教育培训。", "坚持分类施训、按需施教，"),
        ("坚持以学促干，推动学用转化", "注重以学促干。", "坚持学以致用、用以促学，"),
    ),
    "urban": (("完善居住功能，改善居住条件", "改善居住条件。", "坚持把群众的居住需求放在心上，"),),
    "utilities": (("补齐设施短板，增强服务保障", "补齐设施短板。", "坚持规划引领、建管并重，"),),
    "enforcement": (
        ("严格规范执法，维护良好秩序", "严格规范执法。", "坚持严格规范公正文明执法，"),
        ("加大查处力度，形成有力震慑", "加大查处力度。", "坚持露头就打、从严查处，"),
    ),
    "safety": (
        ("压实安全责任，防范化解风险", "防范化解风险。", "坚持关口前移、源头治理，"),
        ("强化应急准备，守牢安全底线", "守牢安全底线。", "坚持底线思维，"),
    ),
    "service": (
        ("聚焦急难愁盼，提升服务质效", "提升服务质效。", "坚持群众有所呼、我们有所应，"),
        ("畅通诉求渠道，办好群众身边事", "办好群众身边事。", "坚持把群众满意作为第一标准，"),
    ),
    "business": (
        ("强化惠企服务，助力经营主体发展", "强化惠企服务。", "坚持服务企业、服务发展，"),
        ("深化放管服改革，提升便利化水平", "提升便利化水平。", "坚持便民利企导向，"),
    ),
    "economy": (
        ("抓实项目建设，增强发展后劲", "抓实项目建设。", "坚持项目为王、以干促效，"),
        ("稳住发展基本盘，推动提质增效", "推动提质增效。", "坚持稳中求进工作总基调，"),
    ),
    "livelihood": (
        ("兜牢民生底线，增进民生福祉", "兜牢民生底线。", "坚持在发展中保障和改善民生，"),
        ("解决急难愁盼，提升群众获得感", "提升群众获得感。", "坚持把群众的小事当作大事来办，"),
    ),
    "rural": (
        ("做强乡村产业，促进农民增收", "促进农民增收。", "坚持产业兴农、质量兴农，"),
        ("深化农村改革，激发乡村活力", "激发乡村活力。", "坚持因地制宜、分类推进，"),
    ),
    "ecology": (
        ("深入打好污染防治攻坚战，改善环境质量", "改善环境质量。", "坚持精准、科学、依法治污，"),
        ("推进绿色发展，建设美丽家园", "推进绿色发展。", "坚持绿水青山就是金山银山理念，"),
    ),
    "education": (
        ("加强师资队伍建设，夯实办学基础", "夯实办学基础。", "坚持以教师发展促学校发展，"),
        ("促进学生全面发展，办好人民满意的教育", "促进全面发展。", "坚持五育并举，"),
    ),
    "health": (
        ("改善就医体验，提升服务质量", "改善就医体验。", "坚持以人民健康为中心，"),
        ("夯实公共卫生基础，筑牢健康防线", "筑牢健康防线。", "坚持预防为主、防治结合，"),
    ),
    "digital": (
        ("推进数字赋能，提升管理效率", "推进数字赋能。", "坚持以信息化推动工作提质增效，"),
        ("优化线上服务，提升办事便利度", "优化线上服务。", "坚持让数据多跑路、群众少跑腿，"),
    ),
    "reform": (
        ("破解瓶颈难题，增强发展动力", "破解瓶颈难题。", "坚持问题导向、改革攻坚，"),
        ("推动先行先试，积极探索路径", "推动先行先试。", "坚持大胆探索、稳妥推进，"),
    ),
    "governance": (
        ("夯实基层基础，提升治理效能", "提升治理效能。", "坚持共建共治共享，"),
        ("健全治理体系，促进和谐稳定", "健全治理体系。", "坚持自治、法治、德治相结合，"),
    ),
    "rectification": (
        ("狠抓问题整改，确保真改实改", "狠抓问题整改。", "坚持即知即改、真改实改，"),
        ("建立长效机制，巩固整改成果", "巩固整改成果。", "坚持举一反三、标本兼治，"),
    ),
    "team": (
        ("加强干部培养，提升队伍素质", "提升队伍素质。", "坚持德才兼备、以德为先，"),
        ("强化激励约束，激发队伍活力", "激发队伍活力。", "坚持正向激励和严格管理并重，"),
    ),
    "integrity": (
        ("加强作风建设，营造风清气正氛围", "加强作风建设。", "坚持以严的基调强化正风肃纪，"),
        ("落实主体责任，筑牢廉洁防线", "筑牢廉洁防线。", "坚持把廉洁要求贯穿工作全过程，"),
    ),
    "general": (
        ("扎实推进重点工作，推动各项任务落实", "扎实推进重点工作。", "坚持目标导向、问题导向，"),
        ("狠抓工作落实，确保任务推进", "狠抓工作落实。", "坚持一抓到底、久久为功，"),
    ),
}


THEMES: tuple[Theme, ...] = (
    _t(
        "leadership",
        "常委 领导小组 部署 方案 专班 指导组 督导 调度 动员 专题会 推进会 责任 组织领导 会议 "
        "党委会 党组会 办公会 务会 常务会 支委会 三重一大 包保 包联",
        "加强组织领导，压实工作责任",
        "强化组织领导。",
        "坚持高位推动、统筹部署，",
    ),
    _t(
        "party",
        "党员 党组织 支部 党建 党课 组织生活 发展党员 党费 主题党日 三会一课 先锋 书记",
        "坚持党建引领，夯实组织基础",
        "抓实党建引领。",
        "坚持以党建引领各项工作，",
    ),
    _t(
        "study",
        "学习 培训 研讨 读书班 宣讲 讲座 轮训 理论 中心组 教育",
        "深化学习培训，提升能力素质",
        "深化学习教育。",
        "坚持学用结合，",
    ),
    _t(
        "enforcement",
        "检查 抽查 执法 案件 查处 立案 罚没 稽查 抽检 监管 巡查 专项整治 打击",
        "强化监管执法，提升执法效能",
        "强化监管执法。",
        "持续加大监管执法力度，",
    ),
    _t(
        "safety",
        "安全 隐患 事故 消防 应急 防汛 演练 风险 危化 自然灾害 救援",
        "统筹发展和安全，筑牢安全防线",
        "筑牢安全防线。",
        "坚持安全第一、预防为主，",
    ),
    _t(
        "service",
        "投诉 举报 咨询 办件 受理 办结 满意 热线 诉求 信访 来访 接待 回访 政务服务 窗口 "
        "消费者 维权",
        "优化为民服务，回应群众关切",
        "优化为民服务。",
        "坚持以人民为中心，",
    ),
    _t(
        "business",
        "市场主体 经营主体 企业 营商 登记 注册 个体工商户 惠企 减税 降费 融资 信用 商标 知识产权",
        "优化营商环境，激发市场活力",
        "优化营商环境。",
        "聚焦市场主体所需所盼，",
    ),
    _t(
        "economy",
        "投资 重大项目 签约项目 开工 竣工 招商 产值 营收 营业收入 税收 增加值 签约 到位资金 "
        "外资 利润 经济增长 地区生产总值 工业 规上 固定资产 资产 融资 债务 经营收入 收入完成 "
        "主营业务收入",
        "聚焦发展大局，推动经济提质增效",
        "聚力高质量发展。",
        "牢牢扭住发展第一要务，",
    ),
    _t(
        "livelihood",
        "就业 养老 救助 低保 住房 民生 实事 困难群众 社保 老人 老年 助餐 残疾 儿童 托育 保障",
        "坚持人民至上，办好民生实事",
        "办好民生实事。",
        "坚持尽力而为、量力而行，",
    ),
    _t(
        "rural",
        "乡村 农业 农村 种植 养殖 产业 集体经济 土地 农户 脱贫 帮扶 特色 合作社 耕地 粮食 村",
        "推进乡村振兴，夯实发展基础",
        "推进乡村振兴。",
        "坚持农业农村优先发展，",
    ),
    _t(
        "ecology",
        "环保 生态 污水 垃圾 绿化 河湖 空气 水质 污染 排放 造林 环境 督察 整治点位 黑臭",
        "坚持生态优先，守护绿水青山",
        "守护生态环境。",
        "坚持生态优先、绿色发展，",
    ),
    _t(
        # A 供水集团's 管网改造 or a 供电所's 线路 is the unit's own infrastructure work.
        "utilities",
        "供水 供电 供气 供热 电网 管网 水质 水厂 水源 变电站 线路 管道 道路 公路 桥梁 "
        "基础设施 漏损 基站 5G 宽带 光纤 信号覆盖 网络覆盖",
        "加强基础设施建设，提升供给保障能力",
        "夯实基础保障。",
        "坚持建管并重、保障先行，",
    ),
    _t(
        # A 街道's 老旧小区改造 and 加装电梯: the renewal of where people live in town.
        "urban",
        "老旧小区 加装电梯 棚户区 城中村 背街小巷 物业 小区 城市更新 市容",
        "推进城市更新，提升宜居品质",
        "推进城市更新。",
        "坚持人民城市人民建、人民城市为人民，",
    ),
    _t(
        "education",
        "学生 教师 课程 教学 升学 招生 学科 竞赛 师资 毕业 课堂 教研 班级 德育 学校 校园 "
        "小学 中学 学院 幼儿园 作业 课后服务 本科 高考 中考 上线率 录取 学业 在校生 普通话 资助",
        "深化教育教学改革，提升育人质量",
        "提升育人质量。",
        "坚持立德树人根本任务，",
    ),
    _t(
        "health",
        "门诊 住院 手术 床位 诊疗 患者 医护 医疗 药品 医保 急诊 病种 医生 护理 义诊 体检 医院 "
        "卫生 家庭医生 公共卫生 卫生服务 疫苗 接种 疾控 慢病 健康 基层医疗 传染病 疫情 "
        "健康教育 健康素养",
        "提升医疗服务能力，守护群众健康",
        "提升诊疗服务能力。",
        "坚持以患者为中心，",
    ),
    _t(
        # Said without 数字/信息化: a 线上办理 or a 平台 is no claim of a 数字化 drive.
        "digital",
        "数字 信息化 平台 系统 一网 线上 智慧 数据 网办 掌上 上线 智能",
        "创新服务方式，提升工作效能",
        "创新服务方式。",
        "坚持创新驱动，",
    ),
    _t(
        "reform",
        "改革 创新 试点 探索 机制创新",
        "深化改革创新，激发内生动力",
        "深化改革创新。",
        "坚持以改革破难题、以创新增活力，",
    ),
    _t(
        "governance",
        "网格 调解 矛盾 纠纷 治理 社区 志愿 综治 平安 警情 治安",
        "创新基层治理，维护和谐稳定",
        "创新基层治理。",
        "坚持和发展新时代“枫桥经验”，",
    ),
    _t(
        "rectification",
        "整改 问题 台账 销号 追责 问责 处分 追缴 挽回 清退 建章立制 制度",
        "压实整改责任，推动问题见底清零",
        "压实整改责任。",
        "坚持边查边改、立行立改，",
    ),
    _t(
        "team",
        "干部 人才 队伍 职工 引进 培养 考核 提拔 交流 年轻",
        "加强队伍建设，激发干事活力",
        "加强队伍建设。",
        "坚持严管和厚爱结合，",
    ),
    _t(
        "integrity",
        "廉洁 廉政 纪律 八项规定 作风 警示 一岗双责 个人有关事项 礼金",
        "严守纪律规矩，保持清正廉洁",
        "严守纪律规矩。",
        "始终把纪律和规矩挺在前面，",
    ),
)
GENERAL = Theme(
    "general", (), "统筹推进各项工作，取得积极成效", "统筹推进各项工作。", "坚持统筹兼顾，"
)


# The layer of the facts left over when a section has more themes than layers (group_by_theme):
# worded to claim none of them.
MIXED = Theme("mixed", (), "统筹抓好其他工作，推动全面进步", "统筹抓好其他工作。", "同时，")


# Units of public health, not of care: 疾控中心, 卫生监督所, 血吸虫病防治站, 血站 …
_PUBLIC_HEALTH = re.compile(r"疾病预防控制|疾控|卫生监督|防治站|防治所|防疫|血站|健康教育所")


def theme_of(fact: Fact, *, skip: frozenset[str] = frozenset(), prefer: str = "") -> Theme:
    """The theme whose words the fact's key and note (then a text value) share most, of the
    themes not in ``skip`` (see :func:`themes_not_of`); on a tie, the theme ``prefer`` names
    (the unit's own: a 供水集团's 水质达标率 is supply work before it is ecology)."""
    about = f"{fact.key}{fact.note}"
    value = str(fact.value) if isinstance(fact.value, str) else ""
    best, score = GENERAL, 0.0
    for theme in THEMES:
        if theme.id in skip:
            continue
        # A longer word is the surer sign: 家庭医生签约率 is health work, not a 签约 of investment.
        # In a long value only words of two characters count: the 村 of 进渔村 is no 乡村振兴.
        # A single character (the 村 of 行政村总数) is a weak sign even in the key.
        s = sum((2.0 + len(w) / 2 if len(w) > 1 else 0.5) for w in theme.words if w in about) + sum(
            0.5 for w in theme.words if len(w) > 1 and w in value
        )
        if s > score or (s == score and s > 0 and theme.id == prefer):
            best, score = theme, s
    # One word of a long value (进社区) is too little to name the work.
    return best if score >= 1.0 else GENERAL


def group_by_theme(
    facts: Sequence[Fact],
    *,
    most: int | None = None,
    home: Theme = GENERAL,
    skip: frozenset[str] = frozenset(),
    prefer: str = "",
) -> list[tuple[Theme, list[Fact]]]:
    """Facts in layers of one theme each, in the order their first fact appears.

    A fact no theme claims joins ``home`` (the theme of the report's unit or subject: a
    hospital's 下沉专家 are health work); on a tie between themes, ``prefer`` wins (the part's
    own theme), else ``home``. More layers than ``most`` (by default about one per
    three facts, at most five) would read as a list, not a report: the smallest merge into the
    largest.
    """
    groups: dict[str, tuple[Theme, list[Fact]]] = {}
    claimed: set[str] = set()  # themes some fact's own words name, not only the unit's
    for f in facts:
        theme = theme_of(f, skip=skip, prefer=prefer or home.id)
        if theme is GENERAL:
            theme = home
        else:
            claimed.add(theme.id)
        groups.setdefault(theme.id, (theme, []))[1].append(f)
    if most is None:
        # About one layer per two facts, but a theme each fact names itself (招商, 党建, 安全生产
        # in a 街道's year) keeps its own layer, up to five, rather than 统筹抓好其他工作.
        most = max(1, min(5, max((len(facts) + 1) // 2, len(claimed))))
    layers = list(groups.values())
    if most >= 2 and len(layers) > most:
        # Too many themes for the facts: the largest keep their layers, and the small ones
        # left over are told together under a heading that claims none of their themes —
        # folded into the largest, a 12315 complaint would read as 强化监管执法.
        def weight(layer: tuple[Theme, list[Fact]]) -> tuple[bool, int, int]:
            claims = layer[0] is not GENERAL and layer[0].id in claimed
            return (claims, len(layer[1]), -layers.index(layer))

        kept = sorted(layers, key=weight, reverse=True)[: most - 1]
        others = [f for layer in layers if layer not in kept for f in layer[1]]
        return [layer for layer in layers if layer in kept] + [(MIXED, others)]
    while len(layers) > most:
        # The smallest layer joins the largest: it keeps a theme that says something, and a
        # theme the facts name before the unit's own (a 海关's 打私宣传 is no 基层治理).
        # On a tie the later layer goes: the first fact's theme leads.
        smallest = min(
            reversed(layers),
            key=lambda layer: (
                layer[0] is not GENERAL and layer[0].id in claimed,
                len(layer[1]),
            ),
        )
        layers.remove(smallest)
        largest = max(layers, key=lambda layer: len(layer[1]))
        largest[1].extend(smallest[1])
    return layers


def section_theme(described: str, *, skip: frozenset[str] = frozenset()) -> Theme:
    """The theme a section's heading and purpose name (组织领导 → leadership), else general."""
    best, score = GENERAL, 0
    for theme in THEMES:
        if theme.id in skip:
            continue
        s = sum(1 for w in theme.words if w in described)
        if s > score:
            best, score = theme, s
    return best
