"""Reusable UI pieces and pure figure builders; no SQL, no callbacks."""
