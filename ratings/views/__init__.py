from .compare import ComparePage, OutcomeList
from .details import InspectionDetail
from .lists import JudgementList, SpendingList
from .opendata import data_download, data_page

__all__ = [
    "ComparePage",
    "InspectionDetail",
    "JudgementList",
    "OutcomeList",
    "SpendingList",
    "data_download",
    "data_page",
]
