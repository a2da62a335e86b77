"""Facts: the fact sheet, extraction from tables and chat, number and date normalisation."""
