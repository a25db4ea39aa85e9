"""Seeded pattern and stream generators, one module per task."""
