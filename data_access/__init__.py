"""Data layer: engine, schema, reference loading and cached queries.

Never imports Dash: pages call these functions and get DataFrames or small
dataclasses back.
"""
