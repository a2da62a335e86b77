"""Why a knowledge-base file failed, in Chinese for the page, with a code beside it.

The parsers and limits say what went wrong in their own (English, technical) words; an admin
at the page needs to know what to do about it. :func:`failure_for` maps each refusal to a code,
a Chinese reason that says what to do, and the original words (kept as ``detail``).
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.errors import TooLarge, Unreadable, Unsupported
from assistant.ingest.errors import IngestError
from assistant.ingest.limits import OverLimit, TooMuchText
from assistant.ingest.worker import ParseCrashed, ParseTimeout
from assistant.masking import mask_secrets

FORMATS_HINT = (
    "Word/WPS 文字（.docx .doc .wps）、PDF、OFD、Excel/WPS 表格、演示文稿、"
    "文本（.txt .md .csv）或扫描图片"
)


@dataclass(eq=False)  # not frozen: raising sets __traceback__ on it
class Failure(Exception):
    """One file's failure: ``code`` for programs, ``reason`` for people, ``detail`` as found."""

    code: str
    reason: str
    detail: str = ""

    def __str__(self) -> str:
        return self.reason


def too_large(limit_bytes: int) -> Failure:
    mb = f"{limit_bytes / 1048576:.4g}"
    return Failure("too_large", f"文件超过 {mb} MB 的大小上限：请拆分或压缩图片后再上传。")


def empty() -> Failure:
    return Failure("empty", "文件是空的：请检查文件后重新上传。")


def too_many_chars(chars: int, limit: int) -> Failure:
    return Failure(
        "too_much_text",
        f"文件有 {chars:,} 字，超过单个文件 {limit:,} 字的上限：请拆分成几个文件上传，"
        "或请管理员在服务器上用 assistant index 命令索引。",
    )


def duplicate(title: str, filename: str) -> Failure:
    shown = f"《{title}》（{filename}）" if title and title != filename else f"“{filename}”"
    return Failure("duplicate", f"与知识库中已有的{shown}内容完全相同，未重复入库。")


def name_taken(filename: str) -> Failure:
    return Failure(
        "name_taken",
        f"知识库中已有同名文件“{filename}”但内容不同：如是新版本，请先删除旧文件再上传；"
        "如是另一份文件，请改名后上传。",
    )


def not_kept() -> Failure:
    return Failure(
        "not_kept",
        "此文件的原件没有保存（类型无法识别或由其他途径入库），无法重新索引：请重新上传。",
    )


def failure_for(exc: BaseException) -> Failure:
    """The failure a refusal (or an unexpected error) of one file's indexing amounts to."""
    if isinstance(exc, Failure):
        return exc
    detail = mask_secrets(str(exc))
    cause = exc.__cause__ if exc.__cause__ is not None else exc
    if isinstance(exc, Unsupported):
        return Failure(
            "unsupported", f"无法识别的文件类型（按内容判断）：请上传{FORMATS_HINT}。", detail
        )
    if isinstance(cause, TooMuchText):
        return Failure(
            "too_much_text",
            "文件文字超过单个文件的字数上限：请拆分成几个文件上传，"
            "或请管理员在服务器上用 assistant index 命令索引。",
            detail,
        )
    if isinstance(cause, ParseTimeout):
        return Failure(
            "parse_timeout",
            "解析超时，已停止：文件可能过大或已损坏，请拆分或另存后再上传。",
            detail,
        )
    if isinstance(cause, OverLimit):
        what = "所需内存" if "memory" in cause.reason else "内容规模"
        return Failure("over_limit", f"解析{what}超出上限：请拆分或精简文件后再上传。", detail)
    if isinstance(cause, ParseCrashed):
        return Failure(
            "parse_crashed",
            "解析程序异常退出：文件可能已损坏，请用 Word/WPS 打开另存后再上传。",
            detail,
        )
    if isinstance(exc, TooLarge):
        return Failure("over_limit", "文件内容超出解析上限：请拆分或精简文件后再上传。", detail)
    if isinstance(exc, IngestError) and "no text" in exc.reason:
        return Failure(
            "no_text",
            "文件中没有可以索引的文字（可能是空白页或无法识别的扫描件）：请检查文件内容。",
            detail,
        )
    if isinstance(exc, Unreadable):
        return Failure(
            "unreadable",
            "文件无法读取（可能已损坏、加密或与扩展名不符）：请用 Word/WPS 打开另存后再上传。",
            detail,
        )
    return Failure(
        "index_failed",
        "写入知识库失败（向量库或嵌入服务暂不可用）：文件已保存，请稍后点“重新索引”。",
        f"{type(exc).__name__}: {detail}",
    )
