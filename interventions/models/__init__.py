from .bodies import Council, CouncilType, Organisation, OrganisationKind, Ownership, Region
from .cases import (
    DisagreementScope,
    Discrepancy,
    Intervention,
    InterventionKind,
    InterventionLink,
    Lesson,
    LessonKind,
    LinkKind,
    Milestone,
    Participant,
    ParticipantRole,
    Phase,
    ServiceArea,
    Status,
    TargetMet,
    Workstream,
)
from .common import (
    DateKind,
    DatePrecision,
    PartialDate,
    Qualifier,
    format_partial_date,
    partial_date_range,
)
from .counts import FactCount
from .people import Person, Post
from .quality import CouncilWithoutType, InterventionWithoutDates
from .search import SearchDocument
from .site import DataVersion
from .sources import Source, SourceKind
from .versions import RecordVersion

__all__ = [
    "Council",
    "CouncilType",
    "CouncilWithoutType",
    "DataVersion",
    "DateKind",
    "DatePrecision",
    "DisagreementScope",
    "Discrepancy",
    "FactCount",
    "Intervention",
    "InterventionKind",
    "InterventionLink",
    "InterventionWithoutDates",
    "Lesson",
    "LessonKind",
    "LinkKind",
    "Milestone",
    "Organisation",
    "OrganisationKind",
    "Ownership",
    "PartialDate",
    "Participant",
    "ParticipantRole",
    "Person",
    "Phase",
    "Post",
    "Qualifier",
    "RecordVersion",
    "Region",
    "SearchDocument",
    "ServiceArea",
    "Source",
    "SourceKind",
    "Status",
    "TargetMet",
    "Workstream",
    "format_partial_date",
    "partial_date_range",
]
