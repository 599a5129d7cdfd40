"""Catalog search and filters: one entry point over the database's full-text index."""
