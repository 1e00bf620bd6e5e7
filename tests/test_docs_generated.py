"""Tables in the docs that are generated from the code stay equal to what the code renders.

Regenerate a table by pasting the function's output between its markers (``python -c "from
MODULE import FUNCTION; print(FUNCTION())"``).
"""

from collections.abc import Callable

import pytest

from ehrmind_rewards.adapters.messages import LOGGED_MESSAGES, log_messages_table
from ehrmind_rewards.core.dispatch import ungraded_messages_table
from ehrmind_rewards.core.parsing.envelope import end_of_turn_table
from tests.paths import ROOT

GENERATED: list[tuple[str, str, Callable[[], str]]] = [
    ("adapters.md", "ungraded", ungraded_messages_table),
    ("adapters.md", "logged", log_messages_table),
    ("answer-format.md", "end-of-turn", end_of_turn_table),
]


@pytest.mark.parametrize(("page", "marker", "render"), GENERATED, ids=[g[1] for g in GENERATED])
def test_generated_table_is_in_sync(page: str, marker: str, render: Callable[[], str]) -> None:
    text = (ROOT / "docs" / page).read_text(encoding="utf-8")
    begin, end = f"<!-- {marker}:begin", f"<!-- {marker}:end -->"
    block = text.split(begin, 1)[1].split("-->", 1)[1].split(end, 1)[0]
    assert block.strip() == render(), f"docs/{page}: regenerate the {marker} table from the code"


@pytest.mark.parametrize("message", LOGGED_MESSAGES, ids=lambda m: m.template[:40])
def test_every_logged_message_names_each_value_it_is_filled_with(message: object) -> None:
    from ehrmind_rewards.adapters.messages import LoggedMessage

    assert isinstance(message, LoggedMessage)
    placeholders = message.template.count("%s") + message.template.count("%r")
    assert placeholders == len(message.arguments) and "%" not in message.template.replace(
        "%s", ""
    ).replace("%r", "")
