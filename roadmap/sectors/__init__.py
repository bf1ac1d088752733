"""Sectors and their published scenarios: the pathways (TPI, OECM, ...) companies are
reconciled against, stored from pathway files."""
