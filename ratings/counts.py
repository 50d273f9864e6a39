"""The lists of this app counted exactly from the summary table (interventions.summaries).

Each dimension is where a list's filters and facets read it: region and council type come
through the council, so they need no dimension of their own. Inspections are counted from
their rows (ten thousand at England scale, well within the limits).
"""

from interventions.summaries import Summary, register

from .models import Judgement, SpendingLine, Statistic


def register_all() -> None:
    register(
        Summary(
            "spending",
            SpendingLine,
            {"council": "council", "intervention": "intervention", "year": "year", "kind": "kind"},
        )
    )
    register(
        Summary(
            "judgements",
            Judgement,
            {
                "council": "inspection__council",
                "organisation": "inspection__inspectorate",
                "year": "inspection__year",
                "kind": "framework",
                "grade": "grade",
            },
        )
    )
    register(
        Summary(
            "statistics",
            Statistic,
            {
                "council": "council",  # blank for a figure about an organisation or a person
                "organisation": "organisation",
                "person": "person",
                "intervention": "intervention",
                "year": "year",
                "kind": "unit",
                "scope": "comparator_group",
            },
            # Nearly one row per figure at the finest grain: the pairs are enough for a facet
            # beside one other filter; rarer combinations count the rows.
            max_dims=2,
        )
    )
