"""What a fact's shape says before its words do: a figure or a text, a key with its number."""

from __future__ import annotations

from assistant.drafting import role_words as lex
from assistant.facts.sheet import Fact


def bare(fact: Fact) -> Fact:
    """``fact`` with any numbering its key was copied with taken off."""
    key = lex.WORDS.KEY_MARKER.sub("", fact.key)
    return fact.model_copy(update={"key": key}) if key and key != fact.key else fact


def numbered_key(fact: Fact) -> bool:
    """Whether the key is a heading copied with its number (（二）细化整改措施)."""
    return bool(lex.WORDS.KEY_MARKER.match(fact.key))


def is_number(fact: Fact) -> bool:
    return not isinstance(fact.value, str) or (bool(fact.unit) and fact.number() is not None)
