"""A fast slice of the retrieval evaluation (`make eval` runs all of it).

Indexes a handful of ../shared documents with the real embedding model and scores the labelled
queries that point at them: hybrid must do at least as well as either ranking alone.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.evals import retrieval as ev
from assistant.services import build_services
from tests.conftest import ROOT, SEED, SHARED_CORPUS

pytestmark = pytest.mark.slow

SLICE = {
    "2025_国务院_政府工作报告.md",
    "2025_湖北省人民政府_政府工作报告.md",
    "2024_青岛市人民政府办公厅_青岛市海洋人工智能大模型产业集聚区建设实施方案.md",
    "2025_国家发展改革委_国家数据局_关于建立公共数据资源授权运营价格形成机制的通知.md",
    "2004_国务院_关于印发《国务院工作规则》的通知.md",
    "2018_国务院_关于河北雄安新区总体规划（2018—2035年）的批复.md",
    "2004_国务院办公厅_关于山西、安徽省四起特大煤矿瓦斯爆炸事故调查处理情况的通报.md",
    "2019_国家发展改革委办公厅_税务总局办公厅_关于加强个人所得税纳税信用建设的通知.md",
    "2018_国务院_关于2018年度国家科学技术奖励的决定.md",
    "2019_国务院办公厅_关于开展城镇小区配套幼儿园治理工作的通知.md",
    "2024_全国人民代表大会_关于政府工作报告的决议.md",
    SEED.name,
}


def test_hybrid_beats_each_ranking_on_a_slice(tmp_path: Path, shared_data: Path) -> None:
    _, queries = ev.load_queries(ROOT / "tests" / "evals" / "retrieval.yaml")
    picked = [q for q in queries if q.doc in SLICE]
    assert len(picked) >= 15
    files = [SHARED_CORPUS / name for name in SLICE if name != SEED.name] + [SEED]
    services = build_services(Settings(data_dir=tmp_path / "data", _env_file=None))  # type: ignore[call-arg]
    report = services.indexer.index(files, kb="slice")
    assert report.ok and report.indexed == len(SLICE)
    scores = {
        s.name: s for s in ev.run(services, picked, kb="slice", baseline_kb=None, sources=files)
    }
    services.close()
    hybrid = scores["ours: hybrid"]
    for name, s in scores.items():
        print(f"{name}: recall@5={s.recall(5):.3f} mrr@10={s.mrr():.3f}")
    assert hybrid.recall(5) >= scores["ours: dense"].recall(5)
    assert hybrid.recall(5) >= scores["ours: bm25"].recall(5)
    assert hybrid.recall(5) >= 0.9
