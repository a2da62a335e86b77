"""The chat's fixed replies: what it can do, an acknowledgement, and why a reader cannot write."""

from __future__ import annotations

import re

from assistant.chat.cues import FABRICATED, RESTORE_ASKED

HELP = (
    "我可以：起草某一部分或整篇报告（如“起草第一部分”“整篇帮我起草”）；按要求修改（如“问题部分再具体一点”"
    "“把‘第一时间成立机构’那一层展开写”）；从您的话中识别事实（如“今年开了12次中心组学习”），确认后加入事实表；"
    "回答报告里的数据（如“开了几次常委会议？”）；列出还缺什么（“还缺哪些数据？”）；检查错别字、提法和数字"
    "（“把全文检查一遍”）；检索范文和上传材料；说明某部分数字的出处。"
)
THANKS = "不客气。还需要起草、修改或检查哪一部分，直接告诉我。"
_THANKED = re.compile(
    r"^\s*(?:(?:好的|好|收到|ok|OK|谢谢|多谢|辛苦了?|感谢|麻烦了)[您你啦了啊呀！!。~～，,\s]*)+$"
)
FABRICATION = (
    "报告里的数字只能来自事实表和上传的材料，不能为了好看改高、改低或估一个。如果这个数据确实有了新的"
    "统计，请告诉我准确的数字和出处（如“经核实，企业满意度为97.2%，来自三季度测评”），我记入事实表后再改正文。"
)
EXPORT = (
    "导出在页面上操作，文件为 Word（.docx）：各部分经审核人批准后点“导出正式稿”（GB/T 9704 格式）；"
    "未批准时可点“导出讨论稿”，文中标明“讨论稿”。检查出的错误（如【待补充】）须先改正，"
    "或由审核人写明理由放行。"
)
_EXPORT_ASK = re.compile(
    r"(?:导出|生成|转|存|下载)成?\s*(?:word|docx|pdf|文档|文件|正式稿|讨论稿)|导出", re.I
)
RESTORE = (
    "每次起草和修改都存为新的一版，旧版本不会丢失：在页面上打开该部分的“版本记录”，找到要回到的那一版，"
    "点“恢复此版本”，它的文字会另存为最新的一版（不会覆盖其他人之后的修改）。"
)
NO_WRITE = "只有报告的起草人（或管理员）可以起草和修改；您可以查看、检索、提问或检查。"


def help_reply(message: str) -> str:
    """谢谢 / 好的 / 辛苦了 get an acknowledgement, a figure to be made up the reason it is not,
    an export asked for where the page does it; any other help answer is the manual."""
    if _THANKED.search(message):
        return THANKS
    if FABRICATED.search(message):
        return FABRICATION
    if RESTORE_ASKED.search(message):
        return RESTORE
    return EXPORT if _EXPORT_ASK.search(message) else HELP


def checked(errors: int, others: int) -> str:
    """What the checker found after a write, in the words the export gate uses: an error keeps
    the report from export until it is put right (or a reviewer overrides it with a reason), a
    reminder does not. 【待补充】 is an error, so it is not announced as a mere 需要注意."""
    if not errors and not others:
        return "检查未发现问题。"
    parts = []
    if errors:
        parts.append(f"{errors} 处错误（导出前须改正，如【待补充】处要补上）")
    if others:
        parts.append(f"{others} 处提醒")
    return f"检查发现{'、'.join(parts)}。"
