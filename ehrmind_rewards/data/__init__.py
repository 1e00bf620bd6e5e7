"""Data loaders for each task: the real public formats into records, and the bundled examples."""
