"""What every page's footer says: the licence and attribution line, and how to reach us.

The licence words are the open data's own (ratings.opendata), so the footer, /data/ and the
download's metadata say the same thing. This module is the project's, not an app's: it may
read both apps (interventions never names ratings).
"""

from django.conf import settings


def site_footer(request) -> dict:
    from ratings import opendata

    return {
        "footer": {
            "licence": opendata.LICENCE,
            "licence_short": opendata.LICENCE["name"].replace("-", " "),  # "CC BY 4.0"
            "attribution": opendata.ATTRIBUTION,
            "contact_email": settings.CASEBOOK_CONTACT_EMAIL,
        }
    }
