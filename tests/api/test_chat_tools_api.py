"""With an LLM configured, the chat's steps come from the model's tool calls over real HTTP;
an unusable call (another report, no tool support) leaves them to the rules."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from assistant.config import Settings
from assistant.services import build_services
from tests.api.test_reports import Api, parse_events, start
from tests.conftest import ROOT
from tests.llm_server import Call, Reply, ScriptedLLM


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Api, ScriptedLLM]]:
    with ScriptedLLM(api_key="sk-test", default=Reply(text="县委召开常委会议9次〔F1〕。")) as llm:
        settings = Settings(  # type: ignore[call-arg]
            data_dir=tmp_path_factory.mktemp("chat-tools") / "data",
            embeddings_provider="fake",
            llm_base_url=llm.base_url,
            llm_api_key="sk-test",
            llm_model="scripted-model",
            llm_timeout=5,
            llm_max_retries=0,
            _env_file=None,
        )
        services = build_services(settings)
        assert services.indexer.index([ROOT / "corpus"]).ok
        for api in start(settings, services):
            yield api, llm


def chat(api: Api, rid: int, message: str) -> dict[str, Any]:
    r = api.call("POST", "/chat", json={"report_id": rid, "message": message})
    assert r.status_code == 200, r.text
    return [d for n, d in parse_events(r.text) if n == "done"][-1]  # type: ignore[no-any-return]


def test_the_models_tool_calls_choose_the_steps(served: tuple[Api, ScriptedLLM]) -> None:
    api, llm = served
    rid = api.create()["id"]
    llm.script(Reply.calls(Call("answer", {"query": "常委会议开了几次"}), Call("gaps")))
    done = chat(api, rid, "帮我看看常委会议的情况，再说说还差什么")
    assert done["planner"] == "tools"
    assert [a["action"] for a in done["actions"]] == ["answer", "gaps"]
    # the model saw the section list and fact keys, not the text of any upload
    asked = llm.chat_requests[-1].body
    assert asked.get("tools") and "常委会议" in str(asked["messages"])


def test_a_call_naming_another_report_is_refused_and_the_rules_choose(
    served: tuple[Api, ScriptedLLM],
) -> None:
    api, llm = served
    rid = api.create()["id"]
    llm.script(Reply.calls(Call("draft", {"section": "work_1", "report_id": rid + 100})))
    done = chat(api, rid, "开了几次常委会议？")
    assert done["planner"] == "rules" and done["actions"][0]["action"] == "answer"


def test_an_endpoint_without_tool_support_leaves_the_rules(
    served: tuple[Api, ScriptedLLM],
) -> None:
    api, llm = served
    rid = api.create()["id"]
    llm.script(Reply.tools_unsupported())
    done = chat(api, rid, "这份汇报还缺哪些数据？")
    assert done["planner"] == "rules" and done["actions"][0]["action"] == "gaps"


def test_a_move_the_rules_read_tells_each_model_call_what_leaves_and_what_comes(
    served: tuple[Api, ScriptedLLM],
) -> None:
    api, llm = served
    rid = api.create()["id"]
    texts = {
        "work_2": "强化学习研讨。组织专题研讨24场，检视问题63个，形成调研报告12篇。",
        "work_3": "提升群众获得感。办结民生实事120件。",
    }
    for sid, text in texts.items():
        r = api.call("PUT", f"/reports/{rid}/sections/{sid}", json={"text": text})
        assert r.status_code == 200, r.text
    llm.script(Reply.tools_unsupported())
    seen = len(llm.chat_requests)
    done = chat(api, rid, "检视问题63个那句放错了 应该放到第三部分")
    assert done["planner"] == "rules"
    assert [(a["action"], a.get("section")) for a in done["actions"]] == [
        ("revise", "work_2"),
        ("revise", "work_3"),
    ]
    asked = [str(c.body["messages"]) for c in llm.chat_requests[seen:] if not c.body.get("tools")]
    assert any("把“检视问题63个”从本部分删去" in a for a in asked)
    assert any("移入本部分合适的位置，其余保持不变：检视问题63个" in a for a in asked)
