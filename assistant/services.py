"""Composition root: builds the embeddings, store, caches, indexer and searcher once, and every
service the routes, the CLI and the MCP server call (reports, sections, drafts, the Word import,
uploads, the knowledge base, outlines, the chat, the OpenAI-compatible completions).

The CLI and the API both call :func:`build_services`; nothing is built at import time. The
services are plain objects over the shared parts and hold no per-request state, so one of each
serves every request; routes receive them through the aliases in :mod:`assistant.api.deps`.
``with build_services(settings) as services:`` closes what was opened (the CLI's way).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from assistant.config import Settings
from assistant.ingest.limits import ParseLimits
from assistant.retrieval.cache import CacheDB, CachedEmbeddings
from assistant.retrieval.embeddings import build_embeddings
from assistant.retrieval.indexer import Indexer
from assistant.retrieval.keyword_sync import KeywordIndexes
from assistant.retrieval.search import Searcher
from assistant.retrieval.store import ChromaStore
from assistant.retrieval.titles import TitleLookup

if TYPE_CHECKING:
    from assistant.accounts.admin import UserAdmin
    from assistant.accounts.api_keys import ApiKeys
    from assistant.accounts.service import Accounts
    from assistant.chat.service import ChatService
    from assistant.chat.tools import ToolPlanner
    from assistant.checks.checker import Checker
    from assistant.compat.completion import Completions
    from assistant.drafting.composer import Drafter
    from assistant.drafting.extract import FactExtractor
    from assistant.drafting.templates import ReportTemplate
    from assistant.knowledge.service import Knowledge
    from assistant.reports.drafting import DraftService
    from assistant.reports.outline import OutlineService
    from assistant.reports.roundtrip import WordImport
    from assistant.reports.sections import SectionService
    from assistant.reports.service import ReportService
    from assistant.reports.structure import StructureService
    from assistant.reports.upload_texts import UploadTexts
    from assistant.review.service import ReviewService
    from assistant.storage.db import Database
    from assistant.uploads.reconcile import Reconciled
    from assistant.uploads.service import Uploads

# What only some commands need (the checker's rules, drafting, the LLM client, the database)
# is imported by the property that builds it: `assistant search` pays for none of it.


@dataclass
class Services:
    settings: Settings
    cache: CacheDB
    embeddings: CachedEmbeddings
    store: ChromaStore
    keywords: KeywordIndexes
    indexer: Indexer
    searcher: Searcher
    titles: TitleLookup

    # Built on first use: indexing and search need neither the rules nor the templates.
    @cached_property
    def checker(self) -> Checker:
        from assistant.checks.checker import Checker

        return Checker()

    @cached_property
    def templates(self) -> dict[str, ReportTemplate]:
        from assistant.drafting.templates import load_templates

        return load_templates()

    @cached_property
    def drafter(self) -> Drafter:
        from assistant.drafting.composer import Drafter
        from assistant.drafting.evidence import Gatherer
        from assistant.drafting.llm import LLMEngine

        s = self.settings
        return Drafter(
            gatherer=Gatherer(self.searcher, exemplars=s.draft_exemplars, sources=s.draft_sources),
            checker=self.checker,
            llm=LLMEngine.from_settings(s) if s.llm_enabled else None,
            known_title=self.titles.known,
        )

    @cached_property
    def chat_planner(self) -> ToolPlanner | None:
        """The model's choice of chat steps by tool calling; None offline (the rules choose)."""
        from assistant.chat.tools import ToolPlanner

        s = self.settings
        return ToolPlanner.from_settings(s) if s.llm_enabled and s.chat_tools else None

    @cached_property
    def extractor(self) -> FactExtractor:
        from assistant.drafting.extract import FactExtractor

        return FactExtractor(self.drafter.llm)

    @cached_property
    def db(self) -> Database:
        """The state database, migrated to the latest schema on first use."""
        from assistant.storage.db import Database

        db = Database(self.settings.effective_database_url)
        db.migrate()
        return db

    @cached_property
    def accounts(self) -> Accounts:
        from assistant.accounts.service import Accounts

        return Accounts(self.db)

    @cached_property
    def api_keys(self) -> ApiKeys:
        from assistant.accounts.api_keys import ApiKeys

        return ApiKeys(self.db)

    @cached_property
    def users(self) -> UserAdmin:
        """User administration (admins) and own password changes, audited."""
        from assistant.accounts.admin import UserAdmin

        return UserAdmin(self.db)

    # -- the feature services (built once; the API's routes and the CLI share them) -------------

    @cached_property
    def reports(self) -> ReportService:
        """Reports: templates, creation, reviewers, fact sheets, deletion."""
        from assistant.reports.service import ReportService

        return ReportService(self.db, self.templates)

    @cached_property
    def sections(self) -> SectionService:
        """A person's edits and restores of a section, checked like a draft."""
        from assistant.reports.sections import SectionService

        return SectionService(
            self.db,
            self.templates,
            self.checker,
            store=self.store,
            known_title=self.titles.known,
            uploads=self.upload_texts,  # kept between edits (issue 17)
        )

    @cached_property
    def drafts(self) -> DraftService:
        """Drafting a section or the whole report into new versions (the API, chat and MCP)."""
        from assistant.reports.drafting import DraftService

        return DraftService(self.db, self.templates, self.drafter, store=self.store)

    @cached_property
    def outlines(self) -> OutlineService:
        from assistant.reports.outline import OutlineService

        return OutlineService(self.db, self.templates)

    @cached_property
    def structure(self) -> StructureService:
        """A report's numbered parts added, removed, renamed, reordered."""
        from assistant.reports.structure import StructureService

        return StructureService(self.db, self.templates)

    @cached_property
    def importer(self) -> WordImport:
        """A reviewed .docx read back into the report (the Word round trip)."""
        from assistant.ingest.bounds import ReadBounds
        from assistant.reports.roundtrip import WordImport

        return WordImport(
            self.db,
            self.templates,
            self.checker,
            store=self.store,
            known_title=self.titles.known,
            read=ReadBounds.from_settings(self.settings),
        )

    @cached_property
    def uploads(self) -> Uploads:
        """Files added to a report's fact layer (or, by admins, the corpus)."""
        from assistant.ingest.bounds import ReadBounds
        from assistant.uploads.service import Uploads

        s = self.settings
        return Uploads(
            db=self.db,
            indexer=self.indexer,
            max_bytes=s.max_file_bytes,
            max_chars=s.max_upload_chars,
            bounds=ReadBounds.from_settings(s),
        )

    @cached_property
    def knowledge(self) -> Knowledge:
        """The corpus knowledge base's files (the page's 知识库)."""
        from assistant.domain import CORPUS
        from assistant.knowledge.indexing import Limits
        from assistant.knowledge.service import Knowledge

        return Knowledge(
            db=self.db, indexer=self.indexer, limits=Limits.from_settings(self.settings), kb=CORPUS
        )

    @cached_property
    def chat(self) -> ChatService:
        """The chat bound to a report, over the same draft and section services as the API."""
        from assistant.chat.service import ChatService

        return ChatService(
            self.db,
            self.templates,
            self.drafts,
            self.extractor,
            self.searcher,
            self.store,
            self.checker,
            planner=self.chat_planner,
            sections=self.sections,
        )

    @cached_property
    def reviews(self) -> ReviewService:
        """Review decisions on sections, the Word export and whether it is ready."""
        from assistant.review.service import ReviewService

        return ReviewService(self.db, self.settings)

    @cached_property
    def completions(self) -> Completions:
        """``/v1/chat/completions``: the chat (or the corpus) as an OpenAI-compatible model."""
        from assistant.compat.completion import Completions

        return Completions(self)

    @cached_property
    def upload_texts(self) -> UploadTexts:
        """What the checker reads of reports' uploads, kept between edits (issue 17)."""
        from assistant.reports.upload_texts import UploadTexts

        return UploadTexts(self.db, self.store, max_reports=self.settings.upload_cache_reports)

    def reconcile_uploads(self) -> Reconciled:
        """Upload rows and the store's chunks made to agree (run at start-up)."""
        from assistant.uploads.reconcile import reconcile

        return reconcile(self.db, self.indexer, grace=self.settings.reconcile_grace)

    def close(self) -> None:
        self.cache.close()
        if "db" in self.__dict__:
            self.db.close()

    def __enter__(self) -> Services:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def build_services(settings: Settings) -> Services:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    cache = CacheDB(settings.index_dir / "cache.sqlite")
    embeddings = CachedEmbeddings(
        build_embeddings(settings), cache, batch_size=settings.embeddings_batch_size
    )
    store = ChromaStore(path=settings.chroma_dir, url=settings.chroma_url)
    keywords = KeywordIndexes(store, cache, settings.index_dir / "bm25")
    indexer = Indexer(
        store=store,
        embeddings=embeddings,
        keywords=keywords,
        chunk_size=settings.chunk_size,
        max_file_bytes=settings.max_file_bytes,
        limits=ParseLimits(
            convert_seconds=settings.convert_timeout,
            converter=settings.soffice,
            ocr_pages=settings.ocr_max_pages,
            ocr_seconds=settings.ocr_timeout,
            image_pixels=int(settings.ocr_max_megapixels * 1e6),
        ),
    )
    searcher = Searcher(store=store, embeddings=embeddings, keywords=keywords)
    titles = TitleLookup(store, keywords)
    services = Services(settings, cache, embeddings, store, keywords, indexer, searcher, titles)
    # Reports' uploads answer only while their row exists (the database opens on first use).
    searcher.scope = functools.partial(_upload_scope, services)
    return services


def _upload_scope(services: Services, kb: str) -> frozenset[str] | None:
    """The documents ``kb`` may answer from; None (any) for the corpus and other non-report
    knowledge bases, which is decided without opening the database or importing SQLAlchemy."""
    from assistant.reports.kbs import kb_report

    if kb_report(kb) is None:
        return None
    from assistant.uploads.reconcile import upload_scope

    return upload_scope(services.db, kb)
