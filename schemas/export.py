"""Write the JSON Schema of every contract model to ``schemas/json/``: ``python -m schemas.export``.

The files serve guided decoding (vLLM, outlines) and other languages; ``--check`` exits 1 when a
file is missing or stale, and the test suite runs the same comparison.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from pydantic import BaseModel

from schemas.answers import EHRSHOTAnswer, MedCalcAnswer, TrialAnswer
from schemas.records import MedCalcRecord
from schemas.verdict import Verdict

SCHEMA_DIR = Path(__file__).parent / "json"
MODELS: tuple[type[BaseModel], ...] = (
    MedCalcAnswer,
    TrialAnswer,
    EHRSHOTAnswer,
    MedCalcRecord,
    Verdict,
)


def rendered() -> dict[str, str]:
    """File name → JSON text for every model, exactly as written to disk."""
    return {
        f"{model.__name__}.schema.json": json.dumps(
            model.model_json_schema(), indent=2, ensure_ascii=False, sort_keys=True
        )
        + "\n"
        for model in MODELS
    }


def stale(directory: Path = SCHEMA_DIR) -> list[str]:
    """Names of schema files that are missing or differ from the models."""
    return [
        name
        for name, text in rendered().items()
        if not (directory / name).is_file() or (directory / name).read_text("utf-8") != text
    ]


def main(argv: list[str] | None = None) -> int:
    """Write the schema files (or, with ``--check``, report stale ones and exit 1)."""
    parser = argparse.ArgumentParser(prog="python -m schemas.export", description=__doc__)
    parser.add_argument("--check", action="store_true", help="only check, write nothing")
    args = parser.parse_args(argv)
    if args.check:
        names = stale()
        for name in names:
            print(f"stale: schemas/json/{name} (run python -m schemas.export)", file=sys.stderr)
        return 1 if names else 0
    SCHEMA_DIR.mkdir(exist_ok=True)
    for name, text in rendered().items():
        (SCHEMA_DIR / name).write_text(text, encoding="utf-8")
        print(f"wrote schemas/json/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
