from .details import InspectionDetail
from .lists import JudgementList, SpendingList

__all__ = ["InspectionDetail", "JudgementList", "SpendingList"]
