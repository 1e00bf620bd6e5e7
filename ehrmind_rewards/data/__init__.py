"""Data loaders for each task: read the real public formats into records, and the bundled examples."""
