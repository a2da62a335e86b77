"""Pattern vocabularies kept as data: the cue words of a module in a TOML file beside it.

The chat's cues, the drafter's role and phrasing words and the fact statements are long lists of
words tuned against labelled messages and fact sheets. They live in `<module>.toml` next to the
module that uses them (`chat/cues.py` → `chat/cues.toml`), each entry with the comment that says
which message or fact it was written for, so the words are tuned without touching the code and the
code reads as logic. A file holds `NAME = 'pattern'`, or `NAME = ['part', 'part']` whose parts are
joined into one pattern (a comment may stand between them). Loaded and compiled once, when the
module is first imported; a pattern that does not compile names its file and entry.
"""

from __future__ import annotations

import re
import tomllib
from importlib import resources

from assistant.errors import ConfigError


class Patterns:
    """The compiled patterns of one vocabulary file, read as attributes (`WORDS.WHOLE`)."""

    __slots__ = ("_compiled", "source")

    def __init__(self, source: str, compiled: dict[str, re.Pattern[str]]) -> None:
        self.source = source
        self._compiled = compiled

    def __getattr__(self, name: str) -> re.Pattern[str]:
        return self.get(name)

    def get(self, name: str) -> re.Pattern[str]:
        """The pattern `name`; AttributeError (as for any missing attribute) when there is none."""
        try:
            return self._compiled[name]
        except KeyError:
            raise AttributeError(f"{self.source} has no pattern {name}") from None

    def names(self) -> list[str]:
        return list(self._compiled)


def _pattern(source: str, name: str, value: object) -> re.Pattern[str]:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        value = "".join(value)
    if not isinstance(value, str):
        raise ConfigError(f"{source}：{name} 应为正则表达式字符串或字符串列表")
    try:
        return re.compile(value)
    except re.error as exc:
        raise ConfigError(f"{source}：{name} 不是有效的正则表达式（{exc}）") from exc


def patterns(module: str) -> Patterns:
    """The vocabulary beside `module` (a dotted name: `assistant.chat.cues` → chat/cues.toml)."""
    package, _, stem = module.rpartition(".")
    source = f"{package.replace('.', '/')}/{stem}.toml"
    try:
        data = tomllib.loads(resources.files(package).joinpath(f"{stem}.toml").read_text("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source} 格式有误：{exc}") from exc
    return Patterns(source, {name: _pattern(source, name, v) for name, v in data.items()})
