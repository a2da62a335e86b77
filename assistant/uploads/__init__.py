"""Uploads: files a user adds to a report's fact layer (or an admin adds to the corpus)."""
