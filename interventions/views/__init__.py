from .details import (
    CouncilDetail,
    InterventionDetail,
    OrganisationDetail,
    PersonDetail,
    SourceDetail,
)
from .lists import (
    CouncilList,
    InterventionList,
    OrganisationList,
    PersonList,
    SourceList,
    WorkstreamList,
)
from .site import healthz, home, search

__all__ = [
    "CouncilDetail",
    "CouncilList",
    "InterventionDetail",
    "InterventionList",
    "OrganisationDetail",
    "OrganisationList",
    "PersonDetail",
    "PersonList",
    "SourceDetail",
    "SourceList",
    "WorkstreamList",
    "healthz",
    "home",
    "search",
]
