"""Curators' data-quality lists: proxies over the content models with a filtering manager."""

from django.db import models
from django.db.models import Q

from .bodies import Council
from .cases import Intervention


class WithoutDatesManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(start_date__isnull=True)


class InterventionWithoutDates(Intervention):
    objects = WithoutDatesManager()

    class Meta:
        proxy = True
        verbose_name = "intervention without dates"
        verbose_name_plural = "data quality: interventions without dates"


class WithoutTypeManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(Q(council_type="") | Q(region=""))


class CouncilWithoutType(Council):
    objects = WithoutTypeManager()

    class Meta:
        proxy = True
        verbose_name = "council without a type or region"
        verbose_name_plural = "data quality: councils without a type or region"
