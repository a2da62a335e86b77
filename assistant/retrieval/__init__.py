"""Retrieval: embeddings (with a cache), the Chroma store, BM25 over jieba tokens, hybrid search."""
