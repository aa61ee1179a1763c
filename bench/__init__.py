"""Benchmarks of Idea Jam, run against the real server on this machine (see docs/PERFORMANCE.md)."""
