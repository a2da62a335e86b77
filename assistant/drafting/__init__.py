"""Drafting: report templates, prompt loading, the LLM and offline engines, section composer."""
