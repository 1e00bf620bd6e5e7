"""CI runs hypothesis derandomized and without its example database (``tests/conftest.py``), so
a failure found once cannot be replayed from ``.hypothesis/`` into later, unrelated runs."""

from __future__ import annotations

import os
import subprocess
import sys

from hypothesis import settings

from tests.paths import ROOT


def test_the_ci_profile_is_derandomized_and_database_free() -> None:
    profile = settings.get_profile("ci")
    assert profile.derandomize is True and profile.database is None
    if os.environ.get("CI", "").lower() not in ("", "0", "false"):
        assert settings.default.derandomize is True and settings.default.database is None


def test_the_ci_variable_selects_the_profile() -> None:
    probe = (
        "import tests.conftest; from hypothesis import settings; "
        "print(settings.default.derandomize, settings.default.database)"
    )
    plain = {k: v for k, v in os.environ.items() if k != "CI"}
    for env, expected in (({**plain, "CI": "true"}, "True None"), (plain, "False")):
        out = subprocess.run(
            [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert out.returncode == 0, out.stderr
        assert out.stdout.startswith(expected)
