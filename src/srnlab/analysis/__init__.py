"""Analyses of what a network did: error profiles, per-bit errors, hidden-unit responses."""
