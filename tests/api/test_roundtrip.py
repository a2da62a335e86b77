"""The Word round trip over HTTP: export a drafted report, edit the .docx as a reviewer would in
Word (python-docx here), upload it to ``POST /reports/{id}/import.docx`` and find the changed
sections saved as checked ``import`` versions with diffs, the rest untouched.

One app and one indexed sample corpus (fake embeddings, offline engine) per module; every test
drafts its own report.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from assistant.config import Settings
from assistant.services import build_services
from tests.api.test_reports import Api, start
from tests.conftest import ROOT
from tests.legacy import convert, need

pytestmark = pytest.mark.timeout(120)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
INVENTED = "全县新建党群服务中心99个。"
ADDED = "加强宣传引导，营造良好氛围。"


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    settings = Settings(  # type: ignore[call-arg]
        data_dir=tmp_path_factory.mktemp("roundtrip") / "data",
        embeddings_provider="fake",
        llm_model=None,
        llm_base_url=None,
        llm_api_key=None,
        _env_file=None,
    )
    services = build_services(settings)
    assert services.indexer.index([ROOT / "corpus"]).ok
    yield from start(settings, services)


def drafted(api: Api) -> int:
    """A report with every section drafted by the offline engine, reviewed by rita."""
    rid = int(api.create(reviewers=["rita"])["id"])
    r = api.call("POST", f"/reports/{rid}/draft")
    assert r.status_code == 200 and "event: error" not in r.text, r.text
    return rid


def exported(api: Api, rid: int) -> docx.document.Document:
    r = api.call("GET", f"/reports/{rid}/export.docx?draft=1")
    assert r.status_code == 200, r.text
    return docx.Document(io.BytesIO(r.content))


def to_bytes(doc: docx.document.Document) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def upload(
    api: Api, rid: int, data: bytes, user: str = "dora", name: str = "报告（审改）.docx"
) -> Any:
    return api.call("POST", f"/reports/{rid}/import.docx", user, files={"file": (name, data, DOCX)})


def sections(api: Api, rid: int) -> dict[str, dict[str, Any]]:
    report = api.call("GET", f"/reports/{rid}").json()
    return {s["id"]: s for s in report["sections"]}


def version_counts(api: Api, rid: int) -> dict[str, int]:
    return {
        sid: len(api.call("GET", f"/reports/{rid}/sections/{sid}/versions").json())
        for sid in sections(api, rid)
    }


def imports_audited(api: Api, rid: int) -> list[dict[str, Any]]:
    entries = api.call("GET", f"/reports/{rid}/audit").json()
    return [e for e in entries if e["action"] == "import" and e["object_type"] == "report"]


def marked(doc: docx.document.Document, section_id: str) -> Paragraph:
    """The paragraph carrying the section's bookmark."""
    for p in doc.paragraphs:
        if any(b.get(qn("w:name")) == f"gw_{section_id}" for b in p._p.iter(qn("w:bookmarkStart"))):
            return p
    raise AssertionError(f"no bookmark gw_{section_id}")


def after(doc: docx.document.Document, p: Paragraph) -> Paragraph:
    paras = doc.paragraphs
    return paras[[x._p for x in paras].index(p._p) + 1]


def set_text(p: Paragraph, text: str) -> None:
    """Replace a paragraph's runs by one run (bookmarks and style stay, as in Word)."""
    for r in list(p._p.iter(qn("w:r"))):
        r.getparent().remove(r)
    p.add_run(text)


def drop_bookmark(p: Paragraph) -> None:
    for tag in ("w:bookmarkStart", "w:bookmarkEnd"):
        for b in list(p._p.iter(qn(tag))):
            p._p.remove(b)


def approve(api: Api, rid: int, sid: str) -> None:
    r = api.call("POST", f"/reports/{rid}/sections/{sid}/review", json={"action": "submit"})
    assert r.status_code == 200, r.text
    r = api.call(
        "POST",
        f"/reports/{rid}/sections/{sid}/review",
        "rita",
        json={"action": "approve", "override_reason": "讨论稿，先行通过"},
    )
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "approved"


def test_an_untouched_export_comes_back_unchanged(api: Api) -> None:
    rid = drafted(api)
    before = version_counts(api, rid)
    doc = exported(api, rid)
    # What Word does on its own (half-width commas, curly quotes, indenting spaces) is no edit.
    opening = marked(doc, "opening")
    set_text(opening, "\u3000\u3000" + opening.text.replace("，", ",").replace("“", '"'))
    r = upload(api, rid, to_bytes(doc))
    assert r.status_code == 200, r.text
    body = r.json()
    ids = list(sections(api, rid))
    assert [s["id"] for s in body["sections"]] == ids
    assert all(s["matched_by"] == "bookmark" and not s["changed"] for s in body["sections"])
    assert body["unchanged"] == ids and body["unmatched"] == [] and body["missing"] == []
    first = body["sections"][0]
    assert set(first) == {
        "id",
        "matched_by",
        "changed",
        "version_id",
        "version",
        "diff",
        "issues_summary",
    }
    assert first["version"] == 1 and first["diff"] == ""
    assert version_counts(api, rid) == before
    [entry] = imports_audited(api, rid)
    assert entry["detail"]["file"] == "报告（审改）.docx" and entry["detail"]["sections"] == []


def test_edits_in_word_become_checked_versions_with_diffs(api: Api) -> None:
    rid = drafted(api)
    approve(api, rid, "work_2")
    approve(api, rid, "work_3")
    old = sections(api, rid)
    doc = exported(api, rid)

    # A sentence changed in one section, with a figure nobody gave: an error to review.
    first = after(doc, marked(doc, "work_1"))
    set_text(first, first.text + INVENTED)
    # A heading renamed slightly and its bookmark lost: found by its heading.
    heading = marked(doc, "work_2")
    assert heading.text == "二、聚焦重点任务，扎实推进主题教育各项工作"
    set_text(heading, "二、聚焦重点任务，扎实推进主题教育工作")
    drop_bookmark(heading)
    # An unnumbered section's bookmark lost: found by its position.
    drop_bookmark(marked(doc, "overview"))
    # A paragraph added at the end of an approved section.
    heading_4 = marked(doc, "problems_plans")
    heading_4._p.addprevious(doc.add_paragraph(ADDED, style="GW Body")._p)

    r = upload(api, rid, to_bytes(doc))
    assert r.status_code == 200, r.text
    body = r.json()
    result = {s["id"]: s for s in body["sections"]}
    assert sorted(sid for sid, s in result.items() if s["changed"]) == ["work_1", "work_3"]
    assert sorted(body["unchanged"]) == sorted(set(result) - {"work_1", "work_3"})
    assert result["work_2"]["matched_by"] == "heading"
    assert result["overview"]["matched_by"] == "position"
    assert result["work_1"]["matched_by"] == result["work_3"]["matched_by"] == "bookmark"
    assert body["unmatched"] == [] and body["missing"] == []

    work_1 = result["work_1"]
    assert work_1["version"] == 2 and work_1["version_id"] != old["work_1"]["current_version"]["id"]
    assert re.search(rf"^\+.*{INVENTED}", work_1["diff"], re.M), work_1["diff"]
    assert work_1["diff"].startswith("--- v1\n+++ v2")
    assert work_1["issues_summary"]["errors"] >= 1 and work_1["issues_summary"]["blocking"]
    version = api.call(
        "GET", f"/reports/{rid}/sections/work_1/versions/{work_1['version_id']}"
    ).json()
    assert version["kind"] == "import" and version["engine"] == "import"
    assert version["provenance"]["file"] == "报告（审改）.docx"
    assert version["provenance"]["based_on"] == old["work_1"]["current_version"]["id"]
    assert version["text"].split("\n")[0] == first.text and first.text.endswith(INVENTED)
    assert any(
        i["rule"] == "GR001" and i["severity"] == "error" and "99" in i["text"]
        for i in version["issues"]
    ), version["issues"]
    assert f"+{ADDED}" in result["work_3"]["diff"].split("\n")

    now = sections(api, rid)
    # The changed approved section is reopened; the unchanged one keeps its approval.
    assert now["work_3"]["status"] == "draft" and now["work_3"]["approved_version_id"] is None
    assert now["work_2"]["status"] == "approved"
    assert now["work_2"]["approved_version_id"] == old["work_2"]["approved_version_id"]
    assert now["work_2"]["heading"] == old["work_2"]["heading"]  # headings are the template's
    history = api.call("GET", f"/reports/{rid}/sections/work_1/versions").json()
    assert [v["kind"] for v in history] == ["import", "draft"]
    assert INVENTED in history[0]["diff"]

    [entry] = imports_audited(api, rid)
    assert entry["username"] == "dora"
    assert [x["section"] for x in entry["detail"]["sections"]] == ["work_1", "work_3"]
    actions = [
        e["action"]
        for e in api.call("GET", f"/reports/{rid}/audit").json()
        if e["object_type"] == "section"
    ]
    assert actions.count("import") == 2


def test_a_document_typed_from_scratch_matches_by_heading_and_position(api: Api) -> None:
    rid = drafted(api)
    current = sections(api, rid)
    doc = docx.Document()  # no GW styles, no bookmarks: only the words
    for sid, s in current.items():
        if s["heading"]:
            doc.add_paragraph(s["heading"])
        text = s["current_version"]["text"]
        if sid == "problems_plans":
            text += "\n" + ADDED
        for line in text.split("\n"):
            doc.add_paragraph(line)
    doc.add_paragraph("中共青川县委")
    doc.add_paragraph("2024年8月20日")
    r = upload(api, rid, to_bytes(doc), name="手写.docx")
    assert r.status_code == 200, r.text
    body = r.json()
    by = {s["id"]: s["matched_by"] for s in body["sections"]}
    assert by == {
        "title": "position",
        "salutation": "position",
        "opening": "position",
        "overview": "position",
        "work_1": "heading",
        "work_2": "heading",
        "work_3": "heading",
        "problems_plans": "heading",
        "closing": "position",
    }
    changed = [s["id"] for s in body["sections"] if s["changed"]]
    assert changed == ["problems_plans"]
    assert sections(api, rid)["problems_plans"]["current_version"]["text"].endswith(ADDED)


def test_a_new_heading_is_reported_unmatched(api: Api) -> None:
    rid = drafted(api)
    doc = exported(api, rid)
    heading = marked(doc, "problems_plans")
    heading._p.addprevious(doc.add_paragraph("五、加强宣传引导", style="GW Heading 1")._p)
    heading._p.addprevious(doc.add_paragraph("营造良好舆论氛围。", style="GW Body")._p)
    body = upload(api, rid, to_bytes(doc)).json()
    assert body["unmatched"] == [{"heading": "五、加强宣传引导", "text": "营造良好舆论氛围。"}]
    assert not any(s["changed"] for s in body["sections"])


def test_files_that_are_not_docx_are_422_and_save_nothing(api: Api) -> None:
    rid = drafted(api)
    before = version_counts(api, rid)
    data = to_bytes(exported(api, rid))
    r = upload(api, rid, data[: len(data) // 2], name="损坏.docx")
    assert r.status_code == 422
    assert r.json()["detail"].startswith("损坏.docx: ")
    r = upload(api, rid, "这是一个文本文件。".encode(), name="notes.docx")
    assert r.status_code == 422
    assert r.json()["detail"] == "notes.docx: corrupt .docx (not a valid zip package)"
    r = api.call("POST", f"/reports/{rid}/import.docx", data={"x": "1"})
    assert r.status_code == 422 and "file" in r.json()["detail"]
    # A section longer than an edit may be: refused whole, nothing else saved either.
    doc = exported(api, rid)
    set_text(after(doc, marked(doc, "work_1")), "长" * 20_001)
    first = after(doc, marked(doc, "work_2"))
    set_text(first, first.text + INVENTED)
    r = upload(api, rid, to_bytes(doc))
    assert r.status_code == 422 and "work_1" in r.json()["detail"]
    assert version_counts(api, rid) == before
    assert imports_audited(api, rid) == []


def test_who_may_import(api: Api) -> None:
    rid = drafted(api)
    data = to_bytes(exported(api, rid))
    r = upload(api, rid, data, user="dan")
    assert r.status_code == 404 and r.json()["detail"] == f"no report {rid}"
    r = upload(api, rid, data, user="rita")
    assert r.status_code == 403
    assert upload(api, rid, data, user="ada").status_code == 200
    assert upload(api, 999_999, data).status_code == 404
    assert upload(api, 2**40, data).status_code == 422
    r = api.client.post(f"/api/v1/reports/{rid}/import.docx", files={"file": ("a.docx", data)})
    assert r.status_code == 401


def test_imports_get_the_upload_limit_not_the_1_mb_body_limit(api: Api) -> None:
    rid = drafted(api)
    # Over 1 MB but under the file limit: read, and refused for what it is, not for its size.
    r = upload(api, rid, b"PK" + b"\0" * (1024 * 1024 + 10))
    assert r.status_code == 422
    limit = api.services.settings.max_file_bytes
    r = upload(api, rid, b"PK" + b"\0" * (limit + 128 * 1024))
    assert r.status_code == 413


def test_a_partly_drafted_report_round_trips_without_new_versions(api: Api) -> None:
    rid = int(api.create()["id"])
    r = api.call("POST", f"/reports/{rid}/sections/work_1/draft")
    assert r.status_code == 200 and "event: done" in r.text
    # The export fills the title and 主送机关 from the report meta: coming back, they are no edit.
    body = upload(api, rid, to_bytes(exported(api, rid))).json()
    result = {s["id"]: s for s in body["sections"]}
    assert set(result) == {"title", "salutation", "work_1"}
    assert not any(s["changed"] for s in body["sections"])
    assert result["title"]["version_id"] is None and result["work_1"]["version"] == 1
    assert sorted(body["missing"]) == sorted(
        {"opening", "overview", "work_2", "work_3", "problems_plans", "closing"}
    )
    assert {s["id"]: s["status"] for s in sections(api, rid).values()}["title"] == "empty"


@pytest.mark.slow
def test_a_file_saved_again_by_libreoffice_keeps_its_bookmarks_and_styles(
    api: Api, tmp_path: Path
) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must have LibreOffice (.ci/run installs it)")
        pytest.skip("LibreOffice (soffice) not installed")
    rid = drafted(api)
    doc = exported(api, rid)
    first = after(doc, marked(doc, "work_2"))
    set_text(first, first.text + INVENTED)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "report.docx").write_bytes(to_bytes(doc))
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
            "--headless",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(tmp_path),
            str(tmp_path / "in" / "report.docx"),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    body = upload(api, rid, (tmp_path / "report.docx").read_bytes()).json()
    assert {s["id"]: s["matched_by"] for s in body["sections"]} == {
        sid: "bookmark" for sid in sections(api, rid)
    }
    assert [s["id"] for s in body["sections"] if s["changed"]] == ["work_2"]


@pytest.mark.parametrize("name", ["报告（审改）.doc", "报告（审改）.wps"])
def test_a_file_saved_as_word_97_or_wps_is_converted_and_matched(api: Api, name: str) -> None:
    """Reviewers in WPS or an old Word save .doc/.wps: the loader registry converts it first."""
    need()
    rid = drafted(api)
    doc = exported(api, rid)
    first = after(doc, marked(doc, "work_2"))
    set_text(first, first.text + INVENTED)
    legacy = convert(to_bytes(doc), ".docx", "doc:MS Word 97")
    assert legacy.startswith(b"\xd0\xcf\x11\xe0")
    r = upload(api, rid, legacy, name=name)
    assert r.status_code == 200, r.text
    body = r.json()
    assert [s["id"] for s in body["sections"] if s["changed"]] == ["work_2"]
    assert INVENTED in sections(api, rid)["work_2"]["current_version"]["text"]


def test_a_damaged_legacy_file_is_refused_naming_it(api: Api) -> None:
    rid = drafted(api)
    r = upload(api, rid, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, name="坏.doc")
    assert r.status_code == 422 and r.json()["detail"].startswith("坏.doc: corrupt .doc file")


def test_an_import_naming_its_base_versions_is_refused_when_a_section_changed_since(
    api: Api,
) -> None:
    """The lost update of the round trip: exported at v1, edited in the page, then uploaded."""
    rid = drafted(api)
    doc = exported(api, rid)
    bases = {sid: s["current_version"]["version"] for sid, s in sections(api, rid).items()}
    first = after(doc, marked(doc, "work_1"))
    set_text(first, first.text + ADDED)
    data = to_bytes(doc)
    r = api.call("PUT", f"/reports/{rid}/sections/work_1", json={"text": "页面上的修改。"})
    assert r.status_code == 200 and r.json()["version"] == 2
    before = version_counts(api, rid)

    form = {"base_versions": json.dumps(bases)}
    r = api.call(
        "POST", f"/reports/{rid}/import.docx", files={"file": ("审改.docx", data, DOCX)}, data=form
    )
    assert r.status_code == 409, r.text
    detail = r.json()["detail"]
    assert detail["code"] == "stale_base" and detail["section"] == "work_1"
    assert detail["base_version"] == 1 and detail["current_version"] == 2
    assert version_counts(api, rid) == before  # nothing saved, not even the other sections

    bases["work_1"] = 2  # the reviewer looked at version 2 and still means theirs
    form = {"base_versions": json.dumps(bases)}
    r = api.call(
        "POST", f"/reports/{rid}/import.docx", files={"file": ("审改.docx", data, DOCX)}, data=form
    )
    assert r.status_code == 200, r.text
    assert [s["version"] for s in r.json()["sections"] if s["changed"]] == [3]
    for bad in ("[1]", '{"work_1": "2"}', "{"):
        r = api.call(
            "POST",
            f"/reports/{rid}/import.docx",
            files={"file": ("审改.docx", data, DOCX)},
            data={"base_versions": bad},
        )
        assert r.status_code == 422 and "base_versions" in r.json()["detail"]


def test_the_export_marks_each_section_s_version_and_the_import_honours_it(api: Api) -> None:
    """No form field needed: the file says which versions it was exported at."""
    rid = drafted(api)
    doc = exported(api, rid)
    marks = {b.get(qn("w:name")) for b in doc.element.body.iter(qn("w:bookmarkStart"))}
    assert {"gw_work_1", "gwv1_work_1", "gwv1_work_2", "gwv1_closing"} <= marks
    page_edit = "页面上改过的文字。"
    r = api.call("PUT", f"/reports/{rid}/sections/work_1", json={"text": page_edit})
    assert r.status_code == 200 and r.json()["version"] == 2

    # The reviewer left work_1 alone in Word and changed work_2: theirs saved, the page's kept.
    second = after(doc, marked(doc, "work_2"))
    set_text(second, second.text + ADDED)
    r = upload(api, rid, to_bytes(doc))
    assert r.status_code == 200, r.text
    result = {s["id"]: s for s in r.json()["sections"]}
    assert result["work_2"]["changed"] and result["work_2"]["version"] == 2
    assert result["work_1"]["changed"] is False and result["work_1"]["version"] == 2
    assert sections(api, rid)["work_1"]["current_version"]["text"] == page_edit

    # Both changed work_1 since version 1: refused, nothing saved.
    first = after(doc, marked(doc, "work_1"))
    set_text(first, first.text + ADDED)
    before = version_counts(api, rid)
    r = upload(api, rid, to_bytes(doc))
    assert r.status_code == 409, r.text
    detail = r.json()["detail"]
    assert (detail["section"], detail["base_version"], detail["current_version"]) == (
        "work_1",
        1,
        2,
    )
    assert detail["message"] == "该部分已被他人修改（当前第2版），请刷新后再改"
    assert version_counts(api, rid) == before


def test_a_preview_saves_nothing_and_keep_saves_only_the_sections_chosen(api: Api) -> None:
    rid = drafted(api)
    before = version_counts(api, rid)
    doc = exported(api, rid)
    first = after(doc, marked(doc, "work_1"))
    set_text(first, first.text + ADDED)
    overview = marked(doc, "overview")
    set_text(overview, overview.text + "全县上下形成了比学赶超的良好氛围。")
    data = to_bytes(doc)

    def post(**fields: str) -> Any:
        return api.call(
            "POST",
            f"/reports/{rid}/import.docx",
            files={"file": ("审改.docx", data, DOCX)},
            data=fields,
        )

    r = post(preview="1")
    assert r.status_code == 200, r.text
    shown = {s["id"]: s for s in r.json()["sections"]}
    assert r.json()["preview"] is True
    assert sorted(sid for sid, s in shown.items() if s["changed"]) == ["overview", "work_1"]
    assert shown["work_1"]["text"].endswith(ADDED) and ADDED not in shown["work_1"]["old_text"]
    assert f"+{ADDED}" in shown["work_1"]["diff"].split("\n")
    assert {"op": "insert", "text": ADDED} in shown["work_1"]["changes"]
    assert version_counts(api, rid) == before and imports_audited(api, rid) == []

    r = post(keep='["work_1"]')
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["skipped"] == ["overview"]
    assert [s["id"] for s in body["sections"] if s["changed"]] == ["work_1"]
    now = version_counts(api, rid)
    assert now["work_1"] == before["work_1"] + 1 and now["overview"] == before["overview"]
    [entry] = imports_audited(api, rid)
    assert entry["detail"]["skipped"] == ["overview"]

    assert post(keep="work_1").status_code == 422  # not a JSON list


def test_the_import_converts_with_the_services_own_libreoffice_and_time_limit(
    api: Api, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """ASSISTANT_SOFFICE and ASSISTANT_CONVERT_TIMEOUT hold for the round trip as for uploads:
    a converter that hangs is stopped at the service's limit and the import is refused (422,
    naming the file and the limit), nothing saved."""
    need()
    rid = drafted(api)
    legacy = convert(to_bytes(exported(api, rid)), ".docx", "doc:MS Word 97")
    tmp = tmp_path_factory.mktemp("hang")
    hang = tmp / "soffice"
    hang.write_text("#!/bin/sh\nsleep 60\n", encoding="utf-8")
    hang.chmod(0o755)
    settings = Settings(  # type: ignore[call-arg]
        data_dir=tmp / "data",
        embeddings_provider="fake",
        llm_model=None,
        llm_base_url=None,
        llm_api_key=None,
        soffice=str(hang),
        convert_timeout=2,
        _env_file=None,
    )
    services = build_services(settings)
    for other in start(settings, services):
        rid2 = int(other.create()["id"])
        before = version_counts(other, rid2)
        r = upload(other, rid2, legacy, name="审改.doc")
        assert r.status_code == 422, r.text
        detail = json.dumps(r.json(), ensure_ascii=False)
        assert "审改.doc" in detail and ("2" in detail or "time" in detail), detail
        assert version_counts(other, rid2) == before
