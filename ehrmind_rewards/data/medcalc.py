"""The MedCalc-Bench CSV reader under its earlier path (see ``ehrmind_rewards.tasks.medcalc``)."""

from ehrmind_rewards.tasks.medcalc.records import (
    MedCalcDataError,
    iter_medcalc_csv,
    read_medcalc_csv,
)

__all__ = ["MedCalcDataError", "iter_medcalc_csv", "read_medcalc_csv"]
