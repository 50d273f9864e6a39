"""The "Compare with…" box of a council page."""

from django import template
from django.urls import reverse
from django.utils.http import urlencode

from ..compare import COUNCILS_MAX

register = template.Library()


def neighbour_groups(council, comparisons) -> list[dict]:
    """Each comparator group the council's report prints with other councils in it, as a link
    to compare them. A group of more than six councils is cut to the council and the five
    closest to it in the group's first figure (the page says so)."""
    groups = []
    for table in comparisons or []:
        first = {row["council"].pk: row["cells"][0] for row in table["rows"]}
        own = first.get(council.pk)
        others = [row["council"] for row in table["rows"] if row["council"].pk != council.pk]
        if not others:
            continue
        if own is not None:
            others.sort(
                key=lambda c: abs(first[c.pk].value - own.value) if first[c.pk] else float("inf")
            )
        chosen = [council, *others[: COUNCILS_MAX - 1]]
        groups.append(
            {
                "group": table["group"],
                "measure": table["measures"][0],
                "size": len(others) + 1,
                "shown": len(chosen),
                "url": f"{reverse('ratings:compare')}?"
                + urlencode([("council", c.slug) for c in chosen]),
            }
        )
    return groups


@register.inclusion_tag("ratings/_compare_with.html", takes_context=True)
def compare_with(context, council):
    """A box to name another council (the compare page finds it: ?add=), rather than a list
    of every council, which at 400 councils was a third of the page."""
    return {
        "council": council,
        "groups": neighbour_groups(council, context.get("comparisons")),
    }
