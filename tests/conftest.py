"""Shared fixtures: every test gets its own data dir under tmp_path and no real environment."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.services import Services, build_services

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SHARED_CORPUS = SHARED / "corpus"
SEED = SHARED / "seed" / "000_8d0479fa74eb3113.txt"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    import os

    for name in list(os.environ):
        if name.startswith("ASSISTANT_"):
            monkeypatch.delenv(name)
    # A stray .env in the working directory must not leak into tests.
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def shared_data() -> Path:
    """../shared (corpus, seed, eval sets) lies beside the checkout in CI and on dev machines."""
    if not SHARED_CORPUS.is_dir():
        pytest.skip(f"{SHARED} not found: these tests read the shared corpus in place")
    return SHARED


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", embeddings_provider="fake", _env_file=None)  # type: ignore[call-arg]


@pytest.fixture
def services(settings: Settings) -> Iterator[Services]:
    svc = build_services(settings)
    yield svc
    svc.close()


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path
