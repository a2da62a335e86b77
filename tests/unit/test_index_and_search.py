"""Indexing and hybrid search against real Chroma and BM25 in a temp dir (fake embeddings)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.retrieval.search import Filters
from assistant.services import Services
from tests.conftest import write

WATER = """---
title: "临江市水务局2024年工作总结"
issuer: "临江市水务局"
year: 2024
genre: "工作总结"
---
一、主要工作和成效
（一）供水保障能力持续提升。全年新建改建供水管网86.5公里，城市公共供水普及率达到99.2%。
（二）防汛抗旱体系更加完善。汛期累计发布预警信息42期，转移群众1.3万人次。
二、存在的问题
部分老旧小区二次供水设施老化，漏损率仍高于全省平均水平。
"""

PLAN = """---
title: "青川县数字乡村建设实施方案"
year: 2025
genre: "实施方案"
---
一、工作目标
到2027年，全县行政村5G网络覆盖率达到100%，农产品网络零售额年均增长15%以上。
二、重点任务
（一）加快信息基础设施建设。推进千兆光网向自然村延伸。
（二）发展农村电子商务。培育电商示范村20个。
"""

REPORT = """中共青川县委关于2024年主题教育工作情况的汇报
一、提高政治站位。第一时间学习贯彻。县委先后召开常委会议12次、理论学习中心组会议8次。第一时间成立机构。成立工作领导小组，派出巡回指导组6个。
二、存在的问题。调查研究还不够深入。
汇报完毕，谢谢。
"""


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    root = tmp_path / "docs"
    write(root / "water.md", WATER)
    write(root / "plan.md", PLAN)
    write(root / "report.txt", REPORT, "gb18030")
    return root


def test_index_then_search_finds_the_passage_with_the_figure(
    services: Services, docs: Path
) -> None:
    report = services.indexer.index([docs])
    assert report.ok and report.indexed == 3 and report.chunks >= 6
    hits = services.searcher.search("城市公共供水普及率是多少", k=3)
    assert hits[0].source.endswith("water.md")
    assert "99.2%" in hits[0].text
    assert hits[0].heading.startswith("一、主要工作和成效")
    assert set(hits[0].public()) == {"doc_id", "title", "source", "heading", "text", "score"}


def test_each_mode_and_the_per_document_cap(services: Services, docs: Path) -> None:
    services.indexer.index([docs])
    for mode in ("dense", "bm25", "hybrid"):
        hits = services.searcher.search("巡回指导组", k=5, mode=mode)  # type: ignore[arg-type]
        assert hits and hits[0].source.endswith("report.txt"), mode
    capped = services.searcher.search("工作", k=10, per_doc=1)
    assert len({h.doc_id for h in capped}) == len(capped)
    uncapped = services.searcher.search("工作", k=10, per_doc=None)
    assert len(uncapped) > len(capped)


def test_filters_by_genre_family_year_and_document(services: Services, docs: Path) -> None:
    services.indexer.index([docs])
    for mode in ("dense", "bm25", "hybrid"):
        hits = services.searcher.search(
            "工作",
            k=10,
            filters=Filters(genre="方案"),
            mode=mode,  # type: ignore[arg-type]
            per_doc=None,
        )
        assert hits and all(h.source.endswith("plan.md") for h in hits), mode
        hits = services.searcher.search(
            "工作",
            k=10,
            filters=Filters(year=2024),
            mode=mode,  # type: ignore[arg-type]
            per_doc=None,
        )
        assert hits and all(h.year == 2024 for h in hits), mode
    one = services.searcher.search("工作", k=1)[0]
    hits = services.searcher.search("工作", k=10, filters=Filters(doc_id=one.doc_id), per_doc=None)
    assert {h.doc_id for h in hits} == {one.doc_id}
    report = [
        h
        for h in services.searcher.search("汇报", k=10, per_doc=None)
        if h.source.endswith("report.txt")
    ]
    assert report and report[0].genre == "汇报" and report[0].year == 2024


def test_placeholder_chunks_are_marked(services: Services, tmp_path: Path) -> None:
    write(
        tmp_path / "t" / "tpl.txt", "XXX党委工作情况汇报\n一、基本情况。X委先后召开XX次常委会议。\n"
    )
    services.indexer.index([tmp_path / "t"])
    (hit,) = services.searcher.search("常委会议", k=1)
    assert hit.has_placeholder


def test_reindex_skips_unchanged_reindexes_changed_and_drops_removed(
    services: Services, docs: Path
) -> None:
    first = services.indexer.index([docs])
    again = services.indexer.index([docs])
    assert (again.indexed, again.unchanged, again.removed) == (0, 3, 0)
    count = services.store.count("corpus")
    assert count == first.chunks

    write(docs / "water.md", WATER.replace("86.5公里", "91.7公里"))
    (docs / "plan.md").unlink()
    third = services.indexer.index([docs])
    assert (third.indexed, third.unchanged, third.removed) == (1, 1, 1)
    assert not services.searcher.search("电商示范村", k=5, mode="bm25")
    hits = services.searcher.search("新建改建供水管网", k=1, mode="bm25")
    assert "91.7公里" in hits[0].text and "86.5" not in hits[0].text
    # the keyword index and the store agree after the change
    assert len(services.keywords.get("corpus")) == services.store.count("corpus")


def test_unchanged_text_is_never_embedded_twice(services: Services, docs: Path) -> None:
    calls: list[int] = []
    inner = services.embeddings.inner
    original = inner.embed_documents

    def counting(texts: list[str]) -> list[list[float]]:
        calls.append(len(texts))
        return original(texts)

    inner.embed_documents = counting  # type: ignore[method-assign]
    services.indexer.index([docs], kb="a")
    embedded = sum(calls)
    services.indexer.index([docs], kb="b")  # same text, another knowledge base
    assert embedded > 0 and sum(calls) == embedded


def test_a_bad_file_fails_alone_and_leaves_nothing(services: Services, docs: Path) -> None:
    (docs / "broken.docx").write_bytes(b"PK\x03\x04 broken")
    (docs / "empty.txt").write_bytes(b"")
    report = services.indexer.index([docs, docs / "missing.md"])
    assert report.indexed == 3
    reasons = dict(report.failures)
    assert len(reasons) == 3
    assert "corrupt .docx" in reasons[str((docs / "broken.docx").resolve())]
    assert "empty file" in reasons[str((docs / "empty.txt").resolve())]
    assert "no such file" in reasons[str(docs / "missing.md")]
    sources = {c.meta["source"] for c in services.store.iter_all("corpus", with_text=False)}
    assert not any(s.endswith(("broken.docx", "empty.txt")) for s in sources)


def test_a_failing_embedding_keeps_the_previous_version(services: Services, docs: Path) -> None:
    services.indexer.index([docs])
    before = {c.id: c.text for c in services.store.iter_all("corpus", with_text=True)}
    write(docs / "water.md", WATER.replace("86.5公里", "70.0公里"))

    def boom(texts: list[str]) -> list[list[float]]:
        raise ConnectionError("embedding server down")

    services.embeddings.inner.embed_documents = boom  # type: ignore[method-assign]
    report = services.indexer.index([docs])
    assert not report.ok and "previously indexed version is kept" in report.failures[0][1]
    after = {c.id: c.text for c in services.store.iter_all("corpus", with_text=True)}
    assert after == before


def test_knowledge_bases_are_separate(services: Services, docs: Path) -> None:
    services.indexer.index([docs / "water.md"], kb="水务")
    services.indexer.index([docs / "plan.md"], kb="corpus")
    assert "水务" in services.store.knowledge_bases()
    assert all(h.source.endswith("water.md") for h in services.searcher.search("工作", kb="水务"))
    assert services.searcher.search("工作", kb="nothing-here") == []


def test_keyword_index_is_rebuilt_when_another_worker_changed_the_store(
    services: Services, docs: Path, settings: object
) -> None:
    from assistant.services import build_services

    services.indexer.index([docs / "water.md"])
    assert services.searcher.search("电商示范村", k=3, mode="bm25") == []
    other = build_services(services.settings)  # a second worker on the same store
    other.indexer.index([docs / "plan.md"])
    other.close()
    hits = services.searcher.search("电商示范村", k=3, mode="bm25")
    assert hits and hits[0].source.endswith("plan.md")


def test_one_long_document_cannot_starve_the_top_k(services: Services, tmp_path: Path) -> None:
    long_doc = "\n".join(f"{i + 1}.第{i + 1}项防汛措施已经落实到位。" for i in range(120))
    write(tmp_path / "d" / "long.txt", "防汛措施清单\n" + long_doc)
    for i in range(4):
        write(tmp_path / "d" / f"short{i}.txt", f"第{i}号简报\n本单位防汛措施已落实。\n")
    services.indexer.index([tmp_path / "d"], kb="cap")
    for mode in ("bm25", "hybrid"):
        hits = services.searcher.search("防汛措施", k=5, kb="cap", mode=mode)  # type: ignore[arg-type]
        assert len(hits) == 5, mode
        assert sum(h.source.endswith("long.txt") for h in hits) == 2


def test_crlf_front_matter(services: Services, tmp_path: Path) -> None:
    write(
        tmp_path / "d" / "a.md",
        '---\r\ntitle: "防汛工作总结"\r\nyear: 2024\r\n---\r\n汛期发布预警信息42期。\r\n',
    )
    services.indexer.index([tmp_path / "d"])
    (hit,) = services.searcher.search("预警", k=1)
    assert hit.title == "防汛工作总结" and hit.year == 2024 and "title" not in hit.text


def test_a_changed_chunk_size_rechunks(settings: object, services: Services, docs: Path) -> None:
    from assistant.services import build_services

    services.indexer.index([docs])
    other = build_services(services.settings.model_copy(update={"chunk_size": 120}))
    report = other.indexer.index([docs])
    other.close()
    assert report.indexed == 3 and report.unchanged == 0


def test_an_interrupted_run_still_refreshes_the_keyword_index(
    services: Services, docs: Path
) -> None:
    services.indexer.index([docs / "water.md"])

    def interrupted(kb: str) -> object:
        raise KeyboardInterrupt

    rebuild = services.keywords.rebuild
    services.keywords.rebuild = interrupted  # type: ignore[method-assign,assignment]
    with pytest.raises(KeyboardInterrupt):
        services.indexer.index([docs])  # writes plan.md and report.txt, dies before BM25
    services.keywords.rebuild = rebuild  # type: ignore[method-assign]
    again = services.indexer.index([docs])
    assert again.unchanged == 3
    hits = services.searcher.search("电商示范村", k=1, mode="bm25")
    assert hits and hits[0].source.endswith("plan.md")


def test_an_unexpected_loader_error_fails_one_file(
    services: Services, docs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import assistant.retrieval.indexer as indexer

    real = indexer.load_file

    def flaky(path: Path, *, max_bytes: int, **limits: object) -> object:
        if path.name == "plan.md":
            raise AttributeError("'time' object has no attribute 'year'")
        return real(path, max_bytes=max_bytes, **limits)  # type: ignore[arg-type]

    monkeypatch.setattr(indexer, "load_file", flaky)
    report = services.indexer.index([docs])
    assert report.indexed == 2
    assert "cannot load (AttributeError" in report.failures[0][1]
