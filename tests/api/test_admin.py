"""User administration and the audit log over HTTP (issue 15, items 2 and 9).

Admins list, add, re-role, disable, enable users and reset passwords; everyone changes their own
password with the old one. Non-admins are refused (403 ``admin_only``, in Chinese); the last
active admin is never demoted or disabled (409 ``last_admin``); disabling ends the user's
sessions at once. Every act, upload, import and deletion is in the overall audit log, which
pages and filters the way a report's does.
"""

from __future__ import annotations

import datetime as dt
import io
import threading
from typing import Any

import docx
import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import PASSWORD, login
from tests.api.test_documents import STATS, upload, xlsx_bytes
from tests.api.test_reports import SHEET

USERS = "/api/v1/admin/users"
AUDIT = "/api/v1/admin/audit"
OWN = "http://testserver"
NEW_PASSWORD = "a-brand-new-password"


def ids(client: TestClient, ada: dict[str, str]) -> dict[str, int]:
    r = client.get(USERS, headers=ada)
    assert r.status_code == 200, r.text
    return {u["username"]: u["id"] for u in r.json()}


def refused(r: Any, status: int, code: str) -> str:
    assert r.status_code == status, r.text
    detail = r.json()["detail"]
    assert detail["code"] == code, detail
    message: str = detail["message"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message), message  # said in Chinese
    return message


def can_log_in(client: TestClient, name: str, password: str = PASSWORD) -> bool:
    r = client.post("/api/v1/auth/login", json={"username": name, "password": password})
    client.cookies.clear()
    return r.status_code == 200


@pytest.fixture
def ada(client: TestClient) -> dict[str, str]:
    return login(client, "ada")


def test_an_admin_adds_a_user_who_can_then_log_in(client: TestClient, ada: dict[str, str]) -> None:
    body = {"username": "rui", "password": "rui-initial-pass", "role": "reviewer"}
    r = client.post(USERS, json=body, headers=ada)
    assert r.status_code == 201, r.text
    made = r.json()
    assert (made["username"], made["role"], made["disabled"]) == ("rui", "reviewer", False)
    assert made["role_label"] == "审核人"
    assert "password" not in r.text and "hash" not in r.text
    listed = {u["username"]: u for u in client.get(USERS, headers=ada).json()}
    assert set(listed) >= {"ada", "dora", "dan", "rita", "rui"}
    me = client.get("/api/v1/auth/me", headers=login(client, "rui", "rui-initial-pass"))
    assert me.json()["role"] == "reviewer"

    refused(client.post(USERS, json=body, headers=ada), 409, "user_exists")
    short = {**body, "username": "ruo", "password": "short"}
    assert "10" in refused(client.post(USERS, json=short, headers=ada), 422, "account")
    assert client.post(USERS, json={**body, "role": "boss"}, headers=ada).status_code == 422


def test_non_admins_are_refused_with_a_chinese_reason_and_a_code(client: TestClient) -> None:
    ada = login(client, "ada")
    target = ids(client, ada)["dan"]
    for name in ("dora", "rita"):
        h = login(client, name)
        for r in (
            client.get(USERS, headers=h),
            client.post(USERS, json={"username": "x", "password": PASSWORD}, headers=h),
            client.patch(f"{USERS}/{target}", json={"role": "admin"}, headers=h),
            client.patch(f"{USERS}/{target}", json={}, headers=h),
            client.post(f"{USERS}/{target}/password", json={"password": PASSWORD}, headers=h),
            client.get(AUDIT, headers=h),
        ):
            assert "管理员" in refused(r, 403, "admin_only")
    assert client.get("/api/v1/auth/me", headers=login(client, "dan")).json()["role"] == "drafter"
    assert not can_log_in(client, "x")
    assert client.get(USERS).status_code == 401


def test_a_role_change_takes_effect_on_the_next_request(
    client: TestClient, ada: dict[str, str]
) -> None:
    dan = login(client, "dan")
    r = client.patch(f"{USERS}/{ids(client, ada)['dan']}", json={"role": "reviewer"}, headers=ada)
    assert r.status_code == 200 and r.json()["role"] == "reviewer"
    assert client.get("/api/v1/auth/me", headers=dan).json()["role"] == "reviewer"
    refused(
        client.patch(f"{USERS}/999999", json={"role": "admin"}, headers=ada), 404, "no_such_user"
    )


def test_the_last_active_admin_is_never_demoted_or_disabled(
    client: TestClient, ada: dict[str, str]
) -> None:
    people = ids(client, ada)
    me = f"{USERS}/{people['ada']}"
    assert "唯一" in refused(
        client.patch(me, json={"role": "drafter"}, headers=ada), 409, "last_admin"
    )
    refused(client.patch(me, json={"disabled": True}, headers=ada), 409, "self_disable")

    # a second admin who is disabled does not count
    rita = f"{USERS}/{people['rita']}"
    assert client.patch(rita, json={"role": "admin"}, headers=ada).status_code == 200
    assert client.patch(rita, json={"disabled": True}, headers=ada).status_code == 200
    refused(client.patch(me, json={"role": "reviewer"}, headers=ada), 409, "last_admin")
    # an active one does: ada may step down, and then rita is the last
    assert client.patch(rita, json={"disabled": False}, headers=ada).status_code == 200
    assert client.patch(me, json={"role": "reviewer"}, headers=ada).status_code == 200
    rita_h = login(client, "rita")
    refused(client.patch(rita, json={"role": "drafter"}, headers=rita_h), 409, "last_admin")
    roles = {u["username"]: u["role"] for u in client.get(USERS, headers=rita_h).json()}
    assert roles["rita"] == "admin" and roles["ada"] == "reviewer"


def test_two_admins_demoting_each_other_at_once_leave_one_admin(
    client: TestClient, ada: dict[str, str]
) -> None:
    people = ids(client, ada)
    assert (
        client.patch(f"{USERS}/{people['rita']}", json={"role": "admin"}, headers=ada).status_code
        == 200
    )
    rita = login(client, "rita")
    heads = {"ada": ada, "rita": rita}
    for _ in range(3):
        barrier = threading.Barrier(2)
        codes: dict[str, int] = {}

        def demote(
            actor: str, target: str, barrier: threading.Barrier = barrier, codes: Any = codes
        ) -> None:
            barrier.wait()
            path = f"{USERS}/{people[target]}"
            codes[actor] = client.patch(
                path, json={"role": "drafter"}, headers=heads[actor]
            ).status_code

        threads = [
            threading.Thread(target=demote, args=("ada", "rita")),
            threading.Thread(target=demote, args=("rita", "ada")),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        # One wins; the other is refused: demoted meanwhile (403) or the last admin (409).
        winner = next(name for name, code in codes.items() if code == 200)
        loser = "rita" if winner == "ada" else "ada"
        assert codes[loser] in (403, 409), codes
        listed = client.get(USERS, headers=heads[winner]).json()
        admins = [u["username"] for u in listed if u["role"] == "admin" and not u["disabled"]]
        assert admins == [winner]
        back = client.patch(
            f"{USERS}/{people[loser]}", json={"role": "admin"}, headers=heads[winner]
        )
        assert back.status_code == 200  # both admins again for the next round


def test_disabling_a_user_ends_their_sessions_and_keys(
    client: TestClient, ada: dict[str, str]
) -> None:
    dora = login(client, "dora")
    page = client.post(
        "/api/v1/auth/login", json={"username": "dora", "password": PASSWORD}
    ).cookies  # a page session, held apart from the client
    client.cookies.clear()
    key = client.post("/api/v1/keys", json={"name": "脚本", "scope": "read"}, headers=dora).json()
    bearer_key = {"Authorization": f"Bearer {key['key']}"}
    assert client.get("/api/v1/reports", headers=bearer_key).status_code == 200

    target = f"{USERS}/{ids(client, ada)['dora']}"
    r = client.patch(target, json={"disabled": True}, headers=ada)
    assert r.status_code == 200 and r.json()["disabled"] is True
    assert client.get("/api/v1/auth/me", headers=dora).status_code == 401
    client.cookies.update(page)
    assert client.get("/api/v1/auth/me").status_code == 401
    client.cookies.clear()
    assert client.get("/api/v1/reports", headers=bearer_key).status_code == 401
    assert not can_log_in(client, "dora")

    assert client.patch(target, json={"disabled": False}, headers=ada).status_code == 200
    assert can_log_in(client, "dora")
    # the sessions stay ended: enabling again does not bring them back
    assert client.get("/api/v1/auth/me", headers=dora).status_code == 401


def test_an_admin_resets_a_password_and_the_old_sessions_end(
    client: TestClient, ada: dict[str, str]
) -> None:
    dan = login(client, "dan")
    path = f"{USERS}/{ids(client, ada)['dan']}/password"
    refused(client.post(path, json={"password": "short"}, headers=ada), 422, "account")
    assert client.post(path, json={"password": NEW_PASSWORD}, headers=ada).status_code == 204
    assert client.get("/api/v1/auth/me", headers=dan).status_code == 401
    assert can_log_in(client, "dan", NEW_PASSWORD) and not can_log_in(client, "dan")


def test_changing_ones_own_password_needs_the_old_one(client: TestClient) -> None:
    rita = login(client, "rita")
    other = login(client, "rita")  # another device
    path = "/api/v1/auth/password"
    wrong = {"old_password": "not-my-password", "new_password": NEW_PASSWORD}
    assert "原密码" in refused(client.post(path, json=wrong, headers=rita), 422, "wrong_password")
    assert client.post(path, json={"new_password": NEW_PASSWORD}, headers=rita).status_code == 422
    assert can_log_in(client, "rita")  # nothing changed

    right = {"old_password": PASSWORD, "new_password": NEW_PASSWORD}
    assert client.post(path, json=right, headers=rita).status_code == 204
    assert client.get("/api/v1/auth/me", headers=rita).status_code == 200  # this session stays
    assert client.get("/api/v1/auth/me", headers=other).status_code == 401  # the others end
    assert can_log_in(client, "rita", NEW_PASSWORD) and not can_log_in(client, "rita")

    # an API key is no proof of the person: it changes no password
    key = client.post("/api/v1/keys", json={"name": "k", "scope": "draft"}, headers=rita).json()
    by_key = {"Authorization": f"Bearer {key['key']}"}
    again = {"old_password": NEW_PASSWORD, "new_password": "yet-another-password"}
    refused(client.post(path, json=again, headers=by_key), 403, "login_needed")


def cookie_login(client: TestClient, name: str) -> dict[str, str]:
    """Sign the "browser" in as the page does (the client keeps the cookie); also the token."""
    client.cookies.clear()
    r = client.post(
        "/api/v1/auth/login", json={"username": name, "password": PASSWORD}, headers={"Origin": OWN}
    )
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def test_the_cookie_path_is_protected_from_cross_site_requests(client: TestClient) -> None:
    dan = ids(client, login(client, "ada"))["dan"]
    cookie_login(client, "rita")
    path = "/api/v1/auth/password"
    change = {"old_password": PASSWORD, "new_password": NEW_PASSWORD}
    foreign = client.post(path, json=change, headers={"Origin": "http://127.0.0.1:9999"})
    assert foreign.status_code == 403 and "跨站请求伪造" in foreign.json()["detail"]
    assert client.post(path, json=change).status_code == 403  # no Origin, no Referer
    form = client.post(
        path,
        content=b"old_password=x&new_password=y",
        headers={"Origin": OWN, "Content-Type": "application/x-www-form-urlencoded"},
    )
    assert form.status_code == 403
    # the page (own origin, JSON): changed, with the old password still the one refused above
    ok = client.post(path, json=change, headers={"Origin": OWN})
    assert ok.status_code == 204, ok.text
    assert client.get("/api/v1/auth/me").json()["username"] == "rita"  # the page stays in

    # an admin act from a foreign page with an admin's cookie is refused too
    ada = cookie_login(client, "ada")
    target = f"{USERS}/{dan}"
    for headers in (
        {"Origin": "http://127.0.0.1:9999"},
        {"Origin": OWN, "Content-Type": "text/plain"},
    ):
        r = client.patch(target, content=b'{"disabled": true}', headers=headers)
        assert r.status_code == 403, r.text
    listed = {u["username"]: u for u in client.get(USERS, headers=ada).json()}
    assert listed["dan"]["disabled"] is False
    r = client.patch(target, json={"disabled": True}, headers={"Origin": OWN})
    assert r.status_code == 200 and r.json()["disabled"] is True


def _docx() -> bytes:
    doc = docx.Document()
    doc.add_paragraph("一、加强组织领导")
    doc.add_paragraph("县委召开常委会议12次。")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def test_every_admin_act_upload_import_and_deletion_is_in_the_overall_log(
    client: TestClient, ada: dict[str, str]
) -> None:
    dora = login(client, "dora")
    rid = client.post("/api/v1/reports", json={**SHEET, "reviewers": ["rita"]}, headers=dora)
    rid = rid.json()["id"]
    up = upload(client, dora, "统计.xlsx", xlsx_bytes(STATS), report_id=rid)
    assert up.status_code == 201, up.text
    assert client.delete(f"/api/v1/documents/{up.json()['id']}", headers=dora).status_code == 204
    imp = client.post(
        f"/api/v1/reports/{rid}/import.docx",
        files={"file": ("改稿.docx", _docx(), "application/octet-stream")},
        headers=dora,
    )
    assert imp.status_code == 200, imp.text
    assert client.delete(f"/api/v1/reports/{rid}", headers=dora).status_code == 204

    made = client.post(
        USERS,
        json={"username": "rui", "password": "rui-initial-pass", "role": "drafter"},
        headers=ada,
    ).json()
    target = f"{USERS}/{made['id']}"
    client.patch(target, json={"role": "reviewer"}, headers=ada)
    client.patch(target, json={"disabled": True}, headers=ada)
    client.patch(target, json={"disabled": False}, headers=ada)
    client.post(f"{target}/password", json={"password": NEW_PASSWORD}, headers=ada)
    client.post(
        "/api/v1/auth/password",
        json={"old_password": PASSWORD, "new_password": NEW_PASSWORD},
        headers=dora,
    )

    r = client.get(AUDIT, params={"limit": 500}, headers=ada)
    assert r.status_code == 200
    entries = r.json()
    assert int(r.headers["X-Total-Count"]) == len(entries)
    actions = [e["action"] for e in entries]
    for action in ("upload", "upload.delete", "import", "report.delete"):
        assert action in actions, action
    # the report is gone, its history is not: the admin finds it by the report's id
    about = client.get(AUDIT, params={"report_id": rid}, headers=ada).json()
    assert [e["action"] for e in reversed(about)] == [
        "create",
        "upload",
        "upload.delete",
        "import",
        "report.delete",
    ]
    assert all(e["username"] == "dora" for e in about)

    users = client.get(AUDIT, params={"action": "user."}, headers=ada).json()
    by_ada = [(e["action"], e["detail"]["username"]) for e in users if e["username"] == "ada"]
    assert list(reversed(by_ada)) == [
        ("user.add", "rui"),
        ("user.role", "rui"),
        ("user.disable", "rui"),
        ("user.enable", "rui"),
        ("user.password_reset", "rui"),
    ]
    role = next(e for e in users if e["action"] == "user.role")
    assert (role["detail"]["old"], role["detail"]["new"]) == ("drafter", "reviewer")
    assert role["object_type"] == "user" and role["object_id"] == made["id"]
    own = [e for e in users if e["action"] == "user.password_change"]
    assert [e["username"] for e in own] == ["dora"]
    assert not any("password" in k and k != "sessions_ended" for e in users for k in e["detail"])
    # the users made at set-up (outside the API) are in the log too, as the command line's acts
    assert {e["detail"]["username"] for e in users if e["detail"].get("by") == "cli"} >= {
        "ada",
        "dora",
        "dan",
        "rita",
    }


def test_the_overall_log_and_a_reports_log_page_and_filter_alike(
    client: TestClient, ada: dict[str, str]
) -> None:
    dora = login(client, "dora")
    rid = client.post("/api/v1/reports", json=SHEET, headers=dora).json()["id"]
    for n in range(4):
        facts = SHEET["facts"][: n + 1]
        r = client.put(f"/api/v1/reports/{rid}/facts", json={"facts": facts}, headers=dora)
        assert r.status_code == 200, r.text
    client.post(
        USERS, json={"username": "rui", "password": PASSWORD, "role": "drafter"}, headers=ada
    )

    def both(**params: Any) -> tuple[list[int], list[int], str, str]:
        mine = client.get(f"/api/v1/reports/{rid}/audit", params=params, headers=dora)
        overall = client.get(AUDIT, params={**params, "report_id": rid}, headers=ada)
        assert mine.status_code == overall.status_code == 200, (mine.text, overall.text)
        return (
            [e["id"] for e in mine.json()],
            [e["id"] for e in overall.json()],
            mine.headers["X-Total-Count"],
            overall.headers["X-Total-Count"],
        )

    every, same, total, total2 = both()
    assert every == same and total == total2 == "5"  # create + 4 fact saves
    pages = [both(limit=2, offset=o) for o in (0, 2, 4)]
    assert [i for p in pages for i in p[0]] == every
    assert all(p[0] == p[1] and p[2] == "5" for p in pages)
    facts_only, _, n, _ = both(action="facts")
    assert n == "4" and facts_only == every[:4]
    dora_id = ids(client, ada)["dora"]
    assert both(user_id=dora_id)[0] == every
    assert both(user_id=ids(client, ada)["ada"])[0] == []

    # a time range: nothing before, everything after, an aware bound taken in its own zone
    now = dt.datetime.now(dt.UTC)
    assert both(until=(now - dt.timedelta(hours=1)).isoformat())[0] == []
    assert both(since=(now - dt.timedelta(hours=1)).isoformat())[0] == every
    beijing = (now + dt.timedelta(minutes=5)).astimezone(dt.timezone(dt.timedelta(hours=8)))
    assert both(until=beijing.isoformat())[0] == every
    assert both(since=beijing.isoformat())[0] == []

    # the overall log without a report: the admin act is there, not in the report's
    overall = client.get(AUDIT, params={"limit": 500}, headers=ada).json()
    assert any(e["action"] == "user.add" and e["detail"]["username"] == "rui" for e in overall)
    assert client.get(AUDIT, params={"limit": 501}, headers=ada).status_code == 422
    assert client.get(AUDIT, params={"offset": -1}, headers=ada).status_code == 422


def test_old_passwords_are_guessed_no_faster_than_at_the_login(client: TestClient) -> None:
    dan = login(client, "dan")
    path = "/api/v1/auth/password"
    free = client.app.state.services.settings.login_free_attempts  # type: ignore[attr-defined]
    for n in range(free):
        guess = {"old_password": f"guess-number-{n}", "new_password": NEW_PASSWORD}
        refused(client.post(path, json=guess, headers=dan), 422, "wrong_password")
    right = {"old_password": PASSWORD, "new_password": NEW_PASSWORD}
    r = client.post(path, json=right, headers=dan)  # even the right one must wait now
    assert "秒后再试" in refused(r, 429, "too_many_attempts")
    assert int(r.headers["Retry-After"]) >= 1
    services = client.app.state.services  # type: ignore[attr-defined]
    assert services.accounts.authenticate("dan", PASSWORD) is not None  # unchanged
    assert not can_log_in(client, "dan")  # and the login waits too: one count for both
    # a refused new password is no guess: it does not count
    rita = login(client, "rita")
    for _ in range(free + 2):
        short = {"old_password": "whatever-it-is", "new_password": "short"}
        refused(client.post(path, json=short, headers=rita), 422, "account")
    assert client.post(path, json=right, headers=rita).status_code == 204


def test_an_admins_api_key_reads_the_lists_but_changes_no_account(
    client: TestClient, ada: dict[str, str]
) -> None:
    key = client.post("/api/v1/keys", json={"name": "审计脚本", "scope": "draft"}, headers=ada)
    by_key = {"Authorization": f"Bearer {key.json()['key']}"}
    assert client.get(USERS, headers=by_key).status_code == 200
    assert client.get(AUDIT, headers=by_key).status_code == 200
    dan = ids(client, ada)["dan"]
    body = {"username": "rui", "password": PASSWORD, "role": "admin"}
    refused(client.post(USERS, json=body, headers=by_key), 403, "login_needed")
    refused(
        client.patch(f"{USERS}/{dan}", json={"role": "admin"}, headers=by_key), 403, "login_needed"
    )
    reset = client.post(f"{USERS}/{dan}/password", json={"password": PASSWORD * 2}, headers=by_key)
    refused(reset, 403, "login_needed")
    assert {u["username"]: u["role"] for u in client.get(USERS, headers=ada).json()}[
        "dan"
    ] == "drafter"
