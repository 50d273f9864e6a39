"""The seed data agrees with itself and with the reports it came from."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from ratings.models import Judgement, SpendingLine, Statistic

pytestmark = pytest.mark.django_db

SEEDS = Path(settings.BASE_DIR).parent / "shared" / "seeds"
SOURCE_FILES = {
    "kcc-cabinet-2008-kent-swindon-partnership": "000_2985e89f3b7a952b.txt",
    "community-care-kent-managers-help-swindon": "001_b58fad33d35e3060.txt",
    "kcc-cabinet-2011-childrens-services-improvement-plan": "002_2c6032896af1c5f8.txt",
    "community-care-stoke-serco-partnership": "003_f026ee4e945d7da6.txt",
    "opm-2014-slough-childrens-social-care": "004_a9d24caeebec2894.txt",
}
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def printed_amount(as_printed: str) -> Decimal:
    """What a printed money figure means in pounds: "£820k", "£3.6 million", "14,922 (£'000)"."""
    number = Decimal(NUMBER.search(as_printed).group().replace(",", ""))
    text = as_printed.lower()
    if "£'000" in text or re.search(r"\d\s*k\b", text):
        return number * 1000
    if "million" in text or re.search(r"\d\s*m\b", text):
        return number * 1_000_000
    return number


def test_every_amount_in_pounds_matches_the_figure_as_printed(seeded):
    lines = list(SpendingLine.objects.all())
    assert lines
    for line in lines:
        assert line.amount_gbp == printed_amount(line.as_printed), (line.ref, line.as_printed)


def test_every_numeric_statistic_matches_the_figure_as_printed(seeded):
    checked = 0
    for stat in Statistic.objects.exclude(unit="ratio"):
        match = NUMBER.search(stat.as_printed)
        if match is None:
            continue  # printed in words ("no", "five and a half"): nothing to compare
        value = (
            printed_amount(stat.as_printed)
            if stat.unit == "gbp"
            else Decimal(match.group().replace(",", ""))
        )
        assert stat.value == value, (stat.ref, stat.as_printed, stat.value)
        checked += 1
    assert checked > 20


def test_slough_budget_lines_sit_within_their_totals(seeded):
    by_year = {}
    for line in SpendingLine.objects.filter(council__slug="slough", kind="budget"):
        by_year.setdefault(line.period, {})[line.line] = line.amount_gbp
    assert len(by_year) == 7
    for period, lines in by_year.items():
        part = next(v for k, v in lines.items() if k.startswith("Children & Families Social Care"))
        total = next(v for k, v in lines.items() if k.startswith("Total Children & Families"))
        assert part <= total, period


def test_kent_report_grants_add_up_to_the_articles_government_million(seeded):
    """The two sources split the government money differently but agree on its total."""
    kent = SpendingLine.objects.filter(
        source__slug="kcc-cabinet-2008-kent-swindon-partnership", kind="grant"
    )
    article = SpendingLine.objects.get(
        source__slug="community-care-kent-managers-help-swindon", kind="grant"
    )
    assert sum(line.amount_gbp for line in kent) == article.amount_gbp == Decimal("1000000")
    assert article.discrepancy is not None
    assert {line.discrepancy_id for line in kent} == {article.discrepancy_id}


def test_judgement_tables_keep_every_printed_row_in_order(seeded):
    counts = {}
    for judgement in Judgement.objects.filter(inspection__council__slug="slough"):
        counts[judgement.inspection.framework] = counts.get(judgement.inspection.framework, 0) + 1
    assert counts == {"ofsted-slac": 20, "ofsted-sif": 6}
    first = Judgement.objects.filter(framework="ofsted-slac").order_by("position")
    assert [(j.area, j.grade) for j in first[:2]] == [
        ("Overall effectiveness", "Inadequate"),
        ("Capacity for improvement", "Inadequate"),
    ]
    assert (first.last().area, first.last().grade) == ("Equality and diversity", "Outstanding")


# Text fields that hold names or titles as printed, not prose: they are kept exact.
PRINTED_AS_IS = {("interventions.Person", "variants"), ("interventions.Source", "authors")}


def own_words_fields() -> dict[str, tuple[str, ...]]:
    """Every prose field of every model that cites a source (and of Source itself): its text
    fields, and a short description written as a CharField, found through django.apps so that
    a new note or summary is checked without being listed here."""
    from django.apps import apps
    from django.db import models

    from interventions.models import Source
    from interventions.models.common import Cited

    found = {}
    for model in apps.get_models():
        if model._meta.proxy or not (issubclass(model, Cited) or model is Source):
            continue
        label = model._meta.label
        names = tuple(
            field.name
            for field in model._meta.concrete_fields
            if (isinstance(field, models.TextField) or field.name == "description")
            and (label, field.name) not in PRINTED_AS_IS
        )
        if names:
            found[label] = names
    return found


RUN = 10  # words in a row shared with the report that count as copying


def words(text: str) -> list[str]:
    text = text.replace("’", "'").replace("‘", "'").replace("–", "-")
    return re.findall(r"[A-Za-z0-9']+", text)


def runs(text: str, *, prose_only: bool = False) -> set[tuple[str, ...]]:
    """Every run of RUN words within one clause, lower-cased.

    Clauses end at semicolons, colons, brackets and line ends, so a list of printed service
    names is not read as one copied sentence. With prose_only, runs that are largely
    capitalised words in the original (names, posts, report titles, which must be kept exact)
    are left out.
    """
    found = set()
    for clause in re.split(r"[;:()\[\]\n]", text):
        w = words(clause)
        for i in range(len(w) - RUN + 1):
            run = w[i : i + RUN]
            if prose_only and sum(word[0].isupper() for word in run) * 5 >= RUN * 2:
                continue
            found.add(tuple(word.lower() for word in run))
    return found


@pytest.mark.skipif(
    not SEEDS.is_dir(), reason=f"the source reports are not beside the repo ({SEEDS})"
)
def test_descriptions_are_in_our_own_words_not_copied(seeded):
    from django.apps import apps

    report_runs = {
        slug: runs((SEEDS / name).read_text(encoding="utf-8"), prose_only=True)
        for slug, name in SOURCE_FILES.items()
    }
    copied = []
    for label, fields in own_words_fields().items():
        model = apps.get_model(label)
        for obj in model.objects.all():
            slug = obj.slug if label == "interventions.Source" else obj.source.slug
            for name in fields:
                shared = runs(getattr(obj, name)) & report_runs[slug]
                if shared:
                    copied.append((label, str(obj)[:40], name, " ".join(sorted(shared)[0])))
    assert not copied, "\n".join(" | ".join(item) for item in copied)


def test_own_words_check_covers_every_prose_field_of_every_cited_model():
    fields = {(label, name) for label, names in own_words_fields().items() for name in names}
    assert {
        ("interventions.Intervention", "summary"),
        ("interventions.Intervention", "status_note"),
        ("interventions.Intervention", "target_met_note"),
        ("interventions.Lesson", "text"),
        ("interventions.Milestone", "description"),
        ("interventions.Organisation", "description"),
        ("interventions.InterventionLink", "note"),
        ("interventions.Source", "notes"),
        ("ratings.Inspection", "summary"),
        ("ratings.SpendingLine", "note"),
        ("ratings.Statistic", "note"),
    } <= fields
    assert not fields & PRINTED_AS_IS
