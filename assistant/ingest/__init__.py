"""Ingestion: load files of many types, clean their text, and cut them into chunks."""
