"""Every message the reward path logs besides the ungraded-row messages, for the docs.

The ungraded-row messages are listed by
:func:`~ehrmind_rewards.core.dispatch.ungraded_messages_table`; the others come from the modules
that log them and are rendered here, with each ``%s``/``%r`` shown as the value it is filled
with, by :func:`log_messages_table` (``docs/adapters.md``; a test keeps the page in sync).
"""

from __future__ import annotations

import re
from typing import Final, NamedTuple

from ehrmind_rewards.adapters.trl import OLD_TRL_WARNING
from ehrmind_rewards.core.dispatch import INTERNAL_ERROR_LOG
from ehrmind_rewards.core.registry import DUPLICATE_ENTRY_POINT, TASK_NOT_INSTALLED


class LoggedMessage(NamedTuple):
    """One logged message: its level, when it is logged, the format string and what fills it."""

    level: str
    when: str
    template: str
    arguments: tuple[str, ...]


LOGGED_MESSAGES: Final = (
    LoggedMessage(
        "WARNING",
        "once per process, when a reward is `None` and the loaded TRL is older than 1.6",
        OLD_TRL_WARNING,
        ("trl_version",),
    ),
    LoggedMessage(
        "ERROR",
        "once per task, with the traceback, when a verifier raises (the row scores as "
        "`internal_error`)",
        INTERNAL_ERROR_LOG,
        ("task",),
    ),
    LoggedMessage(
        "WARNING",
        "when an installed package's entry point names a task already registered",
        DUPLICATE_ENTRY_POINT,
        ("name", "target", "name"),
    ),
    LoggedMessage(
        "WARNING",
        "when a task's entry point names a module that cannot be imported",
        TASK_NOT_INSTALLED,
        ("name", "error"),
    ),
)
"""Every message of the reward path (logger ``ehrmind_rewards``) other than ungraded rows'."""

_PLACEHOLDER = re.compile(r"%[sr]")


def rendered(message: LoggedMessage) -> str:
    """The message's text with ``%s``/``%r`` shown as ``{name}``/``{name!r}``.

    >>> rendered(LOGGED_MESSAGES[1])
    'ehrmind_rewards: {task} verifier failed (logged once per task)'
    """
    names = iter(message.arguments)

    def name(match: re.Match[str]) -> str:
        return "{" + next(names) + ("!r}" if match.group() == "%r" else "}")

    return _PLACEHOLDER.sub(name, message.template)


def log_messages_table() -> str:
    """:data:`LOGGED_MESSAGES` as the Markdown table of ``docs/adapters.md``.

    >>> log_messages_table().splitlines()[0]
    '| level | logged | message |'
    """
    rows = [
        f"| {m.level} | {m.when} | `{rendered(m).replace('|', chr(92) + '|')}` |"
        for m in LOGGED_MESSAGES
    ]
    return "\n".join(["| level | logged | message |", "|---|---|---|", *rows])
