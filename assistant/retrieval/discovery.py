"""Which files under the paths given to ``assistant index`` are indexed: the supported ones,
not hidden or Office lock files (``~$…``), nor a folder's README, LICENSE or CHANGELOG."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from assistant.ingest.loaders import SUPPORTED

_SKIP_NAMES = ("readme", "license", "changelog")


def discover(paths: Iterable[Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Files to index under ``paths``; missing paths and unsupported named files are failures."""
    files: list[Path] = []
    failures: list[tuple[str, str]] = []
    for p in paths:
        if p.is_dir():
            for root, dirs, names in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(names):
                    f = Path(root) / name
                    if _wanted(f):
                        files.append(f.resolve())
        elif p.is_file():
            files.append(p.resolve())
        else:
            failures.append((str(p), "no such file or folder"))
    return sorted(set(files)), failures


def _wanted(f: Path) -> bool:
    name = f.name.lower()
    if name.startswith((".", "~$")) or name.split(".")[0] in _SKIP_NAMES:
        return False
    return f.suffix.lower() in SUPPORTED


def under_any(path: Path, roots: list[Path]) -> bool:
    return any(path == r or r in path.parents for r in roots)
