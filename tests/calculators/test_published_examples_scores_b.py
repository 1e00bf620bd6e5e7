"""Point scores checked against worked cases published by someone else.

Each case below was read in a retrieved public source that states the patient's findings *and*
the resulting score; the citation (and where in the source the case is) sits in the case id and
the comment above it. Only findings the source states are entered; anything it does not mention
is left out, which every score here treats as "criterion not met".

Scores for which no published worked case (findings plus total) was found in the search corpora
have no entry here: APACHE II (28), PSI/PORT (29), Charlson CCI (32), FeverPAIN (33),
Caprini 2005 (36), SOFA (43), CURB-65 (45; only an exam-preparation item was found) and SIRS
(51). They keep their hand-worked cases in test_scores.py.
"""

from __future__ import annotations

from typing import Any

import pytest

import calculators

PUBLISHED_CASES: list[Any] = [
    # PERC (Kline 2004), a PERC-negative patient: Mount Sinai Emergency Medicine residency,
    # "Clinical Pearl Thursday, June 7" (sinaiem.org/foam/clinical-peal-thursday-june-7/), the
    # case at the top of the post: 45-year-old woman, HR 71, SpO2 98 % on room air, no signs or
    # symptoms of DVT, denies haemoptysis, OCP/oestrogen use, prior VTE and recent surgery;
    # "the patient meets the PERC rule" -> none of the eight criteria present (0).
    pytest.param(
        48,
        {
            "age": [45, "years"],
            "Heart Rate or Pulse": [71, "beats per minute"],
            "O₂ saturation percentage": [98, "%"],
            "Unilateral Leg Swelling": False,
            "Hemoptysis": False,
            "Hormone use": False,
            "Previously Documented Pulmonary Embolism": False,
            "Previously documented Deep Vein Thrombosis": False,
            "Recent surgery or trauma": False,
        },
        0,
        id="48-perc-negative-sinaiem-clinical-pearl-june-7",
    ),
    # PERC, a second PERC-negative patient: case report by Hennessey et al. in Annals of
    # Emergency Medicine (saddle PE in a PERC-negative patient), read in the summary "just to
    # scare you: saddle PE that didn't read the textbook", Daily EM blog, 23 January 2013
    # (dailyem.wordpress.com), the case block: 42-year-old woman, pulse 92, SpO2 100 % on room
    # air, no history of DVT, no OCPs; "low risk Well's, PERC negative" -> 0. Findings the
    # summary does not mention (haemoptysis, leg swelling, surgery, prior PE) are left out.
    pytest.param(
        48,
        {
            "age": [42, "years"],
            "Heart Rate or Pulse": [92, "beats per minute"],
            "O₂ saturation percentage": [100, "%"],
            "Previously documented Deep Vein Thrombosis": False,
            "Hormone use": False,
        },
        0,
        id="48-perc-negative-hennessey-ann-emerg-med-via-dailyem-2013",
    ),
]


@pytest.mark.parametrize(("cid", "entities", "published_total"), PUBLISHED_CASES)
def test_published_worked_case(cid: int, entities: dict[str, Any], published_total: int) -> None:
    assert calculators.compute_from_entities(cid, entities).value == published_total
