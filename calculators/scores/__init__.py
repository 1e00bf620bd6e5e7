"""The 19 point-based clinical scores of MedCalc-Bench, one module per score.

Each module declares its score as a :class:`calculators.criteria.ScoreTable` and registers it on
import. Importing this package registers them all.
"""

from calculators.scores import (
    apache_ii,
    caprini,
    centor,
    cha2ds2_vasc,
    charlson,
    child_pugh,
    curb_65,
    feverpain,
    gcs,
    glasgow_blatchford,
    has_bled,
    heart,
    perc,
    psi,
    rcri,
    sirs,
    sofa,
    wells_dvt,
    wells_pe,
)

__all__ = [
    "apache_ii",
    "caprini",
    "centor",
    "cha2ds2_vasc",
    "charlson",
    "child_pugh",
    "curb_65",
    "feverpain",
    "gcs",
    "glasgow_blatchford",
    "has_bled",
    "heart",
    "perc",
    "psi",
    "rcri",
    "sirs",
    "sofa",
    "wells_dvt",
    "wells_pe",
]
