"""Themes of 公文 work, for grouping a section's facts into layers with headings and lead phrases.

Each theme has the words that mark a fact as belonging to it, a （一）-level heading, a run-in
lead sentence and an opening phrase. The wording is generic 公文 language that claims nothing a
fact does not: it names the kind of work (监管执法, 为民服务), never a place, unit or result.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.drafting.theme_wordings import VARIANTS
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
        "检查 抽查 执法 案件 查处 立案 罚没 稽查 抽检 监管 巡查 专项整治 打击 行政处罚 "
        "查获 缉私 破获 侦破 抓获 缴获",
        "强化监管执法，提升执法效能",
        "强化监管执法。",
        "持续加大监管执法力度，",
    ),
    _t(
        "safety",
        "安全 隐患 事故 消防 应急 防汛 演练 风险 危化 自然灾害 救援 保安 报警 安防 溺水 封闭化管理",
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
        "主营业务收入 税费 预算收入 财政收入",
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
        "乡村 农业 农村 种植 养殖 产业 集体经济 土地 农户 脱贫 帮扶 特色 合作社 耕地 粮食 村 "
        "农田 户厕",
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
        # A 交通运输局's 农村公路, 客运 and 物流: roads built, kept and run, not rural industry.
        "transport",
        "公路 农村公路 危桥 客运 公交 班车 通客车 路网 养护 列养 路长 物流 快递 运输 交通 车站 "
        "客运站 航道 港口 码头",
        "完善交通路网，提升通达服务水平",
        "完善交通路网。",
        "坚持建管养运并重，",
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
        "tech",
        "技术合同 研发 专利 高新技术 成果转化 中试 概念验证 研究院 孵化 科研 技术经理人 "
        "科技创新 科技成果 科技型 科技金融 科技贷款",
        "强化科技创新，培育发展新动能",
        "强化科技创新。",
        "坚持创新驱动发展，",
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
        "网格 调解 矛盾 纠纷 治理 社区治理 志愿 综治 平安 警情 治安",
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
        "civility",
        "文明 乡风 移风易俗 村规民约 家风 家训 道德模范 好人 婚丧 红白理事会 核心价值观",
        "加强精神文明建设，培育文明新风",
        "培育文明新风。",
        "坚持以文化人、以文育人，",
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
# Each theme word → the longer theme words that hold it, with where it stands in them.
# (a longer word of the word's own theme does not hide it: 农村公路 is 公路 as well)
# (营商环境 only hides: its 营商 already counts for the business theme)
_OF = {w: t.id for t in THEMES for w in t.words} | {"营商环境": "business"}
_CONTAINERS: dict[str, tuple[tuple[str, int], ...]] = {
    w: tuple((x, x.find(w)) for x in _OF if len(x) > len(w) and w in x and _OF[x] != _OF[w])
    for w in _OF
}

GENERAL = Theme(
    "general", (), "统筹推进各项工作，取得积极成效", "统筹推进各项工作。", "坚持统筹兼顾，"
)


# The layer of the facts left over when a section has more themes than layers (group_by_theme):
# worded to claim none of them.
MIXED = Theme("mixed", (), "统筹抓好其他工作，推动全面进步", "统筹抓好其他工作。", "同时，")


# Units of public health, not of care: 疾控中心, 卫生监督所, 血吸虫病防治站, 血站 …
_PUBLIC_HEALTH = re.compile(r"疾病预防控制|疾控|卫生监督|防治站|防治所|防疫|血站|健康教育所")


def theme_of(
    fact: Fact, *, skip: frozenset[str] = frozenset(), prefer: str = "", topic: str = ""
) -> Theme:
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
        # A word of the report's own subject (科技成果转化 in a 科技局's report on it) stands in
        # every value: there it names no theme.
        s = sum(
            (2.0 + len(w) / 2 if len(w) > 1 else 0.5) for w in theme.words if _said(w, about)
        ) + sum(0.5 for w in theme.words if len(w) > 1 and _said(w, value) and w not in topic)
        if s > score or (s == score and s > 0 and theme.id == prefer):
            best, score = theme, s
    # One word of a long value (进社区) is too little to name the work.
    return best if score >= 1.0 else GENERAL


def _said(word: str, text: str) -> bool:
    """Whether ``word`` stands in ``text`` other than inside a longer theme word: the 环境 of
    营商环境 is no ecology, even where the business theme is not the unit's."""
    at = text.find(word)
    while at >= 0:
        if not any(
            text.startswith(longer, at - offset)
            for longer, offset in _CONTAINERS.get(word, ())
            if at >= offset
        ):
            return True
        at = text.find(word, at + 1)
    return False


def _named(theme: Theme, fact: Fact) -> bool:
    said = f"{fact.key}{fact.note}{fact.value if isinstance(fact.value, str) else ''}"
    return any(len(w) > 1 and w in said for w in theme.words)


def group_by_theme(
    facts: Sequence[Fact],
    *,
    most: int | None = None,
    home: Theme = GENERAL,
    skip: frozenset[str] = frozenset(),
    prefer: str = "",
    topic: str = "",
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
    own = next((t for t in THEMES if t.id == prefer and t.id not in skip), None)
    for f in facts:
        theme = theme_of(f, skip=skip, prefer=prefer or home.id, topic=topic)
        if theme is GENERAL:
            # a word of the part's own theme, too little to claim a fact elsewhere, keeps it
            # here (开了几次会: 召开支委会12次… in 组织领导), not with the unit's line of work
            theme = own if own is not None and _named(own, f) else home
            if theme is own:
                claimed.add(theme.id)
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
