"""The pure core: pandas/numpy in, pandas/numpy out; no Flask, no database.

Everything that computes a number a user sees (annualised pathways, SDA targets, gaps,
years behind, platform aggregates) lives here so that the web pages, the API and the command
line all show the same figures.
"""
