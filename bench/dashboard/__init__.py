"""Dashboards at jam scale: `make bench-dashboard` (see run.py)."""
