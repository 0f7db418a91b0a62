"""Benchmarks: `make bench` (bench/run.py) and the import benchmark."""
