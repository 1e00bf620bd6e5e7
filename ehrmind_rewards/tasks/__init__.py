"""Task families, one package each, behind the registry.

>>> from ehrmind_rewards import tasks
>>> tasks.names()[:3]
('ehrshot', 'medcalc', 'trials')
>>> tasks.get("trials").title
'TREC Clinical Trials'

A third-party family registers with :func:`register` at run time or through the entry point
group ``ehrmind_rewards.tasks`` (see ``docs/adding-a-task-family.md``).
"""

from ehrmind_rewards.core.registry import families, find, get, names, register, unregister
from ehrmind_rewards.core.task import GradingExtension, TaskFamily

__all__ = [
    "GradingExtension",
    "TaskFamily",
    "families",
    "find",
    "get",
    "names",
    "register",
    "unregister",
]
