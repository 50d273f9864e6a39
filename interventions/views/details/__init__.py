"""Detail pages: a case study, a council and a source (the inspection page is in ratings).

Every page answers ?format=json|bibtex|ris|csl-json as well as HTML, and a fixed
number of queries whatever the number of rows. A page is the ordered list of sections its
apps registered (interventions.sections): the record itself is read by the QuerySet method
named for the page (`Intervention.objects.for_detail()` …), each section's long list by one
capped query of its own, and templates touch only what those fetched. Inspections,
judgements, spending lines and statistics are reached through reverse relations and the
sections `ratings` registers, never by importing `ratings`.
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
