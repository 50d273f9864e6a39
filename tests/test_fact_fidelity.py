"""Every fact row says what its report says, where its locator says the report says it.

For each row of every model that cites a source (every subclass of Cited, found through
django.apps), read from the seed fixtures:

- its locator follows the grammar of interventions.locators and names text in its report;
- its printed figures, grades, dates and names are printed within that text (whitespace and
  quote styles aside), so a figure printed elsewhere in the report does not count;
- its structured claims (an intervention's status and target met, a participant's role) have
  a trigger word in that text, or are listed in tests/fidelity_inferences.py with a reason.

Test ids name the row ("participant:kent-swindon-partnership/3"), so a failure names it.
"""

import datetime
import re
from functools import cache
from pathlib import Path

import pytest
import yaml
from django.apps import apps
from django.conf import settings

from interventions.locators import LocatorError, norm, parse, resolve
from interventions.models.common import Cited

from .fidelity_inferences import ALLOWED, OWN_COUNCIL_ROWS
from .test_seed_fidelity import SEEDS, SOURCE_FILES

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
# Parts of a report that carry no printed heading of their own, named by their opening words.
PARTS = {
    "kcc-cabinet-2011-childrens-services-improvement-plan": {
        "chair's report": "FIRST QUARTERLY REPORT",
    },
}
MONTHS = [datetime.date(2000, m, 1).strftime("%B") for m in range(1, 13)]

needs_reports = pytest.mark.skipif(
    not SEEDS.is_dir(), reason=f"the source reports are not beside the repo ({SEEDS})"
)


def cited_models() -> list:
    return [m for m in apps.get_models() if issubclass(m, Cited) and not m._meta.proxy]


@cache
def fixture_rows() -> tuple:
    rows = []
    for path in sorted(FIXTURES.glob("*.yaml")):
        for row in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            rows.append((row["model"].lower(), row["fields"]))
    return tuple(rows)


def one(value):
    """A natural key as fixtures write it: [slug] → slug, [slug, 3] → "slug/3"."""
    if isinstance(value, list):
        return "/".join(str(v) for v in value)
    return value


@cache
def by_slug(label: str) -> dict:
    return {fields["slug"]: fields for model, fields in fixture_rows() if model == label}


def row_id(label: str, fields: dict) -> str:
    name = label.split(".")[1]
    if "slug" in fields:
        key = fields["slug"]
    elif name == "post":
        key = f"{one(fields['person'])}/{fields['position']}"
    elif name == "judgement":
        key = f"{one(fields['inspection'])}/{fields['position']}"
    elif "ref" in fields:
        key = f"{one(fields['source'])}/{fields['ref']}"
    elif name == "ownership":
        key = f"{one(fields['organisation'])}>{one(fields['council'])}"
    elif name == "interventionlink":
        key = f"{one(fields['from_intervention'])}>{one(fields['to_intervention'])}"
    else:
        key = f"{one(fields['intervention'])}/{fields['position']}"
    return f"{name}:{key}"


CITED_LABELS = {m._meta.label_lower for m in cited_models()}
FACTS = [
    pytest.param(label, fields, id=row_id(label, fields))
    for label, fields in fixture_rows()
    if label in CITED_LABELS
]


@cache
def report(slug: str) -> str:
    return (SEEDS / SOURCE_FILES[slug]).read_text(encoding="utf-8")


def located(fields: dict) -> str:
    slug = one(fields["source"])
    return "\n".join(resolve(report(slug), fields["locator"], PARTS.get(slug)))


def printed_in(value: str, text: str) -> bool:
    """Printed verbatim, or, for a value read across a table's cells ("10,185 (£'000)", a grade
    with its section), each of its parts printed."""
    text = norm(text)

    def found(part: str) -> bool:  # whole words: "Adequate" is not found in "Inadequate"
        return re.search(rf"(?<!\w){re.escape(norm(part))}(?!\w)", text) is not None

    if found(value):
        return True
    parts = [p for p in re.split(r"\s+[-–]\s+|[();:]", value) if p.strip()]
    return len(parts) > 1 and all(found(part) for part in parts)


# -- what each row prints ---------------------------------------------------------------


def variants(text: str) -> list[str]:
    """Printed forms kept in a list field: "SBC (in the Slough report); Slough" → both."""
    forms = []
    for part in re.split(r"[;\n]", text or ""):
        part = re.sub(r"\s*\((?:in|printed|as printed|misprinted)[^)]*\)", "", part).strip()
        printed = re.findall(r'printed as "([^"]+)"', text or "")
        forms.extend([part, *printed] if part else printed)
    return [f for f in forms if f]


COUNCIL_WORDS = re.compile(
    r"^(?:London Borough of |Royal Borough of )|\s(?:County|Borough|City|Metropolitan Borough)?"
    r"\s?Council$"
)


def body_names(kind: str, slug) -> list[str]:
    slug = one(slug)
    if kind == "council":
        row = by_slug("interventions.council")[slug]
        # The official name, the forms the reports print, and the place name itself ("Kent").
        short = COUNCIL_WORDS.sub("", row["name"]).strip()
        return [row["name"], *variants(row.get("also_known_as", "")), short]
    if kind == "organisation":
        row = by_slug("interventions.organisation")[slug]
        names = [row["name"], *([row["abbreviation"]] if row.get("abbreviation") else [])]
        for owner in owners(slug):  # see fidelity_inferences.COUNCIL_PREFIX
            place = body_names("council", owner)[-1]
            if row["name"].startswith(f"{place} "):
                names.append(row["name"][len(place) + 1 :])
        return names
    row = by_slug("interventions.person")[slug]
    return [row["name"], *variants(row.get("variants", ""))]


@cache
def owners(organisation: str) -> tuple[str, ...]:
    """The councils an organisation belongs to (its ownership rows)."""
    return tuple(
        one(fields["council"])
        for model, fields in fixture_rows()
        if model == "interventions.ownership" and one(fields["organisation"]) == organisation
    )


BODY_FIELDS = {
    "council": "council",
    "organisation": "organisation",
    "person": "person",
    "payer_council": "council",
    "payer_organisation": "organisation",
    "payee_council": "council",
    "payee_organisation": "organisation",
}


def named_in_report(organisation, source: str) -> bool:
    """Whether an organisation's name (or abbreviation) is printed anywhere in a report."""
    return any(
        printed_in(form, report(source)) for form in body_names("organisation", organisation)
    )


@cache
def own_council(source: str) -> str | None:
    """The council that published a report (its own reports need not name it)."""
    publisher = by_slug("interventions.source").get(source, {}).get("publisher")
    councils = by_slug("interventions.council")
    return next((slug for slug, row in councils.items() if row["name"] == publisher), None)


def printed_values(label: str, fields: dict) -> list[tuple[str, list[str]]]:
    """(what, [printed forms, any of which will do]) for every printed value of a row."""
    name = label.split(".")[1]
    values = []
    own = own_council(one(fields.get("source")))
    subject = by_slug("interventions.intervention").get(one(fields.get("intervention")), {})
    for field, value in fields.items():
        if not value:
            continue
        if field == "council" and one(value) == own and name in OWN_COUNCIL_ROWS:
            continue  # see fidelity_inferences.OWN_COUNCIL_ROWS
        if field == "council" and name == "participant" and value == subject.get("subject_council"):
            continue  # see fidelity_inferences.SUBJECT_COUNCIL
        if (
            field == "organisation"
            and name != "organisation"
            and not named_in_report(value, one(fields["source"]))
        ):
            continue  # a descriptive name: checked (and allowed, with a reason) on its own row
        if field == "as_printed" or field.endswith("_as_printed"):
            values.append((field, [value]))
        elif field in BODY_FIELDS and name not in ("spendingline", "statistic", "inspection"):
            values.append((field, body_names(BODY_FIELDS[field], value)))
    if name == "judgement":
        values.append(("area", [fields["area"]]))
        if not fields.get("grade_as_printed") and fields.get("grade"):
            values.append(("grade", [fields["grade"]]))
    if name in ("council", "organisation", "person"):
        values.append(("name", body_names(name, fields["slug"])))
    if name == "participant" and fields.get("person_name"):
        values.append(("person_name", [fields["person_name"]]))
    if name == "participant" and fields.get("post"):
        values.append(("post", [fields["post"]]))
    if name == "post":
        values.append(("title", [fields["title"]]))
    return values


def date_printed(text: str, year, month, day, year_inferred: bool) -> bool:
    """Whether a date is printed in text as precisely as it is stored: "October 2004",
    "14 January 2008", "4th and 15th April 2011" (for the 4th), "21 February" for a date whose
    year is not printed (none, or inferred from context)."""
    text = " ".join(text.replace("–", "-").split())
    printed_year = year is not None and not year_inferred
    if month is None:
        if not printed_year:
            return True  # only an inferred year: nothing printed to find
        # "2012", or the end of "2011-12" or "2011/12"
        short = rf"\b{year - 1}[-/]{year % 100:02d}\b"
        return re.search(rf"\b{year}\b", text) is not None or re.search(short, text) is not None
    month_part = rf"\b{MONTHS[month - 1]}\b"
    if printed_year:
        month_part += rf"[^.;]{{0,40}}?\b{year}\b"
    if day is None:
        return re.search(month_part, text) is not None
    return re.search(rf"\b{day}(?:st|nd|rd|th)?\b[^.;]{{0,30}}?{month_part}", text) is not None


def dates(label: str, fields: dict) -> list[tuple[str, tuple]]:
    """Each stored date of a row as (field, (year, month, day, year inferred))."""
    model = apps.get_model(label)
    return [
        (
            field,
            (
                fields.get(f"{field}_year"),
                fields.get(f"{field}_month"),
                fields.get(f"{field}_day"),
                bool(fields.get(f"{field}_year_inferred")),
            ),
        )
        for field in getattr(model, "partial_dates", ())
        if any(fields.get(f"{field}_{part}") is not None for part in ("year", "month", "day"))
    ]


# -- the structured claims and the words that state them --------------------------------

STATUS_TRIGGERS = {
    "completed": (
        r"\b(ended|end of|concluded|completed|finished|withdrawal|phased out|over the|conducted"
        r"|carried out|there was)\b"
    ),
    "active": (
        r"\b(now|currently|continu\w*|ongoing|under ?way|in place|is running|remains?|is being"
        r"|are being|is registered|provides|one year on)\b"
    ),
    "proposed": r"\b(propos\w*|suggest\w*|raised)\b",
    "recommended": r"\brecommend\w*",
    "rejected": r"\b(do not support|reject\w*|not to meet|found them not|not readily available)\b",
}
TARGET_TRIGGERS = {
    "met": r"\b(achiev\w*|success\w*|met|reached)\b",
    "partly": r"\b(fell short|partly|partially|although|even if)\b",
    "not-met": r"\b(fell short|failed|not met|did not)\b",
}
ROLE_TRIGGERS = {
    "lead-partner": r"\b(lead\w*|led)\b",
    "partner": r"\b(partner\w*|joint\w*)",
    "provider": r"\b(provid\w*|run|contract\w*|deliver\w*)",
    "subcontractor": r"\b(worked with|sub-?contract\w*|asked)",
    "funder": r"\b(fund\w*|contribut\w*|pa(?:y|id)|grant\w*|met by|support relevant costs)",
    "oversight": r"\b(notice|monitor\w*|overs(?:ee|aw)\w*|oversight|issued|represented|direct\w*)",
    "reviewer": r"\b(review\w*|report to|inspect\w*)",
    "chair": r"\bchair\w*",
    "commissioner": r"\bcommissioner\w*",
    "board": r"\b(board\w*|steering group)",
    "leadership": (
        r"\b(director|chief executive|leader\w*|leads?|lead member|head|manager\w*|member)\b"
    ),
    "adviser": r"\b(advi[sc]\w*|mentor\w*|expert\w*|consult\w*)",
    "contributor": (
        r"\b(contribut\w*|interview\w*|meet\w*|met|spoke|workshop\w*|represent\w*|seconded"
        r"|support\w*|conversations)"
    ),
}


def claims(label: str, fields: dict) -> list[tuple[str, str, str]]:
    """(check, value, trigger pattern) for each structured claim of a row."""
    name = label.split(".")[1]
    found = []
    if name == "intervention":
        status = fields.get("status")
        if status in STATUS_TRIGGERS:
            found.append(("status", status, STATUS_TRIGGERS[status]))
        target = fields.get("target_met")
        if target in TARGET_TRIGGERS:
            found.append(("target_met", target, TARGET_TRIGGERS[target]))
    if name == "participant" and fields.get("role") in ROLE_TRIGGERS:
        found.append(("role", fields["role"], ROLE_TRIGGERS[fields["role"]]))
    return found


def problems(label: str, fields: dict) -> dict[str, str]:
    """Every check this row fails, by check name."""
    text = located(fields)
    found = {}
    for what, forms in printed_values(label, fields):
        if not any(printed_in(form, text) for form in forms):
            found[what] = f"{forms[0]!r} is not printed where the locator points"
    source = by_slug("interventions.source")[one(fields["source"])]
    source_date = tuple(source.get(f"date_{part}") for part in ("year", "month", "day"))
    for what, parts in dates(label, fields):
        if what == "status_as_of" and parts[:3] == source_date:
            continue  # see fidelity_inferences.STATUS_AS_OF_REPORT_DATE
        if not date_printed(text, *parts):
            shown = "-".join("?" if part is None else str(part) for part in parts[:3])
            found[what] = f"{what} {shown} is not printed where the locator points"
    for what, value, pattern in claims(label, fields):
        if not re.search(pattern, norm(text)):
            found[what] = f"{what} {value!r}: nothing in the located text says so"
    return found


# -- the tests --------------------------------------------------------------------------


def test_every_model_that_cites_a_source_has_its_rows_checked():
    """The checks below run over the fixtures' rows of every Cited model, found by django.apps:
    a new model that cites a source is checked without being listed here."""
    labels = {label for label, _ in fixture_rows()}
    assert {"ratings.spendingline", "interventions.participant"} <= CITED_LABELS
    assert labels & CITED_LABELS == CITED_LABELS
    assert len(FACTS) > 600


@pytest.mark.django_db
def test_the_checked_rows_are_every_seeded_fact(seeded):
    counts = {}
    for label, _ in fixture_rows():
        counts[label] = counts.get(label, 0) + 1
    for model in cited_models():
        assert model.objects.count() == counts.get(model._meta.label_lower, 0), model


@needs_reports
@pytest.mark.parametrize(("label", "fields"), FACTS)
def test_locator_names_text_in_its_report(label, fields):
    try:
        parse(fields["locator"])
        text = located(fields)
    except LocatorError as exc:
        pytest.fail(f"{fields['locator']!r}: {exc}")
    assert text.strip()


@needs_reports
@pytest.mark.parametrize(("label", "fields"), FACTS)
def test_printed_values_and_claims_are_in_the_located_text(label, fields):
    key = row_id(label, fields)
    found = {
        check: message
        for check, message in problems(label, fields).items()
        if f"{key} {check}" not in ALLOWED
    }
    assert not found, f"{fields['locator']!r}: " + "; ".join(found.values())


@needs_reports
def test_every_allowed_inference_is_still_needed_and_has_a_reason():
    rows = {row_id(label, fields): (label, fields) for label, fields in fixture_rows()}
    stale = []
    for key, reason in ALLOWED.items():
        row_key, check = key.rsplit(" ", 1)
        assert len(reason) > 30, f"{key}: give a reason a reviewer can check"
        if row_key not in rows or check not in problems(*rows[row_key]):
            stale.append(key)
    assert not stale, f"allowed inferences no longer needed (remove them): {stale}"
