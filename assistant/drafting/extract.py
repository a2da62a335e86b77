"""Facts proposed from a chat message: by the LLM when one is configured, by rule otherwise.

The model answers with a JSON array (the ``extract_facts`` prompt); nothing it says is trusted
as is. Each item must be a valid fact, and its value must be in the message: a number the user
did not write (a conversion, a guess) is dropped, so the model cannot put a figure into the fact
sheet. When the model fails or answers nonsense, the rule-based extractor answers instead. Either
way the proposals wait for the user's confirmation.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal

from langchain_core.messages import HumanMessage
from pydantic import ValidationError

from assistant.drafting.llm import LLMEngine
from assistant.drafting.prompts import Prompt, load_prompt
from assistant.facts.from_chat import facts_from_message
from assistant.facts.proposed import ProposedFact
from assistant.facts.quantities import find_quantities
from assistant.facts.sheet import Fact

_ARRAY = re.compile(r"\[.*\]", re.S)


@dataclass(frozen=True)
class Extraction:
    facts: list[ProposedFact]
    engine: str  # "llm" or "rules"
    dropped: list[str]  # why each rejected item of the model's answer was dropped


def _in_message(fact: Fact, message: str) -> bool:
    number = fact.number()
    if number is None:
        return str(fact.value).strip() in message
    values = {q.value for q in find_quantities(message)}
    values |= {Decimal(d) for d in re.findall(r"\d+(?:\.\d+)?", message)}
    scale = {"万": Decimal(10_000), "亿": Decimal(100_000_000)}.get(fact.unit[:1], Decimal(1))
    return number in values or number * scale in values


def parse_answer(
    answer: str, message: str, message_id: str
) -> tuple[list[ProposedFact], list[str]]:
    match = _ARRAY.search(answer)
    if not match:
        raise ValueError("the answer holds no JSON array")
    items = json.loads(match.group())
    if not isinstance(items, list):
        raise ValueError("the answer is not a JSON array")
    out: list[ProposedFact] = []
    dropped: list[str] = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            dropped.append(f"[{i}]: not an object")
            continue
        try:
            fact = Fact.model_validate({**item, "source": f"chat:{message_id}"})
        except ValidationError as exc:
            dropped.append(f"[{i}]: {exc.errors()[0]['msg']}")
            continue
        if not _in_message(fact, message):
            dropped.append(f"[{i}] {fact.key}: value {fact.value!r} is not in the message")
            continue
        out.append(ProposedFact(fact, origin=message, confidence=0.8))
    return out, dropped


class FactExtractor:
    def __init__(self, llm: LLMEngine | None, prompt: Prompt | None = None) -> None:
        self.llm = llm
        self.prompt = prompt or load_prompt("extract_facts")

    def propose(self, message: str, *, message_id: str, template: str) -> Extraction:
        if self.llm is not None:
            text = self.prompt.render(template=template, message=message)
            try:
                answer = self.llm.model.invoke([HumanMessage(text)])
                facts, dropped = parse_answer(str(answer.content), message, message_id)
                return Extraction(facts, "llm", dropped)
            except Exception as exc:  # a failed or garbled answer falls back to the rules
                rules = facts_from_message(message, message_id=message_id)
                return Extraction(rules, "rules", [f"LLM answer unusable ({type(exc).__name__})"])
        return Extraction(facts_from_message(message, message_id=message_id), "rules", [])
