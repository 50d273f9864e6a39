from .details import InspectionDetail, data_page
from .lists import JudgementList, SpendingList

__all__ = ["InspectionDetail", "JudgementList", "SpendingList", "data_page"]
