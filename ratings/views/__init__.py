from .compare import ComparePage, OutcomeList
from .details import InspectionDetail
from .lists import InspectionList, JudgementList, SpendingList, StatisticList
from .opendata import data_download, data_page

__all__ = [
    "ComparePage",
    "InspectionDetail",
    "InspectionList",
    "JudgementList",
    "OutcomeList",
    "SpendingList",
    "StatisticList",
    "data_download",
    "data_page",
]
