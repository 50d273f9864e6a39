from .details import CouncilDetail, InterventionDetail, OrganisationDetail, SourceDetail
from .lists import CouncilList, InterventionList, OrganisationList, SourceList, WorkstreamList
from .site import healthz, home, search

__all__ = [
    "CouncilDetail",
    "CouncilList",
    "InterventionDetail",
    "InterventionList",
    "OrganisationDetail",
    "OrganisationList",
    "SourceDetail",
    "SourceList",
    "WorkstreamList",
    "healthz",
    "home",
    "search",
]
