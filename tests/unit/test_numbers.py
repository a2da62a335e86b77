from decimal import Decimal

import pytest

from assistant.facts.numbers import parse_number
from assistant.facts.quantities import find_quantities


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("12", 12),
        ("十二", 12),
        ("一百二十三", 123),
        ("两千", 2000),
        ("三万五千", 35000),
        ("二〇二三", 2023),
        ("十二点五", Decimal("12.5")),
        ("1.5万", 15000),
        ("3.2亿", 320_000_000),
        ("１２", 12),
        ("百分之十二", 12),
        ("12%", 12),
        ("1,234.5", Decimal("1234.5")),
        ("一万零五", 10005),
        ("两亿三千万", 230_000_000),
        ("十", 10),
    ],
)
def test_parse_number(text: str, value: object) -> None:
    assert parse_number(text) == Decimal(str(value))


@pytest.mark.parametrize("text", ["", "统一", "abc", "12a"])
def test_not_numbers(text: str) -> None:
    with pytest.raises(ValueError):
        parse_number(text)


def test_find_quantities_with_units_ranges_and_dates() -> None:
    text = (
        "2023年9月以来，召开十二次常委会议、8 次中心组学习，覆盖3560名党员，占98.5%，"
        "资金1.5亿元，增长百分之十二，道路15～30公里，12月15日完成。"
    )
    found = [(q.text, q.kind, q.value, q.unit) for q in find_quantities(text)]
    assert found == [
        ("2023年9月", "date", Decimal(2023), ""),
        ("十二次", "number", Decimal(12), "次"),
        ("8 次", "number", Decimal(8), "次"),
        ("3560名", "number", Decimal(3560), "名"),
        ("98.5%", "percent", Decimal("98.5"), "%"),
        ("1.5亿元", "number", Decimal("150000000.0"), "元"),
        ("百分之十二", "percent", Decimal(12), "%"),
        ("15～30公里", "range", Decimal(15), "公里"),
        ("12月15日", "date", Decimal(0), ""),
    ]
    for q in find_quantities(text):
        assert text[q.start : q.end] == q.text


def test_not_quantities() -> None:
    text = "一、坚持“四个意识”，第一时间部署，推出一系列举措，一是加强领导，党的二十大，十四五规划，统一思想。"
    assert find_quantities(text) == []


def test_two_neighbouring_digits_are_a_rough_count_not_a_number() -> None:
    (q,) = find_quantities("问题写三四条就行")
    assert (q.kind, q.value, q.high, q.unit, q.approx) == ("range", 3, 4, "条", True)
    (q,) = find_quantities("两三个")
    assert (q.value, q.high) == (2, 3)
    (q,) = find_quantities("三十四个")
    assert (q.kind, q.value) == ("number", 34)


def test_integrity_set_phrases_are_no_figures() -> None:
    text = "严格执行中央八项规定精神和防止干预司法“三个规定”，带头执行“九项准则”，整改问题十一项。"
    assert [q.text for q in find_quantities(text)] == ["十一项"]
