"""Other wordings of each theme of :mod:`assistant.drafting.themes`, read from
``theme_wordings.toml``: two parts of one report whose facts fall to the same theme do not open
alike (``Theme.at`` takes the ``n``-th wording)."""

from __future__ import annotations

import tomllib
from importlib import resources

Wording = tuple[str, str, str]  # (heading, lead, opener)


def _load() -> dict[str, tuple[Wording, ...]]:
    text = resources.files(__package__).joinpath("theme_wordings.toml").read_text("utf-8")
    return {
        theme: tuple((str(h), str(lead), str(opener)) for h, lead, opener in rows)
        for theme, rows in tomllib.loads(text).items()
    }


VARIANTS: dict[str, tuple[Wording, ...]] = _load()
