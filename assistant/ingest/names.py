"""Upload file names: the user's name, reduced to a safe, bounded label.

A name is only ever a label (shown in lists, written into fact sources ``upload:<file>#…``); the
bytes are never written under it. Still, it is cut to its last path component so a name such as
``../../etc/passwd`` can never be mistaken for a path by anything downstream.
"""

from __future__ import annotations

import unicodedata

MAX_NAME = 150  # leaves room in FactRow.source (300) for ``upload:`` + ``#sheet!cell``


def safe_filename(raw: str | None, kind: str) -> str:
    """The basename of ``raw`` minus control characters; ``upload.<kind>`` if nothing is left."""
    name = unicodedata.normalize("NFC", raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C"))
    # '#' separates the file from the sheet in fact sources; leading dots would hide the file
    # or spell '..'; trailing dots and spaces are dropped by Windows anyway.
    name = name.replace("#", "_").strip().lstrip(".").rstrip(". ")
    if not name:
        return f"upload.{kind}"
    if len(name) > MAX_NAME:
        stem, dot, suffix = name.rpartition(".")
        if dot and 0 < len(suffix) <= 10:
            name = stem[: MAX_NAME - len(suffix) - 1] + "." + suffix
        else:
            name = name[:MAX_NAME]
    return name
