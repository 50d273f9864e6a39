"""Detail pages: a case study, a council and a source (the inspection page is in ratings).

Every page answers ?format=json|bibtex|ris|csl-json as well as HTML, and a fixed
number of queries whatever the number of rows: each page's reads are in one function
(`intervention_for_detail()` …) built from select_related and Prefetch, and templates touch
only what those fetched. Inspections, judgements, spending lines and statistics are reached
through reverse relations and the model registry, never by importing `ratings`.
"""

from .council import CouncilDetail
from .intervention import InterventionDetail
from .organisation import OrganisationDetail
from .person import PersonDetail
from .source import SourceDetail

__all__ = [
    "CouncilDetail",
    "InterventionDetail",
    "OrganisationDetail",
    "PersonDetail",
    "SourceDetail",
]
