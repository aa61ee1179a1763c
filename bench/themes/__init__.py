"""Benchmark of similar-idea look-ups and theme refreshes at the size of a big jam."""
