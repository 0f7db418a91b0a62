"""The shapes several layers share: plain dataclasses, constants and pure helpers.

A ground floor, beside `config`: every layer may import it, and it imports only
the standard library, pandas and `config`, so that `components` can name what
`data_access` returns without importing `data_access` (tests/test_layering.py).
"""
