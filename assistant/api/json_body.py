"""Reading a JSON body the routes parse themselves (fact sheets), bounded in nesting depth.

``json.loads`` recurses once per nesting level: ``[[[[…`` a few thousand deep raises
RecursionError (a 500), and a few hundred deep parses but is then walked recursively again by
validation, storage and the response. No fact sheet is more than a few levels deep, so the
depth is counted first, in one pass over the bytes, and a deeper body is a plain 422.
"""

from __future__ import annotations

import json
from typing import Any

from assistant.errors import Invalid

MAX_DEPTH = 32
_OPEN, _CLOSE, _QUOTE, _ESCAPE = b"[{", b"]}", ord('"'), ord("\\")


def too_deep(raw: bytes, max_depth: int = MAX_DEPTH) -> bool:
    """Whether ``[``/``{`` nest more than ``max_depth`` levels outside strings."""
    if raw.count(b"[") + raw.count(b"{") <= max_depth:
        return False  # too few brackets: no need to walk the bytes one by one
    depth = 0
    in_string = escaped = False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == _ESCAPE:
                escaped = True
            elif byte == _QUOTE:
                in_string = False
        elif byte == _QUOTE:
            in_string = True
        elif byte in _OPEN:
            depth += 1
            if depth > max_depth:
                return True
        elif byte in _CLOSE:
            depth -= 1
    return False


def parse_json_body(raw: bytes, *, max_depth: int = MAX_DEPTH) -> Any:
    """The body as JSON; 422 naming the problem when it is not JSON or nested too deeply."""
    if too_deep(raw, max_depth):
        raise Invalid(f"body: JSON nested more than {max_depth} levels deep")
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise Invalid(f"body: not valid JSON ({exc})") from exc


def json_field(field: object) -> Any:
    """A form field holding JSON, parsed; None when it is not text or not JSON (the caller
    names the field and the shape it wants)."""
    if not isinstance(field, str) or too_deep(field.encode()):
        return None
    try:
        return json.loads(field)
    except (ValueError, RecursionError):
        return None
