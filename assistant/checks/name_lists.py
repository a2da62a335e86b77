"""Word lists for the name check: what is national, what is generic, what marks a person.

Kept as code rather than a data file so they ship with the package and mypy sees their types.
"""

from __future__ import annotations

# Provinces, regions and national landmarks: names every report may use, whoever writes it.
NATIONAL = frozenset(
    """
    习近平 毛泽东 邓小平 江泽民 胡锦涛 周恩来 刘少奇 朱德 大湾区 中关村 浦东 雄安新区 海南自贸港
    中国 中华 全国 北京 天津 上海 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东
    河南 湖北 湖南 广东 海南 四川 贵州 云南 陕西 甘肃 青海 台湾 内蒙古 广西 西藏 宁夏 新疆 香港
    澳门 长江 黄河 珠江 淮河 长城 长三角 珠三角 京津冀 粤港澳 成渝 雄安 东北 西北 西南 华北 华东
    华南 华中 中西部 延安 井冈山 遵义 西柏坡 韶山 古田 南湖 嘉兴 红旗渠 沂蒙 大别山 太行 吕梁
    枫桥 浦江 塞罕坝 小岗 余村 安吉 下姜 十八洞 东西部 亚洲 欧洲 非洲 美洲 太平洋 世界 国际
    """.split()
)

# Stems that look like a place before 县/镇/村 but name no particular one (海岛县, 中心镇 …).
GENERIC_STEMS = frozenset(
    """
    城市 城镇 城中 城乡 中心 海岛 百强 老城 大城 都市 新城 山区 特大城 边境 贫困 沿海 重点 示范
    特色 美丽 和美 文明 卫生 园林 森林 生态 旅游 历史 文化 边远 偏远 脱贫 欠发达 发达 农业 工业
    先进 试点 样板 全域 宜居 智慧 数字 平安 法治 民族 革命 老区 新区 开发 产业 经济 地级 县级
    市级 省级 乡级 村级 镇级 区级 基层 周边 毗邻 相邻 所在 属地 所属 辖区 当地 本地 外地 异地 外省
    兄弟 友好 上级 下级 同级 各级 幸福 和谐 养老 绿色 低碳 无废 海绵 韧性 未来 完整 熟人 城郊
    城区 近郊 远郊 高新 经开 综保 综试 农高 农综 小城 大湾 湾区 北方 南方 内陆 沿海 山海 江南 南粤
    潇湘 三湘 湖湘 八闽 陇上 齐鲁 荆楚 巴蜀 燕赵 深水 明星 专业 资源 人口 产粮 产茶 牧区 丘陵 平原
    口岸 强 联合 典型 校园 山水 京城 古城 第三极 美食 文旅 旅名 街区 商签 用膜 无电 无人 海岛县
    做实 普惠 高水平 引育 扩区 新建
    部分 个别 少数 多数 大部分 一些 有的 相关 其他 其余 大多数 不少
    """.split()
)

# A stem starting like this is a determiner plus a generic word: 全县, 本市, 各乡镇, 外省.
GENERIC_FIRST = frozenset("全本我该各每此其外两多几省市县区乡镇村在以地对向从于为和与及")
# A stem ending like this counts units: 千企联百县, 三大省.
GENERIC_LAST = frozenset("百千万多几个大各等级是")  # 是: 三是镇… enumerates

# What follows a place name to make it a unit or a post (青溪 + 县委, 云岭 + 镇党委书记).
ADMIN = tuple(
    "特别行政区 自治区 自治州 自治县 地区 街道 社区 省 市 县 区 州 盟 旗 镇 乡 村".split()
)  # longest first: 自治县 before 县
ADMIN_TAILS = frozenset(
    """
    委 党委 党组 党工委 委员会 政府 人民政府 人大 人大常委会 政协 纪委 监委 委书记 党委书记 长 委会
    村委会 居委会 两委 党支部 党总支 级 直 域 办事处 办 委办 委组织部 委宣传部
    """.split()
) | {""}

# Rivers, parks, zones: 滨江 + 干流 is a place as much as 滨江 + 区.
GEO_TAILS = frozenset(
    """
    干流 支流 流域 水库 河段 湖区 库区 大桥 大道 园区 工业园 产业园 开发区 高新区 经开区 景区
    片区 湿地 公园 林场 茶园 港区 码头 新区
    """.split()
)

COMPANY = frozenset(
    "有限公司 有限责任公司 股份有限公司 公司 集团 集团公司 合作社 专业合作社 农场 茶厂".split()
)

# Words between a company's own name and its suffix: 云岭 + 茶业 + 有限公司.
TRADE = frozenset(
    """
    水务 茶业 茶叶 农业 科技 实业 发展 建设 投资 电力 供水 能源 生态 旅游 文化 农产品 食品 物流
    商贸 贸易 置业 城投 交通 矿业 林业 牧业 渔业 建筑 工程 环保 医药 制药 电子 信息 数据 控股
    开发 产业 服务 管理 运营 水利 燃气 热力 供销 农牧 养殖 种植 果业 茶 酒业 酒厂
    """.split()
)

SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏"
    "吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万"
    "钱严覃武戴莫孔向汤"
)

# A person's name stands next to a post or 同志: 县委书记李建国同志, 张伟副县长.
POSTS = tuple(
    """
    同志 书记 副书记 县长 副县长 市长 副市长 区长 副区长 镇长 副镇长 乡长 局长 副局长 主任 副主任
    部长 副部长 处长 科长 所长 站长 校长 院长 董事长 总经理 经理 主席 委员 常委 秘书长 组长 队长
    """.split()
)
