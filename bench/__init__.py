"""Benchmarks (not tests): they print figures; the latest go into docs/benchmarks.md."""
