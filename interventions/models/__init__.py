from .bodies import Council, CouncilType, Organisation, OrganisationKind, Ownership, Region
from .cases import (
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
from .common import DatePrecision, Qualifier, format_partial_date
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
    "DatePrecision",
    "Discrepancy",
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
]
