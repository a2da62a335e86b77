"""The HTTP service: app factory, dependencies, routes."""
