"""The words that say what a chat clause asks for: the rule planner's vocabulary.

Each pattern names one kind of ask (draft, revise, check, gaps, sources, search, a question, a
fact told) or a sign that words do not ask (the unit's own 督导检查, a complaint that is the
reason for a redraft, the shape of the writing: 三条, 四个方面). :mod:`assistant.chat.rules`
combines them; keeping them apart keeps the planner's logic readable and the vocabulary in one
place to extend when a labelled set shows a miss.
"""

from __future__ import annotations

import re

from assistant.vocab import patterns

# The ask words proper are data: chat/cues.toml, one entry per kind of ask, each with its why.
WORDS = patterns(__name__)


def __getattr__(name: str) -> re.Pattern[str]:
    """A pattern of cues.toml by its name (cues.WHOLE), as when it was defined here."""
    return WORDS.get(name)


# Figures to be made up or dressed up, refused with the reason (replies.FABRICATION).
FABRICATED = re.compile(
    r"随便编|瞎编|编几个|编一些|编个数|编点|捏造|虚构|凭空|看着编|你来编|编就行"
    r"|往大了?写|写大点|夸大|好看的数|凭感觉写"
    # figures to be dressed up (写成12件…好看一点, 96.8分领导嫌低)
    r"|好看一?点|好看些|显得(?:我们|调研|工作|成绩|有|更|很)|领导嫌|嫌(?:太)?(?:低|少)"
    r"|写成(?:两位数|三位数|整数|百分之百|满分)"
    r"|反正.{0,8}(?:能办完|会完成|能完成)"
    # 增长5.3%太难看了……写成8% 反正也没人细查; 满意度96.5%太低了 写个99%吧
    r"|太难看|不好看[^，。]{0,4}(?:改|写|报)成|(?:没人|没有人|不会有人)(?:细|去|会)?(?:查|核|看)"
    r"|太(?:低|少)了?[，,\s]*(?:就|你就)?(?:写|改|报|填)(?:成|个|到)\s*\d"
    # a figure set by what it should look like (实际多少无所谓, 编到5个亿, 排名能靠前)
    r"|(?:实际|真实)(?:是|有)?多少(?:都)?无所谓|别太难看|编到|排名(?:能|就|会)?(?:靠前|上去|好看)"
    # (数据写多点 asks for more figures in the text; 金额写少一点 for another amount)
    r"|(?:金额|数值|比例|人数|件数|完成率)(?:再)?(?:写|报|填)(?:少|高|低)一?点|金额(?:再)?多写点"
    # 剩下那7件反正很快也办完了; 巡察组不会查; 写个1000件就行; 没完成的 你就写全部完成了
    r"|反正.{0,10}(?:办完|完成|做完|干完|没事|没人管|看不出)|(?:组|他们|上面|领导|上级)(?:也)?不会(?:细|去)?(?:查|核|看)"
    r"|太多了?[，,\s]*写少(?:一)?点|写个\s*\d[^，。]{0,6}就行|(?:没完成|未完成|没办完|没整改)[^，。]{0,8}[，,\s]*(?:你)?就写(?:成)?(?:全部|都|已经?)?(?:完成|办结|整改到位)"
    r"|写成100%吧",
    re.IGNORECASE,
)
HELP = re.compile(
    r"^(?:(?:你好|您好|hi|hello|哈喽|嗨|在吗|在么|在嘛|在不在|谢谢|多谢|辛苦|好的|收到|ok)[啊呀了！!。~～？?，,\s]*)+$"
    r"|^(?:写得|这样|这版|这稿)?(?:不错|很好|挺好|可以|行|好|没问题|满意)[了的啊呀吧]*[，,！!。]?(?:谢谢|多谢|辛苦了)?[！!。]*$"
    # 这一段写得不错 不用改了: nothing to do
    r"|^(?:这一?(?:段|部分|块|稿|版|条)|这里|这样)?(?:写得|改得)?(?:不错|很好|挺好|可以|行)?[了的啊呀吧]*[，,。\s]*"
    r"(?:就)?(?:不用|不需要|不必|无需|先不)(?:再)?(?:改|动|修改|调整)了?[吧啊呀。！!]*$"
    r"|^(?:这一?(?:段|部分|块|稿|版|条)|这里|这样|这[个份篇](?:报告|汇报|总结|材料|稿子)?)(?:写得|改得)"
    r"(?:不错|很好|挺好|可以|好多了)[了的啊呀吧]*[，,！!。\s]*(?:谢谢|多谢|辛苦了)?[！!。]*$"
    # 廉洁那块写得可以 不用动: a part named, praised, left as it is
    r"|^[^，。\s]{1,12}(?:那块|这块|部分|那段|这段|那里|这里)(?:写得)?(?:可以|不错|挺好|很好|还行|行)"
    r"[了的啊呀吧]*[，,。\s]*(?:就)?(?:不用|不需要|不必|无需|先不)(?:再)?(?:改|动|修改|调整)了?[吧啊呀。！!]*$"
    r"|你是谁|你能(?:做|干)(?:什么|啥)|能帮我做(?:什么|啥)|怎么用|怎么使用|使用说明|^(?:使用)?帮助$|功能有哪些"
    r"|(?:忽略|无视|忘掉|忘记|不要管|跳过)(?:你的|以上|之前|前面|上面|所有)?.{0,6}(?:指令|提示|规则|设定|要求|限制)"
    r"|(?:指令|提示|规则|设定|限制)(?:都|全都|全部)?(?:忘掉|忘了|忘记|无视|作废|不算)"
    r"|system ?prompt|系统提示|提示词|扮演|角色设定|越狱"
    r"|(?:别人|其他人|其他用户|所有人|别的用户)的报告|所有报告|全部报告|密码|管理员权限|数据库|导出所有"
    r"|(?:那份|那篇|他们的|别的单位的|其他单位的).{0,10}(?:报告|总结|汇报|材料).{0,6}(?:发|给|传)我"
    r"|天气|带伞|订(?:餐|票|机票|酒店|会议室)|点外卖|股票|彩票|讲个?笑话"
    r"|^今天(?:是)?(?:几号|几月几[号日]|星期几|周几|礼拜几)|^现在几点"
    r"|(?:别管|不用管|不管|不要管|别理)(?:什么)?(?:事实表|规则)|领导爱看"
    r"|(?:写|帮我写|来)一?封.{0,8}信|(?:慰问|感谢|表扬|邀请|推荐|倡议|公开|贺)信|(?:生成|画|做)一?张.{0,10}图"
    r"|你是(?:不是)?.{0,8}(?:chatgpt|gpt|deepseek|文心|通义|千问|kimi|豆包|claude|机器人|ai)"
    r"|这个工具|这工具|本工具|(?:导出|生成|转|存)成?\s*(?:word|docx|pdf)|排版.{0,6}吗"
    r"|不受.{0,4}(?:规则|限制|约束)|解除.{0,4}限制|没有任何限制|做哪些事|能做哪些|都能干(?:啥|什么)"
    r"|" + FABRICATED.pattern +
    # not a report, or how to write one in general (请假条, 一般写多长, 头一回写有啥要注意的)
    r"|请假条|假条|(?:写|帮我写|来)(?:个|一份|份|篇|一篇)检讨书?|朋友圈|一般写多长|写多长(?:合适|比较好|为宜)|多少字(?:合适|比较好|为宜)"
    r"|(?:有啥|有什么|要|需要)(?:要)?注意(?:的|什么|啥|些什么)|头一回写|第一次写这"
    r"|(?:你|都)能帮我?(?:做|干)些?(?:什么|啥)"
    r"|念多长时间|念多久|讲多长时间|讲多久|(?:写|来)一?首|祝福语|生日快乐|什么模型|哪家公司|谁开发|谁做的你|你是谁做的"
    r"|(?:写|起草|拟|来)一?[篇份个封].{0,12}(?:提纲|心得体会|心得|讲话稿|发言稿|演讲稿|通知|请示|简报|新闻稿|论文|方案|对照检查材料|主持词|串词|致辞|贺词|对联|文案|标语|横幅|口号|宣传语|通稿|信息稿|宣传稿|推文)"
    # other documents than the report (把督导组的接待方案也写了吗)
    r"|(?:接待|活动|会议|宣传|应急)方案(?:也)?(?:写|起草|拟|弄)|(?:新闻)?通稿|公众号(?:文章|推文)",
    re.IGNORECASE,
)
# Homophones staff type for the words that ask (第三布分, 从写, 起操): read as meant, outside
# quotations only (a quoted passage is matched as the user typed it). Each fix keeps the length.
TYPOS = {
    "布分": "部分", "部份": "部分", "起操": "起草", "从写": "重写", "从新": "重新",
    "冲写": "重写", "修该": "修改", "错别子": "错别字", "初搞": "初稿", "该一下": "改一下",
}  # fmt: skip
WRITING_UNITS = ("条", "段", "点", "层", "句", "篇", "份", "版", "遍", "页", "个")
SHAPES = ("方面", "问题", "部分", "层次", "要点", "重点", "小标题")  # 跟三个问题一一对应
LAYOUT_UNITS = ("层", "段", "句", "方面", "部分", "块", "节", "字")
