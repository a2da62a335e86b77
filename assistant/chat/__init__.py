"""The chat: what the user wants from a message, and the conversation's history."""
