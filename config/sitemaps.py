"""sitemap.xml: every published detail page, so that search engines and archives find them."""

from django.apps import apps
from django.contrib.sitemaps import Sitemap

from interventions.addresses import protocol_and_domain


class PublishedSitemap(Sitemap):
    model_label = ""
    changefreq = "monthly"
    limit = 5000

    def get_urls(self, page=1, site=None, protocol=None):
        """Addresses from CASEBOOK_SITE_URL, not from the request's Host (which Django uses)."""
        protocol, domain = protocol_and_domain()
        return self._urls(page, protocol, domain)

    def items(self):
        return apps.get_model(self.model_label).objects.published().order_by("pk")


def sitemaps():
    return {
        name: type(f"{name.title()}Sitemap", (PublishedSitemap,), {"model_label": label})
        for name, label in (
            ("interventions", "interventions.Intervention"),
            ("councils", "interventions.Council"),
            ("sources", "interventions.Source"),
            ("organisations", "interventions.Organisation"),
            ("people", "interventions.Person"),
            ("inspections", "ratings.Inspection"),
        )
    }
