"""Readers for the datasets the verifiers grade against, and the bundled example files."""
