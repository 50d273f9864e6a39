"""Curators' data-quality list for judgements whose grade looks wrong."""

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower

from .inspections import Judgement


class GradeToCheckManager(models.Manager):
    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .annotate(grade_lower=Lower("grade"), printed_lower=Lower("grade_as_printed"))
            .filter(
                # printed but not placed on the scale
                (Q(grade="") & ~Q(grade_as_printed=""))
                # stored on another framework's scale than its inspection's
                | ~Q(framework=F("inspection__framework"))
                # stored grade differs from the printed words
                | (~Q(grade_as_printed="") & ~Q(grade_lower=F("printed_lower")))
            )
        )


class JudgementToCheck(Judgement):
    objects = GradeToCheckManager()

    class Meta:
        proxy = True
        verbose_name = "judgement whose grade looks wrong"
        verbose_name_plural = "data quality: judgements whose grade looks wrong"
