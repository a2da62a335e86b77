"""Checks: grounding of numbers, dates and titles, and 公文 proofreading."""
