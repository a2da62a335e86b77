"""Alembic environment: migrations run on the connection the application hands over."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from assistant.storage.models import Base

config = context.config
target_metadata = Base.metadata


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()
        return
    # `alembic revision --autogenerate` from a shell: an URL in sqlalchemy.url
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite://")
    with engine.connect() as conn:
        context.configure(connection=conn, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()


run()
