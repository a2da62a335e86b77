"""Thin routers: validate, call one service, map the result."""
