from .details import InspectionDetail
from .lists import InspectionList, JudgementList, SpendingList, StatisticList
from .opendata import data_download, data_page

__all__ = [
    "InspectionDetail",
    "InspectionList",
    "JudgementList",
    "SpendingList",
    "StatisticList",
    "data_download",
    "data_page",
]
