"""The one error ingestion raises: it names the file and the reason in one line."""

from __future__ import annotations

from assistant.errors import Encrypted, Unreadable

# What to do with a password-protected file, for the page and the CLI alike (Chinese: the
# people who meet it are the office staff who saved it).
ENCRYPTED_ADVICE = (
    "读不出其中的文字。请用 WPS 等办公软件输入密码打开它，取消密码后另存，再上传另存的文件"
)


class IngestError(Unreadable):
    """A file could not be ingested; ``str()`` is one clear line for the user (→ 422)."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason

    def __reduce__(self) -> tuple[type[IngestError], tuple[str, str]]:
        # Pickled whole (with its class) when it crosses from a parse worker to the caller.
        return (type(self), (self.source, self.reason))


class EncryptedFile(Encrypted, IngestError):
    """A password-protected file of type ``kind`` (``.ppt``), refused unread (→ 422,
    ``encrypted``); its reason says so in Chinese and what to do."""

    def __init__(self, source: str, kind: str) -> None:
        super().__init__(source, f"{kind} 文件设有打开密码（已加密），{ENCRYPTED_ADVICE}")
        self.kind = kind

    def __reduce__(self) -> tuple[type[IngestError], tuple[str, str]]:
        return (type(self), (self.source, self.kind))


def encrypted_message(name: str) -> str:
    """The refusal of an encrypted upload, naming it (quoted: the page shows the user's own
    file name as it is, whatever its letters)."""
    return f"“{name}”设有打开密码（已加密），{ENCRYPTED_ADVICE}。"
