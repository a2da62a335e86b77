"""What a report covers, as its facts say: a count of what the unit has or serves (全县有……,
辖区……, 馆藏……) or of the report's own subject (the title's words), told in the overview."""

from __future__ import annotations

import re

from assistant.drafting import role_words as lex
from assistant.drafting.fact_shape import is_number
from assistant.facts.sheet import Fact


def is_scope(fact: Fact) -> bool:
    """A count of what the unit has or covers, said by its key (全县登记服务点) or its note
    (关区口岸 5个：辖区一类开放口岸……), with no word of work done to it."""
    said = str(fact.value)
    if (
        not is_number(fact)
        and lex.WORDS.SCOPE_LISTED.search(said)
        and not lex.ROLE_WORDS["problem"].search(said)
    ):
        return True  # 今年列入市级重大项目38个: what the work is to cover
    if (
        not is_number(fact)
        and lex.WORDS.SCOPE_TEXT.search(said)
        and not lex.WORDS.DOING.search(said)
        and not lex.ROLE_WORDS["problem"].search(said)  # 全所在编民警9人……力量明显不足
    ):
        return True  # 全县有红十字会员8600人、志愿者1420人: what the unit has, told as a text
    if lex.WORDS.DOING.search(fact.key) or re.search(r"(?:率|占比|比例|比重)$", fact.key):
        return False  # a rate (公示率) is how well something was done, not what is covered
    if lex.WORDS.HELD.search(fact.key):
        return is_number(fact)
    if lex.WORDS.SCOPE_PREFIX.search(fact.key) or lex.WORDS.STOCK.search(fact.key):
        # 辖区水上交通事故起数 2起（同比减少3起）: a result the key's 辖区 only places
        return not re.search(r"同比|比上年|较上年|减少|下降|增长|增加", fact.note)
    # 辖区交通事故起数同比下降, 全市……总数，年内新建48个: the note tells work done, not scope.
    covered = lex.WORDS.SCOPE_NOTE.search(fact.note) or (
        fact.note.startswith("其中") and lex.WORDS.HOLDING_KEY.search(fact.key)
    )
    return (
        is_number(fact)
        and bool(covered)
        and not (
            lex.WORDS.DOING.search(fact.note)
            or re.search(r"同比|比上年|较上年|新建|升级", fact.note)
        )
    )


def is_subject(fact: Fact, title: str) -> bool:
    """A count of whom or what the whole report is about: the title's own words (新就业形态劳动者
    2.3万人 in 关于新就业形态劳动者入会和服务工作情况的汇报) say how far the work reaches."""
    if not is_number(fact):
        return False
    if len(fact.key) >= 4 and (fact.key in title or _abbreviates(fact.key, title)):
        return True
    # 持证残疾人 1.12万人 in 荇塘区残疾人联合会……: whom the unit serves, a qualifier before it
    return any(
        fact.key[i:] in title for i in (1, 2) if len(fact.key) - i >= 3
    ) and not lex.WORDS.DOING.search(f"{fact.key}{fact.note}")


def _abbreviates(key: str, title: str) -> bool:
    """新阶层人士 for the title's 新的社会阶层人士: the key's characters in order, close together,
    its first and last standing where the title's phrase opens and ends."""
    start = title.find(key[0])
    while start >= 0:
        at, ok = start, True
        for ch in key[1:]:
            at = title.find(ch, at + 1)
            if at < 0 or at - start > 2 * len(key):
                ok = False
                break
        if ok:
            return True
        start = title.find(key[0], start + 1)
    return False
