"""The cue vocabularies kept as data (assistant/vocab.py): they load, every pattern the code reads
is in a file, every entry of a file is read somewhere, and a broken entry is named."""

from __future__ import annotations

import ast
import importlib
import sys
from pathlib import Path

import pytest

from assistant.errors import ConfigError
from assistant.vocab import patterns

ROOT = Path(__file__).resolve().parents[2] / "assistant"
FILES = sorted(p for p in ROOT.rglob("*.toml"))


def _module(path: Path) -> str:
    return ".".join(path.relative_to(ROOT.parent).with_suffix("").parts)


def _read_names() -> set[str]:
    """Attribute names read off a vocabulary: WORDS.X, SECTION_WORDS.X, lex.WORDS.X, cues.X."""
    names: set[str] = set()
    for path in ROOT.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Attribute):
                continue
            base = node.value
            named = isinstance(base, ast.Name) and (base.id.endswith("WORDS") or base.id == "cues")
            if named or (isinstance(base, ast.Attribute) and base.attr == "WORDS"):
                names.add(node.attr)
    return names


def test_every_vocabulary_loads() -> None:
    assert len(FILES) >= 8
    for path in FILES:
        words = patterns(_module(path))
        assert words.names(), path
        for name in words.names():
            assert words.get(name).pattern, (path, name)


def test_every_pattern_read_is_defined_and_every_entry_is_read() -> None:
    defined = {name for path in FILES for name in patterns(_module(path)).names()}
    read = _read_names()
    plain = {
        "search",
        "match",
        "fullmatch",
        "sub",
        "finditer",
        "findall",
        "split",
        "pattern",
        "get",
    }
    own = set(vars(importlib.import_module("assistant.chat.cues")))  # cues.HELP is code
    missing = {n for n in read - defined - plain - own if n.isupper()}
    assert not missing, f"read but in no vocabulary: {sorted(missing)}"
    unread = defined - read
    assert not unread, f"entries nothing reads: {sorted(unread)}"


def test_a_missing_pattern_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match=r"chat/cues\.toml has no pattern NO_SUCH"):
        patterns("assistant.chat.cues").get("NO_SUCH")


def test_a_broken_entry_names_its_file_and_entry(tmp_path: Path) -> None:
    pkg = tmp_path / "vocabpkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "words.toml").write_text("GOOD = '好'\nBAD = ['(未闭合', '|x']\n", encoding="utf-8")
    sys.path.insert(0, str(tmp_path))
    try:
        with pytest.raises(ConfigError, match=r"vocabpkg/words\.toml：BAD 不是有效的正则表达式"):
            patterns("vocabpkg.words")
        (pkg / "words.toml").write_text("GOOD = 3\n", encoding="utf-8")
        with pytest.raises(ConfigError, match="GOOD 应为正则表达式字符串或字符串列表"):
            patterns("vocabpkg.words")
        (pkg / "words.toml").write_text("GOOD = '\n", encoding="utf-8")
        with pytest.raises(ConfigError, match=r"vocabpkg/words\.toml 格式有误"):
            patterns("vocabpkg.words")
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("vocabpkg", None)
