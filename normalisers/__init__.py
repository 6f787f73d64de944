"""Normalisers: small pure functions that repair one quirk of plan tables each.

Cell-level functions take and return strings; table-level functions take a DataFrame
of raw rows and return a new one (plus the warnings they raised).
"""
