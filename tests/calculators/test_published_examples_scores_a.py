"""Point scores checked against worked examples printed in published sources.

Each case below uses only findings and a total that a published source states for one patient;
the expected value is that source's total, not a number worked out from our own code or tables.
The citation (and where in the source the example sits) is the case's pytest id and comment.

Scores in this group (MedCalc-Bench IDs 4, 8, 15, 16, 17, 18, 20, 21, 25, 27) for which no
published worked example (findings plus stated total, from the original paper, a guideline or a
peer-reviewed/reference text) could be retrieved have no case here; see the branch's closing note.
"""

from __future__ import annotations

from typing import Any

import pytest

import calculators

PUBLISHED_CASES: list[Any] = [
    # Anđelić S. "Wells' score for early prehospital screening of pulmonary embolism" (case
    # report). Signa Vitae. 2016;12(Suppl 1):131-133. doi:10.22514/SV121.102016.25 — "Case
    # scenario": a 27-year-old man, knee immobilised in a splint with bed rest for the ten days
    # before, pulse 120/min, no cough/haemoptysis or cancer mentioned; the authors compute
    # "a Wells' score of 6": immobilisation 1.5 + tachycardia (pulse 120/min) 1.5 + alternative
    # diagnosis less probable than PE 3.
    # Retrieved from https://www.signavitae.com/articles/10.22514/SV121.102016.25
    pytest.param(
        8,
        {
            "Immobilization for at least 3 days": True,
            "Heart Rate or Pulse": [120, "beats per minute"],
            "Pulmonary Embolism is #1 diagnosis OR equally likely": True,
            "Clinical signs and symptoms of Deep Vein Thrombosis": False,
            "Surgery in the previous 4 weeks": False,
            "Previously Documented Pulmonary Embolism": False,
            "Previously documented Deep Vein Thrombosis": False,
            "Hemoptysis": False,
            "Malignancy with treatment within 6 months or palliative": False,
        },
        6.0,
        id="wells_pe-Andjelic-SignaVitae-2016-case-scenario-score-6",
    ),
    # J Neurol Neurosurg Psychiatry (BMJ), Table 1 "Glasgow coma scale. Adapted from Teasdale
    # et al", recording note: "Record as E4; M6; V5 = 15" — eyes open spontaneously, obeys
    # commands, oriented = 15. Retrieved as the table alone (the host article's title was not
    # part of what was retrieved): https://jnnp.bmj.com/highwire/markup/166537/expansion
    pytest.param(
        21,
        {
            "Best eye response": "eyes open spontaneously",
            "Best verbal response": "oriented",
            "Best motor response": "obeys commands",
        },
        15,
        id="gcs-JNNP-Table1-adapted-from-Teasdale-record-E4-M6-V5-equals-15",
    ),
]


@pytest.mark.parametrize(("cid", "ents", "expected"), PUBLISHED_CASES)
def test_published_worked_example(cid: int, ents: dict[str, Any], expected: float) -> None:
    assert calculators.compute_from_entities(cid, ents).value == expected
