"""Prompts as files (``prompts/*.md``), loaded by name, variables checked, content hashed.

A prompt's variables are its ``{name}`` fields; rendering with a missing or an unexpected variable
is an error, so a prompt and the code that fills it cannot drift apart silently. The hash of the
file's text is recorded on every draft (provenance).
"""

from __future__ import annotations

import hashlib
import string
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import ConfigError

# Inside the package (a link to the repository's prompts/), so an installed wheel has them too.
PROMPTS_DIR = Path(__file__).resolve().parents[1] / "prompts"


class PromptError(ConfigError, code="prompt"):
    """A prompt is missing, malformed, or rendered with the wrong variables."""


@dataclass(frozen=True)
class Prompt:
    name: str
    text: str

    @property
    def variables(self) -> frozenset[str]:
        names = set()
        for _, field, _, _ in string.Formatter().parse(self.text):
            if field is not None:
                if not field.isidentifier():
                    raise PromptError(f"{self.name}.md: invalid variable {{{field}}}")
                names.add(field)
        return frozenset(names)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def render(self, **values: object) -> str:
        missing = sorted(self.variables - values.keys())
        extra = sorted(values.keys() - self.variables)
        if missing or extra:
            parts = []
            if missing:
                parts.append(f"missing {', '.join(missing)}")
            if extra:
                parts.append(f"unexpected {', '.join(extra)}")
            raise PromptError(f"prompt {self.name}: {'; '.join(parts)}")
        return self.text.format(**values)


def load_prompt(name: str, directory: Path = PROMPTS_DIR) -> Prompt:
    path = directory / f"{name}.md"
    if not name.isidentifier() or not path.is_file():
        known = ", ".join(sorted(p.stem for p in directory.glob("*.md")))
        raise PromptError(f"no prompt named {name!r} in {directory} (prompts: {known})")
    prompt = Prompt(name, path.read_text(encoding="utf-8"))
    try:
        _ = prompt.variables  # malformed braces fail on load, not on first use
    except ValueError as exc:
        raise PromptError(f"{name}.md: {exc}") from exc
    return prompt
