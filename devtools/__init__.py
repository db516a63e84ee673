"""Helpers for tests and benchmarks that drive the real app (not part of the app itself)."""
