"""Schemathesis over the OpenAPI schema: generated requests to every operation, as a signed-in
admin and as nobody, never get a 500."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck

from assistant.config import Settings
from tests.api.conftest import PASSWORD, USERS
from tests.benchmarks.bench_api import Server
from tests.conftest import ROOT

pytestmark = pytest.mark.slow
EXAMPLES = 12  # per operation and identity: bounded, and enough to hit every parameter's edges


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    settings = Settings(  # type: ignore[call-arg]
        data_dir=tmp_path_factory.mktemp("fuzz") / "data",
        embeddings_provider="fake",
        _env_file=None,
    )
    with Server(settings) as srv:
        srv.services.indexer.index([ROOT / "corpus"], kb="corpus")
        for name, role in USERS.items():
            srv.services.accounts.add(name, PASSWORD, role)
        yield srv


def _token(server: Server) -> str:
    import httpx

    r = httpx.post(
        f"{server.url}/api/v1/auth/login", json={"username": "ada", "password": PASSWORD}
    )
    return str(r.json()["access_token"])


def test_no_operation_answers_500(server: Server, tmp_path: Path) -> None:
    # A report to aim at, so ids in paths sometimes exist.
    import httpx

    token = _token(server)
    auth = {"Authorization": f"Bearer {token}"}
    sheet = {
        "report": {"template": "工作情况汇报"},
        "facts": [{"key": "会议", "value": 3, "unit": "次"}],
    }
    assert httpx.post(f"{server.url}/api/v1/reports", json=sheet, headers=auth).status_code == 201
    schema = schemathesis.openapi.from_url(f"{server.url}/openapi.json")
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15

    def fuzz(op: schemathesis.APIOperation, headers: dict[str, str]) -> None:
        @hypothesis.settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @hypothesis.given(case=op.as_strategy())
        def check(case: schemathesis.Case) -> None:
            r = case.call(base_url=server.url, headers=headers, timeout=60)
            if r.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path} → {r.status_code}")

        check()

    for op in operations:
        if op.path.endswith("/logout"):
            continue  # would end the session the rest of the run uses
        for headers in (auth, {}):
            fuzz(op, headers)
    assert failures == []
