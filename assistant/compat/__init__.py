"""The assistant as an OpenAI-compatible model: model ids, a chat's events as one reply, notes."""
