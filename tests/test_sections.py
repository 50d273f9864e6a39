"""Pages built from sections, each owned by its app (issue 11, point 1)."""

import io
import re
import tokenize
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from interventions import sections
from interventions.sections import site
from tests import factories as f

ROOT = Path(__file__).resolve().parent.parent
KENT_SWINDON = "/interventions/kent-swindon-partnership/"


def test_each_app_registers_its_own_sections_of_the_case_study():
    registered = [(s.key, s.load.__module__) for s in site.sections("interventions.intervention")]
    assert registered == [
        ("facts", "interventions.own_sections"),
        ("timeline", "interventions.own_sections"),
        ("participants", "interventions.own_sections"),
        ("workstreams", "interventions.own_sections"),
        ("lessons", "interventions.own_sections"),
        ("money", "ratings.sections"),
        ("statistics", "ratings.sections"),
        ("inspections", "ratings.sections"),
        ("related", "interventions.own_sections"),
    ]


def test_ratings_registers_its_fact_kinds_footnotes_version_parts_and_source_rows():
    for name in ("inspection", "judgement", "spendingline", "statistic"):
        kind = site.fact(f"ratings.{name}")
        assert kind is not None, name
        assert kind.footnote, name
        assert kind.page_url, name
        assert kind.describe, name
        assert kind.source_row, name
        assert kind.describe_for_source, name
    assert ("judgements", "Judgements") in site.version_parts("ratings.inspection")
    assert ("spending_lines", "Money") in site.version_parts("interventions.intervention")


def ratings_names_in(text: str) -> list[tuple[int, str]]:
    """Where Python source names a `ratings` model: a class name, an import of `ratings`,
    or a string holding a model's label ("ratings.spendingline", "ratings_judgement_facts",
    get_model("ratings", ...))."""
    models = list(apps.get_app_config("ratings").get_models())
    names = {m._meta.object_name for m in models}
    label = re.compile(
        r"ratings[._](" + "|".join(m._meta.model_name for m in models) + r")(?![a-z])",
        re.IGNORECASE,
    )
    found = []
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        line = token.start[0]
        if token.type == tokenize.NAME and (
            token.string in names | {"ratings"} or label.search(token.string)
        ):
            found.append((line, token.string))
        elif token.type == tokenize.STRING and (
            label.search(token.string) or re.fullmatch(r"[\"']ratings[\"']", token.string)
        ):
            found.append((line, token.string[:60]))
    return found


def test_interventions_names_no_ratings_model_not_even_as_a_string():
    found = []
    for path in sorted((ROOT / "interventions").rglob("*.py")):
        if "migrations" in path.parts:
            continue  # a migration records the schema as it was, dependencies and all
        found += [(str(path.relative_to(ROOT)), *hit) for hit in ratings_names_in(path.read_text())]
    for path in sorted((ROOT / "templates" / "interventions").rglob("*.html")):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if re.search(r"ratings\.\w", line):
                found.append((str(path.relative_to(ROOT)), number, line.strip()[:60]))
    assert found == []


@pytest.mark.parametrize(
    "text",
    [
        "from ratings.models import Inspection\n",
        "import ratings\n",
        'model = apps.get_model("ratings.SpendingLine")\n',
        'model = apps.get_model("ratings", "Statistic")\n',
        "rows = source.ratings_judgement_facts.all()\n",
        'rows = getattr(source, "ratings_judgement_facts")\n',
        "x = Judgement.objects.all()\n",
    ],
)
def test_the_scan_finds_each_way_of_naming_a_ratings_model(text):
    assert ratings_names_in(text) != []


def test_the_scan_leaves_plain_words_alone():
    text = 'heading = "Inspections"\nkind = "Inspection report"\nurl = "ratings:judgement-list"\n'
    assert ratings_names_in(text) == []


def test_a_fact_model_left_unregistered_fails_the_system_check():
    assert sections.check_fact_kinds() == []
    kind = site.unregister_fact("ratings.statistic")
    try:
        errors = sections.check_fact_kinds()
        assert [(e.id, e.obj._meta.label) for e in errors] == [
            ("casebook.E001", "ratings.Statistic")
        ]
        with pytest.raises(SystemCheckError, match=r"casebook\.E001"):
            call_command("check", stdout=io.StringIO(), stderr=io.StringIO())
    finally:
        site.register_fact(kind)
    assert sections.check_fact_kinds() == []


def test_every_model_citing_a_source_is_a_registered_fact_kind():
    facts = {m._meta.label_lower for m in apps.get_models() if sections.is_fact_model(m)}
    assert {"ratings.spendingline", "interventions.phase", "interventions.council"} <= facts
    assert all(site.fact(label) for label in facts)


# A version renders the same sections as they stood ------------------------------------


def text_of(client, url) -> str:
    response = client.get(url, follow=True)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.django_db
def test_an_old_version_shows_the_money_and_phase_as_they_stood(client):
    intervention = f.InterventionFactory(title="Northshire partnership")
    council = intervention.subject_council
    phase = f.PhaseFactory(intervention=intervention, name="Diagnostic review")
    line = f.SpendingLineFactory(
        intervention=intervention,
        council=council,
        source=intervention.source,
        line="Cost of the partnership",
        kind="contract",
        amount_gbp=Decimal("3600000"),
        as_printed="up to £3.6 million",
    )
    intervention.save()  # the version a researcher cites, with its parts as they were
    old_url = f.latest_version_url(intervention)

    line.amount_gbp = Decimal("4100000")
    line.as_printed = "£4.1 million"
    line.save()
    phase.name = "Recovery plan"
    phase.save()

    old = text_of(client, old_url)
    assert "up to £3.6 million" in old
    assert "£4.1 million" not in old
    assert "Diagnostic review" in old
    assert "Recovery plan" not in old
    # The same section templates as the live page, footnotes included.
    assert 'id="money-heading"' in old
    assert 'id="phases-heading"' in old
    assert 'id="footnotes-heading"' in old

    live = text_of(client, intervention.get_absolute_url())
    assert "£4.1 million" in live
    assert "up to £3.6 million" not in live
    assert "Recovery plan" in live
    assert "Diagnostic review" not in live


def cited_version_of_seed():
    """The seed's rows with their history (restored rows have none), and a version of the
    Kent–Swindon case study made after them, as a curator's save would."""
    from interventions.models import Intervention

    call_command("populate_history", auto=True, stdout=io.StringIO(), stderr=io.StringIO())
    intervention = Intervention.objects.get(slug="kent-swindon-partnership")
    intervention.save()
    return intervention


@pytest.mark.django_db
def test_a_version_page_and_the_live_page_show_the_same_sections(client, seeded):
    intervention = cited_version_of_seed()
    live = text_of(client, KENT_SWINDON)
    version = text_of(client, f.latest_version_url(intervention))
    headings = re.compile(r'<h2 id="(\w+)-heading"')
    shared = {"facts", "timeline", "participants", "workstreams", "lessons", "money"}
    assert shared | {"inspections"} <= set(headings.findall(live))
    assert shared | {"inspections"} <= set(headings.findall(version))
    for phase in intervention.phases.all():
        assert phase.name in version
    # Every section of the live page, the related case studies and where the sources differ
    # included; only the page's own navigation (at a glance, contents) is not repeated.
    navigation = {"glance", "contents"}
    assert set(headings.findall(live)) - navigation <= set(headings.findall(version))


# Reads pinned by exact query counts ---------------------------------------------------


def staff(client):
    client.force_login(User.objects.create_user("curator", is_staff=True))


@pytest.mark.parametrize(
    ("page", "public_queries", "staff_queries"),
    [
        # + the subject council's inspections counted by year, which choose the window of
        # them the page shows and count the rest (views.details.intervention.InspectionWindow)
        ("case study", 16, 18),
        # 13 + the disagreements its facts are part of (one UNION query over the kinds'
        # membership tables: memberships.attach); the "Compare with…" box is a name field.
        ("council", 14, 16),
        ("source", 17, 19),  # one query per kind of fact that cites a report (people: two)
        ("inspection", 4, 6),
        # The case study's version: its sections as they stood (links both ways included)
        # and the versions of the disagreements its facts belong to (one query).
        ("version", 22, 24),
        # A version of each other record: the record, its version and history, then each
        # section's rows as they stood (one query a list; judgements for the inspections;
        # one for the disagreements, where its facts belong to any).
        ("council version", 17, 19),  # + the council's own disagreements (one query)
        # + its owners as they stood and the figures about it (ownerships, statistics)
        ("organisation version", 14, 16),  # + its own disagreements (one query)
        ("source version", 20, 22),  # people and posts are kinds of fact citing a report too
        ("inspection version", 12, 14),  # + the inspection's own disagreements as now
        ("person", 7, 9),  # + their disagreements (one query), their versions (one), the figures
        # + the figures about the person, and the versions of their posts' disagreement
        ("person version", 10, 12),
    ],
)
def test_each_detail_page_takes_a_fixed_number_of_queries(
    client, seeded, django_assert_num_queries, settings, page, public_queries, staff_queries
):
    from interventions.models import Organisation, Person, Source

    settings.CASEBOOK_CACHE = False
    intervention = cited_version_of_seed()
    inspection = intervention.subject_council.inspections.order_by("pk").first()
    serco = Organisation.objects.get(slug="serco")
    source = Source.objects.order_by("pk").first()
    person = Person.objects.get(slug="andrew-ireland")
    for record in (intervention.subject_council, serco, source, inspection, person):
        record.save()  # a version of each, as a curator's save makes
    urls = {
        "case study": KENT_SWINDON,
        "council": intervention.subject_council.get_absolute_url(),
        "source": Source.objects.order_by("pk").first().get_absolute_url(),
        "inspection": inspection.get_absolute_url(),
        "version": f.latest_version_url(intervention),
        "council version": f.latest_version_url(intervention.subject_council),
        "organisation version": f.latest_version_url(serco),
        "source version": f.latest_version_url(source),
        "inspection version": f.latest_version_url(inspection),
        "person": person.get_absolute_url(),
        "person version": f.latest_version_url(person),
    }
    url = urls[page]
    with django_assert_num_queries(public_queries):
        assert client.get(url).status_code == 200
    # Staff see drafts too; their session and user cost two queries more.
    staff(client)
    client.get(url)
    with django_assert_num_queries(staff_queries):
        assert client.get(url).status_code == 200


# Every record's page, and every version of it, from its apps' sections ------------------


@pytest.mark.parametrize(
    ("page", "registered"),
    [
        (
            "interventions.council",
            [
                ("council-about", "interventions.record_sections"),
                ("council-interventions", "interventions.record_sections"),
                ("council-inspections", "ratings.record_sections"),
                ("council-spending", "ratings.record_sections"),
                ("council-statistics", "ratings.record_sections"),
            ],
        ),
        (
            "interventions.organisation",
            [
                ("organisation-about", "interventions.record_sections"),
                ("organisation-participations", "interventions.record_sections"),
                ("organisation-inspections", "ratings.record_sections"),
                ("organisation-money", "ratings.record_sections"),
                ("organisation-statistics", "ratings.record_sections"),
            ],
        ),
        (
            "interventions.source",
            [
                ("source-about", "interventions.record_sections"),
                ("source-facts", "interventions.record_sections"),
            ],
        ),
        (
            "interventions.person",
            [
                ("person-about", "interventions.record_sections"),
                ("person-posts", "interventions.record_sections"),
                ("person-participations", "interventions.record_sections"),
                ("person-statistics", "ratings.record_sections"),
            ],
        ),
        (
            "ratings.inspection",
            [
                ("inspection-facts", "ratings.record_sections"),
                ("inspection-judgements", "ratings.record_sections"),
                ("inspection-others", "ratings.record_sections"),
            ],
        ),
    ],
)
def test_each_record_page_is_the_sections_its_apps_register(page, registered):
    assert [(s.key, s.load.__module__) for s in site.sections(page)] == registered
    assert page in site.records()  # and each is cited by its numbered versions


def headings_of(text: str) -> set[str]:
    return set(re.findall(r'<h2 id="([\w-]+)-heading"', text))


@pytest.mark.django_db
def test_a_council_version_shows_its_interventions_inspections_money_and_figures_as_they_stood(
    client,
):
    council = f.CouncilFactory(name="Northshire County Council", slug="northshire")
    intervention = f.InterventionFactory(subject_council=council, title="Northshire review")
    inspection = f.InspectionFactory(council=council, title="Ofsted 2011")
    line = f.SpendingLineFactory(council=council, line="Social care budget", as_printed="14,922")
    figure = f.StatisticFactory(council=council, measure="Children in care", as_printed="212")
    council.also_known_as = "Northshire"
    council.save()  # the version a researcher cites
    old_url = f.latest_version_url(council)

    intervention.title = "Northshire improvement board"
    intervention.save()
    inspection.title = "Ofsted 2011 (re-graded)"
    inspection.save()
    line.as_printed = "15,100"
    line.amount_gbp = Decimal("15100000")
    line.save()
    figure.as_printed = "230"
    figure.save()

    old = text_of(client, old_url)
    live = text_of(client, council.get_absolute_url())
    for then, now in [
        ("Northshire review", "Northshire improvement board"),
        ("Ofsted 2011<", "Ofsted 2011 (re-graded)"),
        ("14,922", "15,100"),
        (">212<", ">230<"),
    ]:
        assert then in old, then
        assert now not in old, now
        assert now in live, now
        assert then not in live, then
    # The same sections, from the same templates, footnotes and all.
    expected = {"facts", "interventions", "inspections", "spending", "statistics", "footnotes"}
    assert expected <= headings_of(old)
    assert expected <= headings_of(live)


@pytest.mark.django_db
def test_an_organisation_version_shows_its_roles_inspections_and_money_as_they_stood(client):
    organisation = f.OrganisationFactory(name="Northshire Trust", slug="northshire-trust")
    participant = f.ParticipantFactory(
        organisation=organisation, council=None, post="Chief adviser"
    )
    inspection = f.InspectionFactory(inspectorate=organisation, title="Review by the trust")
    line = f.SpendingLineFactory(payee_organisation=organisation, as_printed="£820k")
    organisation.abbreviation = "NT"
    organisation.save()
    old_url = f.latest_version_url(organisation)

    participant.post = "Deputy adviser"
    participant.save()
    inspection.title = "Second review by the trust"
    inspection.save()
    line.as_printed = "£900k"
    line.save()

    old = text_of(client, old_url)
    live = text_of(client, organisation.get_absolute_url())
    for then, now in [
        ("Chief adviser", "Deputy adviser"),
        (">Review by the trust<", "Second review by the trust"),
        ("£820k", "£900k"),
    ]:
        assert then in old, then
        assert now not in old, now
        assert now in live, now
        assert then not in live, then
    expected = {"facts", "participations", "inspections", "money", "footnotes"}
    assert expected <= headings_of(old)
    assert expected <= headings_of(live)


@pytest.mark.django_db
def test_an_inspection_version_shows_its_judgements_as_they_stood(client):
    inspection = f.InspectionFactory(title="Ofsted safeguarding 2011", overall_grade="Good")
    judgement = f.JudgementFactory(inspection=inspection, area="Capacity", grade="Inadequate")
    inspection.summary = "Safeguarding and looked-after children."
    inspection.save()
    old_url = f.latest_version_url(inspection)

    judgement.grade = "Adequate"
    judgement.save()

    old = text_of(client, old_url)
    live = text_of(client, inspection.get_absolute_url())
    assert "<strong>Inadequate</strong>" in old
    assert "<strong>Adequate</strong>" not in old
    assert "<strong>Adequate</strong>" in live
    assert "<strong>Inadequate</strong>" not in live
    assert {"facts", "judgements", "footnotes"} <= headings_of(old)


@pytest.mark.django_db
def test_a_source_version_lists_the_facts_citing_it_as_they_stood(client):
    source = f.SourceFactory(title="Northshire review report")
    phase = f.PhaseFactory(source=source, name="Diagnostic review")
    source.notes = "Read in full."
    source.save()
    old_url = f.latest_version_url(source)

    phase.name = "Recovery plan"
    phase.save()

    old = text_of(client, old_url)
    live = text_of(client, source.get_absolute_url())
    assert "Diagnostic review" in old
    assert "Recovery plan" not in old
    assert "Recovery plan" in live
    assert "Diagnostic review" not in live
    # One kind a page at a time, as on the live page.
    paged = text_of(client, f"{old_url}?facts=phase")
    assert "Diagnostic review" in paged
    assert "Back to every kind of fact" in paged


@pytest.mark.django_db
def test_a_person_version_shows_their_posts_and_roles_as_they_stood(client):
    person = f.PersonFactory(name="Jan Westley", slug="jan-westley")
    post = f.PostFactory(person=person, title="Interim director")
    f.ParticipantFactory(person=person, person_name="Jan Westley", post="Independent chair")
    person.note = "Named in two reports."
    person.save()
    old_url = f.latest_version_url(person)

    post.title = "Director of children's services"
    post.save()

    old = text_of(client, old_url)
    live = text_of(client, person.get_absolute_url())
    assert "Interim director" in old
    assert "Director of children's services" not in old
    assert "Director of children&#x27;s services" in live
    assert "Independent chair" in old
    assert {"facts", "posts", "participations", "footnotes"} <= headings_of(old)
