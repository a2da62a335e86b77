"""`make test` runs a small slice of the retrieval benchmark so `make bench` cannot rot."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.benchmarks.bench_retrieval import main

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def test_quick_benchmark_prints_every_figure(capsys: pytest.CaptureFixture[str]) -> None:
    results = main(["--quick", "--synthetic", "1000"])
    assert results["index"]["chunks"] > 50 and results["index"]["chars_per_s"] > 0
    # an unchanged corpus is hashed and skipped, never re-embedded
    assert results["reindex_unchanged_s"] < results["index"]["seconds"]
    assert results["query_synthetic"]["chunks"] == 1000
    for key in ("query_corpus", "query_synthetic"):
        assert 0 < results[key]["p50_ms"] <= results[key]["p95_ms"]
    assert results["peak_rss_mb"] > 0
    assert '"reindex_unchanged_s"' in capsys.readouterr().out


def test_quick_drafting_benchmark_prints_every_figure(tmp_path: Path) -> None:
    from tests.benchmarks.bench_drafting import main as drafting

    results = drafting(
        ["--fake", "--runs", "1", "--corpus", str(ROOT / "corpus"), "--data", str(tmp_path)]
    )
    assert results["sections"] == 5 and results["chunks"] > 50
    assert results["offline_reports"] >= 16
    for key in ("llm_overhead_ms", "first_token_ms", "offline_section_ms", "offline_report_ms"):
        assert 0 < results[key]["p50"] <= results[key]["p95"]
    assert set(results["llm_parts_ms"]) >= {"retrieve_ms", "prompt_ms", "parse_ms", "check_ms"}


def test_quick_service_benchmark_has_no_errors_and_no_mixed_versions() -> None:
    from tests.benchmarks.bench_api import main as service

    results = service(["--fake", "--users", "3", "--rounds", "2"])
    assert results["errors"] == [] and results["versions_lost_or_mixed"] == 0
    for key in ("search_ms", "first_token_ms", "edit_ms", "review_ms"):
        assert results[key]["n"] == 6 and 0 < results[key]["p50"] <= results[key]["p95"]


def test_quick_export_benchmark_prints_every_figure() -> None:
    from tests.benchmarks.bench_export import main as export

    results = export(["--runs", "3"])
    assert results["characters"] >= 10_000
    for key in ("export_ms", "verify_ms"):
        assert 0 < results[key]["p50"] <= results[key]["p95"]
    assert results["violations"] == 0


def test_quick_chat_benchmark_prints_every_figure(tmp_path: Path) -> None:
    from tests.benchmarks.bench_chat import main as chat

    results = chat(["--runs", "1", "--data", str(tmp_path)])
    assert results["plan_ms"]["n"] >= 50 and results["to_first_token_ms"]["n"] == 5
    for key in ("plan_ms", "to_first_token_ms", "to_step_ms"):
        assert 0 < results[key]["p50"] <= results[key]["p95"]


def test_quick_cli_benchmark_times_every_command() -> None:
    from tests.benchmarks.bench_cli import TARGETS_S
    from tests.benchmarks.bench_cli import main as cli

    results = cli(["--fake", "--runs", "1"])
    for key in TARGETS_S:
        assert results[key]["runs"] == 1 and 0 < results[key]["min_s"] <= results[key]["p95_s"]
    assert results["index"]["seconds"] > 0
