"""Inspection frameworks and the grade scales they publish on.

Each framework carries its own scale; the database refuses a grade that is not on it.
Scores order grades within a scale (higher is better) so charts can place them.
"""

from django.db import models
from django.db.models import Q


class Scale(models.TextChoices):
    STARS = "stars", "Star rating (0 to 3 stars)"
    APA = "apa", "Annual performance assessment grade (1 to 4)"
    OFSTED_2009 = "ofsted-2009", "Outstanding / Good / Adequate / Inadequate"
    OFSTED_SIF = "ofsted-sif", "Outstanding / Good / Requires improvement / Inadequate"


# grade as stored → score. Stored grades are the framework's own words or numbers.
SCALE_GRADES: dict[str, dict[str, int]] = {
    Scale.STARS: {"0 stars": 0, "1 star": 1, "2 stars": 2, "3 stars": 3},
    Scale.APA: {"1": 1, "2": 2, "3": 3, "4": 4},
    Scale.OFSTED_2009: {"Inadequate": 1, "Adequate": 2, "Good": 3, "Outstanding": 4},
    Scale.OFSTED_SIF: {"Inadequate": 1, "Requires improvement": 2, "Good": 3, "Outstanding": 4},
}


class Framework(models.TextChoices):
    CSCI_STARS = "csci-stars", "CSCI social services star rating"
    OFSTED_APA = "ofsted-apa", "Annual performance assessment of children's services"
    OFSTED_SLAC = (
        "ofsted-slac",
        "Ofsted inspection of safeguarding and looked after children services",
    )
    OFSTED_SIF = "ofsted-sif", "Ofsted single inspection framework"

    @property
    def scale(self) -> str:
        return FRAMEWORK_SCALES[self]


FRAMEWORK_SCALES: dict[str, str] = {
    Framework.CSCI_STARS: Scale.STARS,
    Framework.OFSTED_APA: Scale.APA,
    Framework.OFSTED_SLAC: Scale.OFSTED_2009,
    Framework.OFSTED_SIF: Scale.OFSTED_SIF,
}


def grades_for(framework: str) -> dict[str, int]:
    return SCALE_GRADES[FRAMEWORK_SCALES[framework]]


def score_for(framework: str, grade: str) -> int | None:
    return grades_for(framework).get(grade)


def grade_on_scale_condition(grade_field: str, score_field: str) -> Q:
    """A grade (with its score) on its framework's scale, or no grade and no score."""
    condition = Q(**{grade_field: "", f"{score_field}__isnull": True})
    for framework in Framework:
        for grade, score in grades_for(framework).items():
            condition |= Q(framework=framework, **{grade_field: grade, score_field: score})
    return condition


def equivalent_condition(grade_field: str, framework_field: str) -> Q:
    """A grade stated as an equivalent on another framework's scale (on that scale), or none."""
    condition = Q(**{grade_field: "", framework_field: ""})
    for framework in Framework:
        for grade in grades_for(framework):
            condition |= Q(**{framework_field: framework, grade_field: grade})
    return condition
