from .details import CouncilDetail, InterventionDetail, SourceDetail
from .lists import CouncilList, InterventionList, SourceList, WorkstreamList
from .site import healthz, home, search

__all__ = [
    "CouncilDetail",
    "CouncilList",
    "InterventionDetail",
    "InterventionList",
    "SourceDetail",
    "SourceList",
    "WorkstreamList",
    "healthz",
    "home",
    "search",
]
