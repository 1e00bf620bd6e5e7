"""docs/calculators.md is generated from the registry and must match it."""

from pathlib import Path

from calculators.docs import render_page

PAGE = Path(__file__).resolve().parents[2] / "docs" / "calculators.md"


def test_calculator_page_matches_registry() -> None:
    assert PAGE.read_text(encoding="utf-8") == render_page(), (
        "regenerate with: python -m calculators.docs > docs/calculators.md"
    )
