"""The ``verifiers`` taskset id of ehrmind-rewards: ``vf-eval ehrmind_rewards_verifiers …``.

verifiers (``verifiers.v1``) finds a taskset by importing a top-level module named by its id and
taking the one ``Taskset`` subclass in its ``__all__``; this module is that for
:class:`ehrmind_rewards.integrations.verifiers.EHRMindTaskset` (extra ``verifiers``).
"""

from ehrmind_rewards.integrations.verifiers import EHRMindTaskset

__all__ = ["EHRMindTaskset"]
