"""Data loaders for each task: read the real public formats into ``schemas`` records."""
