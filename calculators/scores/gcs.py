"""Glasgow Coma Scale (MedCalc-Bench ID 21): eye (1–4) + verbal (1–5) + motor (1–6).

A component recorded as "not testable" (e.g. intubated, eyes swollen shut, paralysed) has no
published score: Teasdale and Jennett (1974) give none and MDCalc records it as "NT" without a
total. A total needs a number, so convention ``not_testable`` decides it: ``normal`` (default)
takes the component's best response (eye 4, verbal 5, motor 6), the benchmark's explanation text
and the ICU severity scores' habit of not counting what cannot be assessed against the patient;
``one`` takes the lowest response (1), as "1T" is recorded for an intubated verbal response.
The explanation says which was used.
"""

from collections.abc import Mapping

from calculators.base import CalculatorInfo, Category, OutputKind
from calculators.conventions import Convention, Option
from calculators.criteria import Criterion, Points, ScoreTable, Values, choice, derived
from calculators.registry import register

CITATION = (
    "Teasdale G, Jennett B. Assessment of coma and impaired consciousness. A practical scale. "
    "Lancet. 1974;2(7872):81-84. doi:10.1016/s0140-6736(74)91639-0"
)

EYE = {
    "spontaneous": ("eyes open spontaneously", "spontaneously", "eyes open spontaneously "),
    "to verbal command": ("eye opening to verbal command", "to speech", "to sound"),
    "to pain": ("eye opening to pain", "to pressure"),
    "none": ("no eye opening",),
    "not testable": ("nt",),
}
VERBAL = {
    "oriented": (),
    "confused": (),
    "inappropriate words": ("words",),
    "incomprehensible sounds": ("sounds",),
    "none": ("no verbal response",),
    "not testable": ("nt",),
}
MOTOR = {
    "obeys commands": (),
    "localizes pain": ("localises pain", "localizes to pain"),
    "withdrawal from pain": ("withdraws from pain", "normal flexion"),
    "flexion to pain": ("abnormal flexion", "decorticate"),
    "extension to pain": ("extension", "decerebrate"),
    "none": ("no motor response",),
    "not testable": ("nt",),
}

NOT_TESTABLE = Convention(
    "not_testable",
    "the points of a component recorded as not testable",
    (
        Option(
            "normal",
            "the component's best response (eye 4, verbal 5, motor 6)",
            "MedCalc-Bench's explanation text (“we assume that it gets the full score”)",
        ),
        Option(
            "one",
            "the lowest response, 1",
            "the “1T” recording of an intubated verbal response; Teasdale G, Maas A, Lecky F, "
            "et al. The Glasgow Coma Scale at 40 years. Lancet Neurol. 2014;13(8):844-854",
        ),
    ),
    "Teasdale and Jennett (1974) and MDCalc give no number; the benchmark's reference "
    "explanation takes the component as normal",
)


def _component(label: str, name: str, points: Mapping[str, Points]) -> Criterion:
    """Points of one component by its response; "not testable" by the convention."""
    best = max(points.values())

    def rule(values: Values) -> tuple[Points, str]:
        response = values.get(name)
        if response == "not testable":
            if values.conventions["not_testable"] == "one":
                return 1, "'not testable', scored as the lowest response"
            return best, "'not testable', taken as the best response"
        assert isinstance(response, str)
        return points[response], f"'{response}'"

    return derived(label, (name,), rule)


TABLE = ScoreTable(
    info=CalculatorInfo(
        id=21,
        slug="gcs",
        name="Glasgow Coma Score (GCS)",
        category=Category.SEVERITY,
        output_kind=OutputKind.INTEGER,
        unit="points",
        citation=CITATION,
        conventions=(NOT_TESTABLE,),
    ),
    inputs=(
        choice("eye", "Best eye response", "Best eye response", choices=EYE),
        choice("verbal", "Best verbal response", "Best verbal response", choices=VERBAL),
        choice("motor", "Best motor response", "Best motor response", choices=MOTOR),
    ),
    criteria=(
        _component(
            "Eye opening",
            "eye",
            {"spontaneous": 4, "to verbal command": 3, "to pain": 2, "none": 1},
        ),
        _component(
            "Verbal response",
            "verbal",
            {
                "oriented": 5,
                "confused": 4,
                "inappropriate words": 3,
                "incomprehensible sounds": 2,
                "none": 1,
            },
        ),
        _component(
            "Motor response",
            "motor",
            {
                "obeys commands": 6,
                "localizes pain": 5,
                "withdrawal from pain": 4,
                "flexion to pain": 3,
                "extension to pain": 2,
                "none": 1,
            },
        ),
    ),
    score_range=(3, 15),
    missing_convention="all three components are required; a component recorded as 'not "
    "testable' is scored by the not_testable convention.",
)

register(TABLE)
