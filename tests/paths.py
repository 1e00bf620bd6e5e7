"""Where the tests find the repository and its bundled data."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
"""The repository root."""
DATA = ROOT / "tests" / "data"
"""Real public data shipped for the tests (each folder has a SOURCE.md)."""
