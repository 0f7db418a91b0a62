"""Loading programme teams' own files: CSV (UTF-8), Excel and HXL-tagged CSV.

Everything is validated before anything is written; writing is one transaction;
importing the same file twice changes nothing. See `columns.py` for the format.
"""
