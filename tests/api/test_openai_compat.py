"""The assistant as an OpenAI-compatible model, driven by the real ``openai`` client (streaming
and not) and LangChain's ``ChatOpenAI`` against uvicorn on 127.0.0.1: models are the reports the
key's owner may see plus ``corpus``; replies carry the draft or answer with numbered sources;
errors come in OpenAI's shape; keys are held to their owner's rights and their scope."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import openai
import pytest
import uvicorn
from sqlalchemy import select

from assistant.api.app import create_app
from assistant.config import Settings
from assistant.services import Services, build_services
from assistant.storage.models import ApiKey, AuditEntry, SectionVersion
from tests.api.conftest import PASSWORD, USERS
from tests.api.test_reports import SHEET
from tests.conftest import ROOT
from tests.llm_server import Call, Reply, ScriptedLLM


class Server:
    """The app under uvicorn in a thread, on a free port of 127.0.0.1."""

    def __init__(self, settings: Settings, services: Services) -> None:
        config = uvicorn.Config(
            create_app(settings, services), host="127.0.0.1", port=0, log_level="warning"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="uvicorn-openai", daemon=True)

    def __enter__(self) -> Server:
        self.thread.start()
        for _ in range(400):  # 20 s at most
            if self.server.started:
                break
            self.thread.join(0.05)
        assert self.server.started, "uvicorn did not start"
        sock = self.server.servers[0].sockets[0]
        self.url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)


@dataclass
class Env:
    url: str
    services: Services
    http: httpx.Client
    tokens: dict[str, str]  # login tokens
    keys: dict[str, str]  # "dora" (draft), "dora-read", "dan" (draft)

    def client(self, key: str) -> openai.OpenAI:
        return openai.OpenAI(base_url=f"{self.url}/v1", api_key=key, max_retries=0, timeout=30)

    def report(self, user: str = "dora", **extra: Any) -> int:
        r = self.http.post(
            "/api/v1/reports", json={**SHEET, **extra}, headers=self.auth(self.tokens[user])
        )
        assert r.status_code == 201, r.text
        return int(r.json()["id"])

    def make_key(self, user: str, scope: str, **extra: Any) -> str:
        r = self.http.post(
            "/api/v1/keys",
            json={"name": f"{user}-{scope}", "scope": scope, **extra},
            headers=self.auth(self.tokens[user]),
        )
        assert r.status_code == 201, r.text
        return str(r.json()["key"])

    @staticmethod
    def auth(token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"}


def serve(settings: Settings) -> Iterator[Env]:
    services = build_services(settings)
    assert services.indexer.index([ROOT / "corpus"]).ok
    for name, role in USERS.items():
        services.accounts.add(name, PASSWORD, role)
    try:
        with (
            Server(settings, services) as server,
            httpx.Client(base_url=server.url, timeout=30) as http,
        ):
            tokens = {}
            for name in USERS:
                r = http.post("/api/v1/auth/login", json={"username": name, "password": PASSWORD})
                tokens[name] = r.json()["access_token"]
            http.cookies.clear()
            e = Env(server.url, services, http, tokens, {})
            e.keys = {
                "dora": e.make_key("dora", "draft"),
                "dora-read": e.make_key("dora", "read"),
                "dan": e.make_key("dan", "draft"),
                "rita": e.make_key("rita", "read"),
            }
            yield e
    finally:
        services.close()


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Env]:
    settings = Settings(  # type: ignore[call-arg]
        data_dir=tmp_path_factory.mktemp("openai") / "data",
        embeddings_provider="fake",
        _env_file=None,
    )
    yield from serve(settings)


@pytest.fixture(scope="module")
def llm_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Env, ScriptedLLM]]:
    """The same, with an LLM: the chat's model plans by tool calls and drafts (scripted)."""
    answer = Reply(text="县委召开常委会议12次〔F1〕，派出巡回指导组6个〔F2〕。", chunk_chars=3)
    with ScriptedLLM(api_key="sk-test", default=answer) as llm:
        settings = Settings(  # type: ignore[call-arg]
            data_dir=tmp_path_factory.mktemp("openai-llm") / "data",
            embeddings_provider="fake",
            llm_base_url=llm.base_url,
            llm_api_key="sk-test",
            llm_model="scripted-model",
            llm_timeout=10,
            llm_max_retries=0,
            _env_file=None,
        )
        for e in serve(settings):
            yield e, llm


def versions(env: Env, report_id: int) -> list[SectionVersion]:
    with env.services.db.session() as s:
        from assistant.storage.models import Section

        pks = select(Section.id).where(Section.report_id == report_id)
        return list(s.scalars(select(SectionVersion).where(SectionVersion.section_pk.in_(pks))))


# -- models -----------------------------------------------------------------------------------


def test_models_are_the_reports_the_key_may_see_plus_corpus(env: Env) -> None:
    mine = env.report("dora", reviewers=["rita"], report={**SHEET["report"], "title": "甲报告"})
    theirs = env.report("dan")
    ids = {m.id: m for m in env.client(env.keys["dora"]).models.list()}
    assert "corpus" in ids and f"report-{mine}" in ids and f"report-{theirs}" not in ids
    listed = ids[f"report-{mine}"].model_dump()
    assert listed["title"] == "甲报告" and "甲报告" in listed["name"]
    # a reviewer's key sees the report assigned to them; the owner of the other does not leak
    assert f"report-{mine}" in {m.id for m in env.client(env.keys["rita"]).models.list()}
    dan = {m.id for m in env.client(env.keys["dan"]).models.list()}
    assert f"report-{theirs}" in dan and f"report-{mine}" not in dan
    one = env.client(env.keys["dora"]).models.retrieve(f"report-{mine}")
    assert one.id == f"report-{mine}"
    with pytest.raises(openai.NotFoundError):
        env.client(env.keys["dora"]).models.retrieve(f"report-{theirs}")


def test_a_login_token_is_accepted_as_bearer_too(env: Env) -> None:
    assert "corpus" in {m.id for m in env.client(env.tokens["dora"]).models.list()}


# -- completions --------------------------------------------------------------------------------


def test_a_draft_through_the_sdk_not_streamed(env: Env) -> None:
    rid = env.report()
    reply = env.client(env.keys["dora"]).chat.completions.create(
        model=f"report-{rid}", messages=[{"role": "user", "content": "起草第一部分"}]
    )
    assert reply.model == f"report-{rid}" and reply.object == "chat.completion"
    choice = reply.choices[0]
    text = choice.message.content or ""
    assert choice.finish_reason == "stop" and choice.message.role == "assistant"
    assert "**一、" in text and "常委会议12次" in text
    assert "〔F" not in text  # the engine's markers are taken out, as in the stored version
    assert "已起草" in text and "第1版" in text
    notes = text.split("来源：\n", 1)[1]
    assert notes.startswith("[1] 事实表：常委会议：12次")
    [saved] = versions(env, rid)
    assert saved.text in text and saved.author_id  # the draft was stored, as from the page
    extra = reply.model_dump()["gongwen"]["actions"]
    assert extra[0]["action"] == "draft" and extra[0]["version_id"] == saved.id
    assert reply.usage is None  # no made-up token counts


def test_a_draft_streamed_through_the_sdk_is_the_same_reply(env: Env) -> None:
    a, b = env.report(), env.report()
    client = env.client(env.keys["dora"])
    whole = client.chat.completions.create(
        model=f"report-{a}", messages=[{"role": "user", "content": "起草第一部分"}]
    )
    stream = client.chat.completions.create(
        model=f"report-{b}", messages=[{"role": "user", "content": "起草第一部分"}], stream=True
    )
    pieces: list[str] = []
    finish = []
    for chunk in stream:
        assert chunk.object == "chat.completion.chunk" and chunk.model == f"report-{b}"
        delta = chunk.choices[0].delta
        pieces.append(delta.content or "")
        finish.append(chunk.choices[0].finish_reason)
    assert len([p for p in pieces if p]) > 3  # it streams, not one block
    assert finish[-1] == "stop" and all(f is None for f in finish[:-1])
    assert "".join(pieces) == whole.choices[0].message.content


def test_only_the_last_user_message_acts_and_questions_are_answered(env: Env) -> None:
    rid = env.report()
    reply = env.client(env.keys["dora"]).chat.completions.create(
        model=f"report-{rid}",
        messages=[
            {"role": "system", "content": "你是助手"},
            {"role": "user", "content": "起草第一部分"},
            {"role": "assistant", "content": "好的"},
            {"role": "user", "content": [{"type": "text", "text": "开了几次常委会议？"}]},
        ],
    )
    text = reply.choices[0].message.content or ""
    assert "12次" in text and "[1] 事实表：常委会议" in text
    assert versions(env, rid) == []  # the earlier message was not acted on again


def test_a_front_ends_title_request_is_answered_without_acting(env: Env) -> None:
    # Open WebUI asks the chat's model for a title, quoting the conversation: the quoted
    # 起草第一部分 must not draft again.
    rid = env.report(report={**SHEET["report"], "title": "乙报告"})
    prompt = (
        "### Task:\nGenerate a concise, 3-5 word title with an emoji summarizing the chat history."
        "\n### Chat History:\n<chat_history>\nUSER: 起草第一部分\nASSISTANT: 已起草\n</chat_history>"
    )
    reply = env.client(env.keys["dora"]).chat.completions.create(
        model=f"report-{rid}", messages=[{"role": "user", "content": prompt}]
    )
    assert reply.choices[0].message.content == "乙报告"
    assert versions(env, rid) == []


def test_the_corpus_model_searches_and_cites(env: Env) -> None:
    reply = env.client(env.keys["dora-read"]).chat.completions.create(
        model="corpus", messages=[{"role": "user", "content": "主题教育的整改整治"}]
    )
    text = reply.choices[0].message.content or ""
    assert "《" in text and "[1]" in text
    notes = text.split("来源：\n", 1)[1].splitlines()
    assert notes[0].startswith("[1] 《") and len(notes) >= 3


def test_langchain_chat_openai_invokes_and_streams(env: Env) -> None:
    pytest.importorskip("langchain_openai")
    from langchain_openai import ChatOpenAI

    rid = env.report()
    llm = ChatOpenAI(
        base_url=f"{env.url}/v1",
        api_key=env.keys["dora"],  # type: ignore[arg-type]
        model=f"report-{rid}",
        max_retries=0,
        timeout=30,
    )
    answer = llm.invoke("开了几次常委会议？")
    assert "12次" in str(answer.content)
    streamed = "".join(str(c.content) for c in llm.stream("起草第一部分"))
    assert "**一、" in streamed and "来源：" in streamed
    assert len(versions(env, rid)) == 1


def test_with_an_llm_the_models_draft_streams_through_the_sdk(
    llm_env: tuple[Env, ScriptedLLM],
) -> None:
    env, llm = llm_env
    rid = env.report()
    llm.script(Reply.calls(Call("draft", {"section": "work_1"})))  # the chat's planner
    stream = env.client(env.keys["dora"]).chat.completions.create(
        model=f"report-{rid}",
        messages=[{"role": "user", "content": "第一部分写一下常委会议和巡回指导组"}],
        stream=True,
    )
    pieces = [c.choices[0].delta.content or "" for c in stream]
    text = "".join(pieces)
    assert len([p for p in pieces if p]) > 5
    assert "县委召开常委会议12次，派出巡回指导组6个。" in text and "〔F" not in text
    assert "scripted-model" in text  # the engine that wrote it, as the page shows it
    assert "[1] 事实表：常委会议：12次" in text and "[2] 事实表：巡回指导组：6个" in text
    [saved] = versions(env, rid)
    assert saved.engine == "llm" and saved.text in text
    planned = [r for r in llm.chat_requests if r.body.get("tools")]
    assert planned and "第一部分写一下常委会议" in str(planned[-1].body["messages"])


def test_with_an_llm_the_corpus_model_answers_from_the_passages_it_cites(
    llm_env: tuple[Env, ScriptedLLM],
) -> None:
    env, llm = llm_env
    llm.script(Reply(text="整改整治要坚持边学习、边对照、边检视、边整改[1]。", chunk_chars=4))
    reply = env.client(env.keys["dora-read"]).chat.completions.create(
        model="corpus", messages=[{"role": "user", "content": "主题教育的整改整治怎么写"}]
    )
    text = reply.choices[0].message.content or ""
    answer, notes = text.split("来源：\n", 1)
    assert answer.startswith("整改整治要坚持边学习") and "[1]" in answer
    assert notes.splitlines()[0].startswith("[1] 《")
    asked = str(llm.chat_requests[-1].body["messages"])
    assert "主题教育的整改整治怎么写" in asked and "[1]《" in asked  # the passages, numbered


# -- rights -------------------------------------------------------------------------------------


def test_another_users_report_is_an_unknown_model(env: Env) -> None:
    theirs = env.report("dan")
    with pytest.raises(openai.NotFoundError) as caught:
        env.client(env.keys["dora"]).chat.completions.create(
            model=f"report-{theirs}", messages=[{"role": "user", "content": "起草第一部分"}]
        )
    assert caught.value.code == "model_not_found"
    assert versions(env, theirs) == []


def test_a_read_only_key_reads_but_cannot_draft(env: Env) -> None:
    rid = env.report()
    client = env.client(env.keys["dora-read"])
    reply = client.chat.completions.create(
        model=f"report-{rid}", messages=[{"role": "user", "content": "起草第一部分"}]
    )
    assert "只读" in (reply.choices[0].message.content or "")
    assert reply.model_dump()["gongwen"]["actions"][0]["refused"] is True
    answer = client.chat.completions.create(
        model=f"report-{rid}", messages=[{"role": "user", "content": "开了几次常委会议？"}]
    )
    assert "12次" in (answer.choices[0].message.content or "")
    assert versions(env, rid) == []
    # the same key on /api/v1: reading yes, changing no
    h = env.auth(env.keys["dora-read"])
    assert env.http.get(f"/api/v1/reports/{rid}", headers=h).status_code == 200
    r = env.http.post(f"/api/v1/reports/{rid}/sections/work_1/draft", json={}, headers=h)
    assert r.status_code == 403 and "只读" in r.json()["detail"]
    assert env.http.post("/api/v1/reports", json=SHEET, headers=h).status_code == 403


def test_a_revoked_or_expired_key_gets_401(env: Env) -> None:
    key = env.make_key("dora", "draft")
    client = env.client(key)
    assert client.models.list().data
    [listed] = [
        k
        for k in env.http.get("/api/v1/keys", headers=env.auth(env.tokens["dora"])).json()
        if key.startswith(k["prefix"]) and k["status"] == "active" and k["last_used_at"]
    ]
    r = env.http.delete(f"/api/v1/keys/{listed['id']}", headers=env.auth(env.tokens["dora"]))
    assert r.status_code == 200 and r.json()["status"] == "revoked"
    with pytest.raises(openai.AuthenticationError) as caught:
        client.models.list()
    assert caught.value.code == "invalid_api_key"

    old = env.make_key("dora", "draft", expires_days=1)
    assert env.client(old).models.list().data
    with env.services.db.session() as s:
        row = s.scalars(select(ApiKey).where(ApiKey.prefix == old[:12])).one()
        row.expires_at = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(seconds=1)
    with pytest.raises(openai.AuthenticationError):
        env.client(old).chat.completions.create(
            model="corpus", messages=[{"role": "user", "content": "你好"}]
        )


def test_every_use_of_a_key_is_in_the_audit_log(env: Env) -> None:
    rid = env.report()
    key = env.make_key("dora", "draft")
    client = env.client(key)
    client.models.list()
    client.chat.completions.create(
        model=f"report-{rid}", messages=[{"role": "user", "content": "起草第一部分"}]
    )
    with pytest.raises(openai.NotFoundError):  # refused uses are written too
        client.chat.completions.create(
            model="report-999999", messages=[{"role": "user", "content": "起草第一部分"}]
        )
    with pytest.raises(openai.BadRequestError):
        client.chat.completions.create(model="corpus", messages=[{"role": "assistant"}])  # type: ignore[list-item]
    with env.services.db.session() as s:
        row = s.scalars(select(ApiKey).where(ApiKey.prefix == key[:12])).one()
        uses = s.scalars(
            select(AuditEntry)
            .where(AuditEntry.object_type == "api_key", AuditEntry.object_id == row.id)
            .order_by(AuditEntry.id)
        ).all()
        assert row.last_used_at is not None
    assert [u.action for u in uses] == ["api_key.create"] + ["api_key.use"] * 4
    assert all(u.user_id == row.user_id for u in uses)
    listing, chat, unknown, invalid = (u.detail for u in uses[1:])
    assert listing == {"method": "GET", "path": "/v1/models", "scope": "draft"}
    # one row per completion, written with the report it reached
    assert chat["path"] == "/v1/chat/completions" and chat["report_id"] == rid
    assert chat["model"] == f"report-{rid}"
    assert unknown["status"] == 404 and invalid["status"] == 400


# -- errors -------------------------------------------------------------------------------------


def _error(r: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert r.status_code == status, r.text
    body: dict[str, Any] = r.json()["error"]
    assert set(body) >= {"message", "type", "code"} and body["code"] == code, body
    return body


def test_errors_come_in_openais_shape(env: Env) -> None:
    h = env.auth(env.keys["dora"])
    post = env.http.post
    msg = [{"role": "user", "content": "你好"}]
    body = _error(
        post("/v1/chat/completions", json={"model": "corpus", "messages": msg}),
        401,
        "missing_api_key",
    )
    assert body["type"] == "authentication_error" and "API 密钥" in body["message"]
    bad = env.auth("gwk_" + "x" * 43)
    _error(
        post("/v1/chat/completions", json={"model": "corpus", "messages": msg}, headers=bad),
        401,
        "invalid_api_key",
    )
    body = _error(
        post("/v1/chat/completions", json={"messages": msg}, headers=h), 400, "model_required"
    )
    assert "report-" in body["message"] and body["type"] == "invalid_request_error"
    _error(
        post("/v1/chat/completions", json={"model": "gpt-4o", "messages": msg}, headers=h),
        404,
        "model_not_found",
    )
    _error(
        post(
            "/v1/chat/completions", json={"model": "report-2147483648", "messages": msg}, headers=h
        ),
        404,
        "model_not_found",
    )
    long = [{"role": "user", "content": "写" * 2001}]
    body = _error(
        post("/v1/chat/completions", json={"model": "corpus", "messages": long}, headers=h),
        400,
        "message_too_long",
    )
    assert "2000" in body["message"]
    _error(
        post("/v1/chat/completions", json={"model": "corpus", "messages": []}, headers=h),
        400,
        "invalid_request",
    )
    none = [{"role": "system", "content": "你是助手"}]
    _error(
        post("/v1/chat/completions", json={"model": "corpus", "messages": none}, headers=h),
        400,
        "no_user_message",
    )
    _error(
        post(
            "/v1/chat/completions",
            content=b"{not json",
            headers={**h, "Content-Type": "application/json"},
        ),
        400,
        "invalid_request",
    )
    _error(env.http.get("/v1/embeddings", headers=h), 404, "not_found")
    with pytest.raises(openai.BadRequestError) as caught:
        env.client(env.keys["dora"]).chat.completions.create(model="corpus", messages=long)  # type: ignore[arg-type]
    assert "消息过长" in caught.value.message


def test_the_page_cookie_is_no_key_and_still_needs_csrf(env: Env) -> None:
    r = httpx.post(f"{env.url}/api/v1/auth/login", json={"username": "dora", "password": PASSWORD})
    cookies = r.cookies
    msg = {"model": "corpus", "messages": [{"role": "user", "content": "你好"}]}
    # without Origin the CSRF guard refuses a cookie-signed POST before any route runs
    r = httpx.post(f"{env.url}/v1/chat/completions", json=msg, cookies=cookies)
    assert r.status_code == 403 and "跨站" in r.json()["detail"]
    # from the page's own origin it passes the guard, but /v1 takes only a bearer token
    r = httpx.post(
        f"{env.url}/v1/chat/completions", json=msg, cookies=cookies, headers={"Origin": env.url}
    )
    _error(r, 401, "missing_api_key")
