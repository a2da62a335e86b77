"""Database models, the engine and migrations (SQLite by default, PostgreSQL by URL)."""
