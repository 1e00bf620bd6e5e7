"""Glasgow Coma Scale (MedCalc-Bench ID 21): eye (1–4) + verbal (1–5) + motor (1–6).

A component recorded as "not testable" (e.g. intubated, eyes swollen shut) has no published
score; following the benchmark's explanation text (and MDCalc), it is taken as the component's
normal value (eye 4, verbal 5, motor 6) and the explanation says so.
"""

from calculators.base import CalculatorInfo, Category, OutputKind
from calculators.criteria import ScoreTable, by_choice, choice
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

TABLE = ScoreTable(
    info=CalculatorInfo(
        id=21,
        slug="gcs",
        name="Glasgow Coma Score (GCS)",
        category=Category.SEVERITY,
        output_kind=OutputKind.INTEGER,
        unit="points",
        citation=CITATION,
    ),
    inputs=(
        choice("eye", "Best eye response", "Best eye response", choices=EYE),
        choice("verbal", "Best verbal response", "Best verbal response", choices=VERBAL),
        choice("motor", "Best motor response", "Best motor response", choices=MOTOR),
    ),
    criteria=(
        by_choice(
            "Eye opening",
            "eye",
            {"spontaneous": 4, "to verbal command": 3, "to pain": 2, "none": 1, "not testable": 4},
        ),
        by_choice(
            "Verbal response",
            "verbal",
            {
                "oriented": 5,
                "confused": 4,
                "inappropriate words": 3,
                "incomprehensible sounds": 2,
                "none": 1,
                "not testable": 5,
            },
        ),
        by_choice(
            "Motor response",
            "motor",
            {
                "obeys commands": 6,
                "localizes pain": 5,
                "withdrawal from pain": 4,
                "flexion to pain": 3,
                "extension to pain": 2,
                "none": 1,
                "not testable": 6,
            },
        ),
    ),
    score_range=(3, 15),
    missing_convention="all three components are required; a component recorded as 'not "
    "testable' is taken as normal (eye 4, verbal 5, motor 6).",
)

register(TABLE)
