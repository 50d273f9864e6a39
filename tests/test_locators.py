"""Locators: the grammar curators write, and the report text each one names."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.forms import modelform_factory

from interventions.locators import LocatorError, parse, resolve, validate_locator
from interventions.models import Organisation

REPORT = """By: Jane Doe, Cabinet Member for Testing

To: Cabinet – 14 January 2008

Introduction

1. (1) In October 2004 Northtown Council and Southtown Council entered into a partnership.

Background

- 2. (1) The model was developed in 2003/2004. It cost little.
- (2) The contract was for up to £3.6 million. The ODPM contributed £820k to the pilot and \
the Department of Health £180k.

Lessons Learned

4. (1) The review sets out achievements:

Key Achievements:

- (i) Bringing the partners together when previous forms of intervention had failed.
- (ii) Improving staff morale, for example through IIP.

- (2) The prime lesson is that risks were balanced. The partnership produced

a range of innovative ways to transfer learning. Finally, staff were exemplary.

Scale and funding

In terms of total population², the closest authorities in size are:

Northtown\t145,893
Southtown\t144,560

\t2012/13 £'000\t2013/14 £'000
Total Budget\t16,312\t16,224
Total Spend\t17,150\t19,116

² Figures from the 2011 census

Feature p18 13 March issueFor Simpson, however, change could have come quicker.

Feature p18 13 March issueThe end.

Jane Doe Managing Director 7000 4888
"""


def where(locator: str) -> str:
    return "\n".join(resolve(REPORT, locator))


def test_a_locator_is_read_as_places_of_steps():
    locator = parse(
        "Lessons Learned, para 4(1), Key Achievements (ii); "
        "Scale and funding: table of total population (footnote 2), row 'Southtown'"
    )
    first, second = locator.places
    assert [(s.kind, s.values) for s in first.steps] == [
        ("section", ("Lessons Learned",)),
        ("para", ((4, 1),)),
        ("section", ("Key Achievements",)),
    ]
    assert first.steps[-1].mode == "then-item:ii"
    assert [s.kind for s in second.steps] == ["section", "table", "row"]
    assert second.steps[1].note == "footnote 2"  # a note for readers, not a step
    assert second.steps[2].values == ((0, "Southtown"),)


@pytest.mark.parametrize(
    ("locator", "kind", "values"),
    [
        ("para 2.1", "para", ((2, 1),)),
        ("paras 2(1)-(3)", "para", ((2, 1), (2, 2), (2, 3))),
        ("paragraphs beginning 'O'Dwyer explains', 'It's bedding in'", "paragraph", None),
        ("second and third sentences", "sentence", (2, 3)),
        ("footnotes 6 and 7", "footnote", (6, 7)),
        ("row 2 'Capacity' (first of two)", "row", ((2, "Capacity"),)),
        ("column 2008/09", "column", ("2008/09",)),
        ("page 26", "page", (26,)),
        ("item 1(a)", "item", (1, "a")),
        ("report header ('By:' line)", "furniture", ("header",)),
    ],
)
def test_each_kind_of_step_is_recognised(locator, kind, values):
    (place,) = parse(locator).places
    assert place.steps[0].kind == kind
    if values is not None:
        assert place.steps[0].values == values
    if kind == "paragraph":
        assert place.steps[0].values == ("O'Dwyer explains", "It's bedding in")


@pytest.mark.parametrize(
    ("locator", "problem"),
    [
        ("Background, paragraph beginning 'The model", "unclosed quotation mark"),
        ("Background,, para 2(2)", "empty part"),
        ("Background; ", "empty part"),
        ("para 2(2", "not a paragraph number"),
        ("Background 'The model' para", "quoted words"),
        ("", "required"),
    ],
)
def test_a_locator_off_the_grammar_is_refused_saying_why(locator, problem):
    with pytest.raises(LocatorError, match=problem):
        parse(locator)


def test_a_section_and_its_numbered_paragraph_name_only_that_paragraph():
    text = where("Background, para 2(2)")
    assert "£820k" in text
    assert "2003/2004" not in text  # para 2(1), in the same section
    assert "October 2004" not in text  # another section


def test_a_numbered_paragraph_printed_twice_must_be_named_by_its_section():
    # 4(1) and its list items under "Key Achievements:" are one paragraph; the list labels
    # do not end the Lessons Learned section.
    assert "IIP" in where("Lessons Learned, para 4(1), Key Achievements (ii)")
    assert "previous forms" not in where("Lessons Learned, para 4(1), Key Achievements (ii)")
    assert "prime lesson" in where("Lessons Learned, para 4(2)")


def test_a_paragraph_carried_over_a_page_break_is_one_paragraph():
    text = where("Lessons Learned, para 4(2), sentence beginning 'The partnership produced'")
    assert text == "The partnership produced a range of innovative ways to transfer learning."
    assert where("Lessons Learned, para 4(2), last sentence") == "Finally, staff were exemplary."


def test_a_table_row_and_column_name_one_cell_not_the_next():
    cell = where("Scale and funding: budget table, row 'Total Budget', column 2013/14")
    assert "16,224" in cell
    assert "16,312" not in cell
    assert "£'000" in cell  # the unit printed in the column heading comes with it
    row = where("Scale and funding: table of total population (footnote 2), row 'Southtown'")
    assert "144,560" in row
    assert "145,893" not in row


def test_footnotes_furniture_and_running_headers():
    assert where("footnote 2") == "² Figures from the 2011 census"
    assert "Cabinet Member for Testing" in where("report header ('By:' line)")
    assert where("signature block") == "Jane Doe Managing Director 7000 4888"
    # A running header glued to the paragraph after it does not hide its opening words.
    assert "quicker" in where("paragraph beginning 'For Simpson, however'")
    # An article printed on one page ("p18"): its page is the whole text.
    assert "The end." in where("page 18")


@pytest.mark.parametrize(
    "locator",
    [
        "Background, para 2(3)",
        "Conclusion",
        "Scale and funding: table of total population, row 'Westtown'",
        "Background, paragraph beginning 'The model was first'",
        "footnote 9",
        "report header ('Subject:' line)",
    ],
)
def test_a_locator_that_names_nothing_in_the_report_fails_to_resolve(locator):
    with pytest.raises(LocatorError):
        resolve(REPORT, locator)


def test_the_validator_gives_curators_the_reason_and_an_example():
    with pytest.raises(ValidationError) as caught:
        validate_locator("Background, paragraph beginning 'The model")
    message = caught.value.messages[0]
    assert "unclosed quotation mark" in message
    assert "para 2(2)" in message


@pytest.mark.django_db
def test_the_admin_form_refuses_a_locator_off_the_grammar_on_its_field():
    form_class = modelform_factory(Organisation, fields=["locator"])
    form = form_class(data={"locator": "para 2(2"})
    assert not form.is_valid()
    assert "not a paragraph number" in form.errors["locator"][0]
    assert form_class(data={"locator": "Background, para 2(2), first sentence"}).is_valid()


@pytest.mark.django_db
def test_a_fixture_row_with_a_bad_locator_aborts_the_seed_naming_the_row(tmp_path):
    (tmp_path / "00_sources.yaml").write_text(
        "- model: interventions.source\n"
        "  fields: {slug: s, title: A report, kind: review}\n"
        "- model: interventions.organisation\n"
        "  fields: {slug: o, name: An organisation, kind: other, source: [s],"
        ' locator: "Background,, para 2(2)"}\n',
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as caught:
        call_command("seed", fixtures_dir=tmp_path, verbosity=0)
    message = str(caught.value)
    assert "00_sources.yaml, row 2" in message
    assert "locator" in message
    assert "empty part" in message
    assert not Organisation.objects.filter(slug="o").exists()
