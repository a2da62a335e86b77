"""Masking credentials in URLs and in any text that may carry one.

Endpoints are configured as URLs, and URLs carry secrets: ``https://user:password@host`` or
``…/v1?api_key=…``. Such a URL ends up in error messages (``cannot reach the LLM endpoint …``),
log lines and ``assistant info``, which drafters, log readers and screenshots see. Everything
that leaves the process as text goes through :func:`mask_secrets` (or :func:`mask_url` for a
single URL), so there is one rule for what counts as secret. Imports nothing from the project.
"""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

MASK = "********"
# Query keys whose value is a credential (compared in lower case, ``-`` read as ``_``).
SECRET_KEYS = frozenset(
    {
        "api_key",
        "apikey",
        "key",
        "token",
        "access_token",
        "auth",
        "auth_token",
        "password",
        "passwd",
        "pwd",
        "secret",
        "client_secret",
        "signature",
        "sig",
        "code",
        "refresh_token",
        "id_token",
        "session",
        "x_api_key",
    }
)
# A URL in free text: a scheme, then anything up to white space, a quote, a bracket or a
# non-ASCII character (Chinese text and its punctuation follow URLs without a space).
_URL = re.compile(r"""\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s'"<>()\[\]{}\u0080-\U0010ffff]+""")
# ``api_key=…`` outside a URL (a query string quoted on its own, a form body, an env dump).
_USERINFO = re.compile(r"://[^/?#\s]*@")  # greedy: a password may hold an @
_PAIR = re.compile(
    r"(?i)\b((?:[a-z0-9]+[_-])*(?:api[_-]?key|access[_-]?token|token|password|secret))"
    r"""=([^\s&'",;\u0080-\U0010ffff]+)"""
)


def _is_secret_key(name: str) -> bool:
    key = name.lower().replace("-", "_")
    return key in SECRET_KEYS or key.endswith(("_key", "_token", "_secret", "_password"))


def mask_url(url: str) -> str:
    """``url`` with its user info and secret query values replaced by a mask.

    The whole user info goes, not only the password: ``https://sk-…@host`` puts the key where
    the user name would be. Text that does not parse as a URL is returned unchanged.
    """
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an unbalanced IPv6 bracket: still take the user info out
        return _USERINFO.sub(f"://{MASK}@", url)
    netloc = parts.netloc
    if "@" in netloc:
        netloc = f"{MASK}@{netloc.rsplit('@', 1)[1]}"
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        if any(_is_secret_key(k) for k, _ in pairs):
            query = urlencode([(k, MASK if _is_secret_key(k) else v) for k, v in pairs], safe="*")
    fragment = parts.fragment
    if fragment and "=" in fragment:  # OAuth implicit flow puts tokens in the fragment
        fragment = _PAIR.sub(_mask_pair, fragment)
    if (netloc, query, fragment) == (parts.netloc, parts.query, parts.fragment):
        return url
    return urlunsplit((parts.scheme, netloc, parts.path, query, fragment))


def mask_secrets(text: str) -> str:
    """``text`` with every URL masked (:func:`mask_url`) and loose ``key=value`` secrets too."""
    if "://" not in text and "=" not in text:
        return text  # the common case (no URL at all) costs one scan
    text = _URL.sub(_mask_match, text)
    return _PAIR.sub(_mask_pair, text)


def _mask_match(match: re.Match[str]) -> str:
    # Sentence punctuation right after a URL belongs to the sentence, not to the URL.
    url = match.group(0)
    body = url.rstrip(".,:;!?")
    return mask_url(body) + url[len(body) :]


def _mask_pair(match: re.Match[str]) -> str:
    value = match.group(2)
    tail = value[len(value.rstrip(".,:;!?")) :]
    return f"{match.group(1)}={MASK}{tail}"


def mask_data(value: Any) -> Any:
    """:func:`mask_secrets` applied to every string inside JSON-like data."""
    if isinstance(value, str):
        return mask_secrets(value)
    if isinstance(value, dict):
        return {k: mask_data(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [mask_data(v) for v in value]
    return value


class _MaskingFactory:
    """A log record factory that masks the formatted message and the traceback text."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def __call__(self, *args: Any, **kwargs: Any) -> logging.LogRecord:
        record: logging.LogRecord = self.inner(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: logging reports it later, as it always did
            return record
        masked = mask_secrets(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and record.exc_info[0] is not None:
            # Formatters use exc_text when it is set, so the traceback is masked once, here.
            text = logging.Formatter().formatException(record.exc_info)
            record.exc_text = mask_secrets(text)
        return record


def install_log_masking() -> None:
    """From now on every log record, of any logger and handler, is masked (idempotent).

    A record factory rather than a handler filter: uvicorn, httpx and openai configure their
    own handlers, and a filter on them would be missed by the next one added.
    """
    current = logging.getLogRecordFactory()
    if not isinstance(current, _MaskingFactory):
        logging.setLogRecordFactory(_MaskingFactory(current))
