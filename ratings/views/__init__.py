from .details import InspectionDetail
from .lists import JudgementList, SpendingList
from .opendata import data_download, data_page

__all__ = ["InspectionDetail", "JudgementList", "SpendingList", "data_download", "data_page"]
