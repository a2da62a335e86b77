"""Reports: their facts, sections and versions, who may see them, and their uploads' scope."""
