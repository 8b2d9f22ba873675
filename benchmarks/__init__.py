"""Benchmarks, run by hand or with `make bench` (never as timed unit tests)."""
