from .inspections import Inspection, Judgement, ServiceScope
from .money import SpendingKind, SpendingLine, Statistic, Unit
from .quality import JudgementToCheck
from .scales import FRAMEWORK_SCALES, SCALE_GRADES, Framework, Scale, grades_for, score_for

__all__ = [
    "FRAMEWORK_SCALES",
    "SCALE_GRADES",
    "Framework",
    "Inspection",
    "Judgement",
    "JudgementToCheck",
    "Scale",
    "ServiceScope",
    "SpendingKind",
    "SpendingLine",
    "Statistic",
    "Unit",
    "grades_for",
    "score_for",
]
