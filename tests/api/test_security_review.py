"""Issue 18, item 8: a reviewer cannot approve their own text with someone else's small change.

An admin wrote v2 of a section; the owner changes one character (v3); the admin's approval of v3
is refused with 403 like an approval of v2 itself, naming the admin's version. A real rewrite by
someone else can be approved by the admin. The comparison stays cheap on long sections.
"""

from __future__ import annotations

import time

from tests.api import test_review
from tests.api.test_review import Setup
from tests.conftest import ROOT

# The review tests' report: dora owns it, rita reviews it, ada is an admin.
setup = test_review.setup

ADMIN_TEXT = (
    "现将我局2024年主要工作情况汇报如下。全年共召开防汛工作会议12次，"
    "完成河道整治8条，新建排涝泵站3座，城区内涝点全部完成整改。"
)
REWRITE = (
    "2024年，我局围绕防汛保安全这一中心任务，统筹推进河湖治理和排涝设施建设，"
    "各项工作取得明显成效，具体情况报告如下。"
)


def approve(st: Setup, who: str, sid: str = "opening") -> tuple[int, str]:
    assert st.review("dora", sid, "submit").status_code == 200
    r = st.review(who, sid, "approve")
    detail = r.json().get("detail", "")
    return r.status_code, detail if isinstance(detail, str) else str(detail)


def test_ones_own_text_with_one_character_changed_by_someone_else_is_refused(
    setup: Setup,
) -> None:
    setup.save_version("opening", ADMIN_TEXT, author="ada")  # v2
    setup.save_version("opening", ADMIN_TEXT.replace("12次", "13次"), author="dora")  # v3
    status, detail = approve(setup, "ada")
    assert status == 403, detail
    assert "第3版" in detail and "您本人撰写的第2版" in detail and "不能由您审核通过" in detail
    assert "仅改动 1 个字" in detail
    # nothing was decided; another reviewer may approve
    r = setup.client.get(setup.url("/sections/opening/reviews"), headers=setup.h["ada"])
    assert [d["action"] for d in r.json()] == ["submit"]
    assert setup.review("rita", "opening", "approve").status_code == 200


def test_an_older_version_of_ones_own_counts_too(setup: Setup) -> None:
    setup.save_version("opening", ADMIN_TEXT, author="ada")  # v2
    setup.save_version("opening", REWRITE, author="dora")  # v3
    setup.save_version("opening", ADMIN_TEXT + "特此报告。", author="dora")  # v4: v2 again
    status, detail = approve(setup, "ada")
    assert status == 403 and "第2版" in detail


def test_line_breaks_and_spaces_do_not_make_the_text_someone_elses(setup: Setup) -> None:
    setup.save_version("opening", ADMIN_TEXT, author="ada")
    rewrapped = ADMIN_TEXT.replace("。", "。\n\n").replace("，", "， ")
    setup.save_version("opening", rewrapped, author="dora")
    assert approve(setup, "ada")[0] == 403


def test_a_short_text_with_two_characters_changed_is_still_ones_own(setup: Setup) -> None:
    # 2 of 11 characters: a ratio of 0.82, but a small edit of the reviewer's words
    setup.save_version("opening", "现将有关情况汇报如下：", author="ada")
    setup.save_version("opening", "现将有关工作汇报如下：", author="dora")
    status, detail = approve(setup, "ada")
    assert status == 403 and "仅改动 2 个字" in detail


def test_a_substantial_rewrite_by_someone_else_may_be_approved(setup: Setup) -> None:
    setup.save_version("opening", ADMIN_TEXT, author="ada")
    setup.save_version("opening", REWRITE, author="dora")
    assert approve(setup, "ada")[0] == 200


def test_a_reviewer_may_approve_an_edit_of_text_they_never_wrote(setup: Setup) -> None:
    # dora wrote v1; rita wrote nothing: one character changed by dora is rita's to approve
    setup.save_version("opening", "现将我局2024年工作情况汇报如下：", author="dora")
    assert approve(setup, "rita")[0] == 200


def test_ones_own_version_is_refused_as_before(setup: Setup) -> None:
    setup.save_version("opening", ADMIN_TEXT, author="ada")
    status, detail = approve(setup, "ada")
    assert status == 403 and "需由其他审核人批准" in detail


def test_long_sections_are_compared_within_bounds(setup: Setup) -> None:
    docs = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").glob("2*.md"))]
    mine, *others = (doc * 8 for doc in docs)  # ~20,000 characters each
    setup.save_version("opening", mine, author="ada")  # v2
    for other in others:  # ada's later versions, other texts: compared first, not near
        setup.save_version("opening", other, author="ada")
    chars = list(mine)
    for i in range(5, len(chars), 40):  # edits scattered all through: no short middle
        chars[i] = "改"
    setup.save_version("opening", "".join(chars), author="dora")
    started = time.perf_counter()
    status, detail = approve(setup, "ada")
    elapsed = time.perf_counter() - started
    assert status == 403 and "第2版" in detail and "相似度 9" in detail, detail
    # milliseconds of comparing; difflib's alignment of this pair alone takes seconds
    assert elapsed < 5, elapsed
