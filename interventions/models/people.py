"""People the reports name: each a record of their own, with the posts they held.

A person is kept with their name exactly as the report prints it (misprints included) and
the other ways the reports print it as variants, so that the same person named in several
places (or several reports) is one record. Their roles in interventions are the
participants (`Participant.person`) that name them.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from .bodies import Council, Organisation
from .common import (
    Cited,
    Fact,
    HasPartialDates,
    PublishedQuerySet,
    SlugManager,
    date_order_constraint,
    partial_date_constraint,
    partial_date_fields,
    partial_date_parts,
    partial_date_parts_constraint,
    published_field,
    slug_url,
)


class PersonQuerySet(PublishedQuerySet):
    public_flags = ("published",)

    def for_detail(self):
        """What the person page reads with the person: the report that first names them (its
        sections read the posts and the roles, each in one capped query)."""
        return self.select_related("source")

    def for_list(self):
        """The people list: each person with how many posts and roles they have (public)."""
        from .cases import Participant

        def count(model, field):
            rows = (
                model.objects.published()
                .filter(**{field: models.OuterRef("pk")})
                .order_by()
                .values(field)
                .annotate(n=models.Count("pk"))
                .values("n")
            )
            return models.functions.Coalesce(models.Subquery(rows), models.Value(0))

        return self.select_related("source").annotate(
            n_posts=count(Post, "person"),
            n_participations=count(Participant, "person"),
        )


class Person(Fact):
    """Someone a report names. The source and locator say where a report first names them."""

    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField(
        max_length=200,
        help_text=(
            "Exactly as the report prints it, titles and misprints included "
            '("Professor Julian Le Grand").'
        ),
    )
    variants = models.TextField(
        "other printed forms",
        blank=True,
        default="",
        help_text="Other ways the reports print this name, one per line, exactly as printed.",
    )
    note = models.TextField(blank=True, default="", help_text="For readers, in our own words.")
    published = published_field()

    objects = SlugManager.from_queryset(PersonQuerySet)()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = "person"
        verbose_name_plural = "people"
        constraints = [
            *Cited.Meta.constraints,
            models.CheckConstraint(condition=~Q(slug=""), name="person_slug_not_blank"),
            models.CheckConstraint(condition=~Q(name=""), name="person_name_not_blank"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_url("interventions:person-detail", self.slug)

    def natural_key(self):
        return (self.slug,)

    natural_key.dependencies = ["interventions.source"]

    @property
    def variant_list(self) -> list[str]:
        return [line.strip() for line in self.variants.splitlines() if line.strip()]


class PostQuerySet(PublishedQuerySet):
    public_flags = ("person__published", "source__published")


class PostManager(models.Manager.from_queryset(PostQuerySet)):
    def get_by_natural_key(self, person_slug, position):
        return self.get(person__slug=person_slug, position=position)


class Post(HasPartialDates, Fact):
    """A post a person held, as printed, with the body it was in and the dates printed."""

    partial_dates = (
        "start_date",
        "end_date",
    )
    date_ranges = (("start_date", "end_date"),)

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="posts")
    position = models.PositiveSmallIntegerField(help_text="Order among this person's posts.")
    title = models.CharField(
        max_length=300, help_text='As printed, e.g. "Interim Corporate Director".'
    )
    council = models.ForeignKey(
        Council,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="posts",
        help_text="The council the post was in, if the report says.",
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="posts",
        help_text="The organisation the post was in, if the report says.",
    )
    start_date, start_date_precision = partial_date_fields("start date")
    (
        start_date_year,
        start_date_month,
        start_date_day,
        start_date_year_inferred,
        start_date_kind,
        start_date_note,
    ) = partial_date_parts("start date")
    end_date, end_date_precision = partial_date_fields("end date")
    (
        end_date_year,
        end_date_month,
        end_date_day,
        end_date_year_inferred,
        end_date_kind,
        end_date_note,
    ) = partial_date_parts("end date")

    objects = PostManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["person", "position"]
        verbose_name = "post held"
        verbose_name_plural = "posts held"
        constraints = [
            *Cited.Meta.constraints,
            models.UniqueConstraint(fields=["person", "position"], name="post_position_unique"),
            models.CheckConstraint(condition=~Q(title=""), name="post_title_not_blank"),
            models.CheckConstraint(
                condition=~(Q(council__isnull=False) & Q(organisation__isnull=False)),
                name="post_one_body",
            ),
            partial_date_constraint("start_date", "post_start_precision"),
            partial_date_parts_constraint("start_date", "post_start_parts_valid"),
            partial_date_constraint("end_date", "post_end_precision"),
            partial_date_parts_constraint("end_date", "post_end_parts_valid"),
            date_order_constraint("start_date", "end_date", "post_end_after_start"),
        ]

    def __str__(self):
        body = self.council or self.organisation
        return f"{self.title}, {body}" if body else self.title

    def get_absolute_url(self):
        return f"{self.person.get_absolute_url()}#post-{self.position}"

    def natural_key(self):
        return (self.person.slug, self.position)

    natural_key.dependencies = [
        "interventions.person",
        "interventions.council",
        "interventions.organisation",
    ]

    def clean(self):
        if self.council_id and self.organisation_id:
            raise ValidationError("A post is in a council or an organisation, not both.")
        self.clean_partial_dates()

    @property
    def body(self):
        return self.council or self.organisation

    @property
    def start_display(self) -> str:
        return self.date_parts("start_date").display()

    @property
    def end_display(self) -> str:
        return self.date_parts("end_date").display()
