"""Dataset loaders and generators (each module imports its heavy dependencies lazily)."""
