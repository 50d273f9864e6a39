"""Tags for detail pages: numbered footnotes, "Sources differ" flags, dates and money."""

from decimal import Decimal

from django import template
from django.utils.html import format_html, format_html_join

from .. import memberships
from ..models import PartialDate, format_partial_date, partial_date_range
from ..visibility import NOT_PUBLISHED, UNNAMED_PARTY, may_name

register = template.Library()


def public_reader(context) -> bool:
    """Whether the page is for the public (the detail views say; fail closed if not)."""
    return context.get("public", True) is not False


@register.filter
def nameable(record, public=True):
    """{% if record|nameable:public %}: whether the page may name this related record."""
    return may_name(record, public is not False)


@register.simple_tag(takes_context=True)
def party(context, record, link=True):
    """A related record by name, linked to its page; "Not yet published" (no name, no link)
    for a record the reader may not see (interventions.visibility)."""
    if record is None:
        return ""
    if not may_name(record, public_reader(context)):
        return format_html('<span class="muted unpublished">{}</span>', NOT_PUBLISHED)
    url = getattr(record, "get_absolute_url", None)
    if link and url is not None:
        return format_html('<a href="{}">{}</a>', url(), str(record))
    return str(record)


@register.simple_tag(takes_context=True)
def person(context, participant):
    """A participant's name as printed here, linked to the person's page when they have one
    the reader may see (a draft person's name is still the participant's, unlinked)."""
    record = participant.person if participant.person_id else None
    name = participant.person_name or (
        str(record) if may_name(record, public_reader(context)) else ""
    )
    if record is not None and may_name(record, public_reader(context)):
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(), name)
    return name


@register.simple_tag(takes_context=True)
def cite(context, fact):
    """A numbered footnote marker for a fact, linked to its note at the end of the page.

    The page's Footnotes must be in the context as `footnotes` (pass it to partials).
    """
    note, ref_id = context["footnotes"].cite(fact)
    return format_html(
        '<sup class="fn"><a href="#{}" id="{}">'
        '<span class="visually-hidden">Note </span>{}</a></sup>',
        note.anchor,
        ref_id,
        note.number,
    )


@register.simple_tag(takes_context=True)
def judgement_list(context, judgements):
    """An inspection's judgements as a list, each footnoted (as the template loop was).

    Written here rather than as a loop in the template: a council with 75 inspections has
    some 450 of these, and the template engine spent most of a case study's page on them.
    """
    items = []
    for j in judgements:
        printed = j.grade_as_printed if j.grade_as_printed and j.grade_as_printed != j.grade else ""
        items.append(
            format_html(
                "<li>{}{}: <strong>{}</strong>{}{} {}</li>",
                f"{j.section}: " if j.section else "",
                j.area,
                j.grade or "no grade on the scale",
                format_html(" (printed as “{}”)", printed) if printed else "",
                cite(context, j),
                differ(j),
            )
        )
    if not items:
        return "None recorded"
    return format_html(
        '<ul class="judgement-list">{}</ul>', format_html_join("", "{}", ((i,) for i in items))
    )


@register.simple_tag
def differ(fact, page=False):
    """A visible flag for each disagreement the fact is part of, linked to its versions:
    on this page (`#differ-<slug>`), or with `page` on the disagreement's own page.
    "Sources differ" between reports, "The report prints two versions" inside one."""
    flags = memberships.flags(fact)
    if not flags:
        return ""
    return format_html_join(
        " ",
        '<a class="differ{}" href="{}">{}<span class="visually-hidden">: {}</span></a>',
        (
            (
                " differ-within" if flag.within else "",
                flag.get_absolute_url() if page else f"#{flag.anchor}",
                flag.flag,
                flag.title,
            )
            for flag in flags
        ),
    )


@register.simple_tag
def partial_date(value, precision):
    return format_partial_date(value, precision)


@register.simple_tag
def date_notes(obj, *fields):
    """The notes on a record's dates (why a year in brackets is inferred, what a planned date
    rests on), each once, after the dates they explain."""
    notes = []
    for field in fields:
        note = PartialDate.of(obj, field).note
        if note and note not in notes:
            notes.append(note)
    if not notes:
        return ""
    return format_html(' <span class="date-note muted">(Dates: {})</span>', " ".join(notes))


@register.simple_tag
def date_range(obj, start: str = "start_date", end: str = "end_date"):
    """A record's two dates as printed: "October 2004 to November 2007", "from 21 February",
    "planned: 16 April to 16 May [2014]"."""
    return partial_date_range(PartialDate.of(obj, start), PartialDate.of(obj, end))


@register.filter
def gbp(amount):
    """£3,600,000 or £1,234.50: exact, never rounded."""
    if amount is None or amount == "":
        return ""
    amount = Decimal(amount)
    if amount == amount.to_integral_value():
        return f"£{amount:,.0f}"
    return f"£{amount:,.2f}"


@register.filter
def number(value):
    """A Decimal without trailing zeros: 38000, 22, 3.5."""
    if value is None or value == "":
        return ""
    value = Decimal(value)
    if value == value.to_integral_value():
        return f"{value:,.0f}"
    return f"{value.normalize():,f}"


@register.simple_tag(takes_context=True)
def payment(context, line):
    """ "Paid by X to Y", or as much of it as the report says."""
    public = public_reader(context)
    payer, payee = (
        (str(body) if may_name(body, public) else UNNAMED_PARTY) if body else None
        for body in (line.payer, line.payee)
    )
    if payer and payee:
        return f"Paid by {payer} to {payee}"
    if payer:
        return f"Paid by {payer}"
    if payee:
        return f"Paid to {payee}"
    return ""
