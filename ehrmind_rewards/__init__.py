"""ehrmind-rewards: verifiers and RLVR rewards for clinical reasoning tasks."""

__version__ = "0.1.0"
