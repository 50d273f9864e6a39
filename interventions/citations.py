"""How to cite a Casebook page: a ready citation, BibTeX, RIS, head meta tags and JSON-LD.

Reference managers read the page head: Zotero takes the Highwire `citation_*` tags, Dublin
Core and schema.org JSON-LD. The citation always names Casebook as publisher, the page's
canonical URL and the date it was accessed (in UK style: 21 November 2026).
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.http import HttpResponse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from .models import Source

SITE_NAME = "Casebook"


def uk_date(value: datetime.date) -> str:
    return f"{value.day} {value:%B} {value.year}"


@dataclass
class Citation:
    """Everything needed to cite one detail page."""

    title: str
    url: str  # canonical, absolute, no query string
    site_url: str
    kind: str  # "Case study", "Council", "Source", "Inspection"
    key: str  # stable key for BibTeX and file names, e.g. "intervention-kent-swindon-partnership"
    description: str = ""
    sources: list[Source] = field(default_factory=list)
    source_url: Callable[[Source], str] | None = None  # absolute URL of a source's page
    accessed: datetime.date = field(default_factory=timezone.localdate)
    changed: datetime.date | None = None  # when the record last changed, from its history
    version_url: str = ""  # the stable address of the version on screen, if it has history
    version_label: str = ""  # "version 3 of 14 January 2008"

    @property
    def cited_url(self) -> str:
        """What a citation points at: the version on screen, so a later edit cannot change it."""
        return self.version_url or self.url

    @property
    def online_date(self) -> datetime.date:
        """The page's own date: when its record last changed, else the date of access."""
        return self.changed or self.accessed

    @property
    def changed_display(self) -> str:
        return uk_date(self.changed) if self.changed else ""

    @property
    def accessed_display(self) -> str:
        return uk_date(self.accessed)

    @property
    def note(self) -> str:
        return f"{self.kind} in {SITE_NAME}. Accessed {self.accessed_display}."

    # A ready citation --------------------------------------------------------------

    @property
    def text(self) -> str:
        version = f", {self.version_label}" if self.version_label else ""
        return (
            f"“{self.title}”, {SITE_NAME}{version}, {self.cited_url} "
            f"(accessed {self.accessed_display})."
        )

    # BibTeX ------------------------------------------------------------------------

    @property
    def bibtex(self) -> str:
        fields = [
            ("title", "{" + bibtex_escape(self.title) + "}"),
            ("howpublished", SITE_NAME),
            ("publisher", SITE_NAME),
            ("organization", SITE_NAME),
            ("year", str(self.online_date.year)),
            ("url", self.cited_url),
            ("urldate", self.accessed.isoformat()),
            ("note", bibtex_escape(self.note)),
        ]
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
        return f"@misc{{{self.bibtex_key},\n{body}\n}}\n"

    @property
    def bibtex_key(self) -> str:
        return "casebook-" + re.sub(r"[^A-Za-z0-9-]", "-", self.key)

    # RIS ---------------------------------------------------------------------------

    @property
    def ris(self) -> str:
        lines = [
            ("TY", "ELEC"),
            ("TI", self.title),
            ("T2", SITE_NAME),
            ("PB", SITE_NAME),
            ("PY", str(self.online_date.year)),
            ("DA", self.online_date.strftime("%Y/%m/%d")),
            ("UR", self.cited_url),
            ("Y2", self.accessed.strftime("%Y/%m/%d")),
            ("LA", "en-GB"),
        ]
        if self.description:
            lines.append(("AB", one_line(self.description)))
        lines.append(("N1", self.note))
        lines.append(("ER", ""))
        return "\r\n".join(f"{tag}  - {value}".rstrip() for tag, value in lines) + "\r\n"

    # The page head -----------------------------------------------------------------

    @property
    def meta_tags(self) -> list[tuple[str, str]]:
        """(name, content) pairs for <meta name=… content=…>."""
        online = self.online_date.strftime("%Y/%m/%d")
        tags = [
            ("citation_title", self.title),
            ("citation_publisher", SITE_NAME),
            ("citation_public_url", self.url),
            ("citation_abstract_html_url", self.url),
            ("citation_online_date", online),
            ("citation_date", online),
            ("citation_language", "en-GB"),
            ("DC.title", self.title),
            ("DC.publisher", SITE_NAME),
            ("DC.identifier", self.url),
            ("DC.type", "webpage"),  # Zotero's item type; without it, a journal article
            ("DC.format", "text/html"),
            ("DC.language", "en-GB"),
            ("DC.date", self.online_date.isoformat()),
        ]
        if self.description:
            tags.append(("DC.description", short(self.description)))
        tags.extend(("DC.source", source.title) for source in self.sources)
        return tags

    @property
    def og_tags(self) -> list[tuple[str, str]]:
        """(property, content) pairs for Open Graph."""
        tags = [
            ("og:type", "article"),
            ("og:title", self.title),
            ("og:site_name", SITE_NAME),
            ("og:url", self.url),
            ("og:locale", "en_GB"),
        ]
        if self.description:
            tags.append(("og:description", short(self.description)))
        return tags

    @property
    def json_ld_data(self) -> dict:
        site = {"@type": "WebSite", "name": SITE_NAME, "url": self.site_url}
        data = {
            "@context": "https://schema.org",
            "@type": "WebPage",
            "headline": self.title[:110],
            "name": self.title,
            "url": self.url,
            "mainEntityOfPage": self.url,
            "isPartOf": site,
            "publisher": {"@type": "Organization", "name": SITE_NAME, "url": self.site_url},
            "inLanguage": "en-GB",
            "genre": self.kind,
            "citation": [self.source_json_ld(source) for source in self.sources],
        }
        if self.description:
            data["description"] = short(self.description)
        if self.changed:
            data["dateModified"] = self.changed.isoformat()
        return data

    def source_json_ld(self, source: Source) -> dict:
        item = {"@type": "Report" if source.kind != "news-article" else "NewsArticle"}
        item["name"] = source.title
        if self.source_url:
            item["url"] = self.source_url(source)
        if source.publisher:
            item["publisher"] = {"@type": "Organization", "name": source.publisher}
        authors = source.author_list
        if authors:
            item["author"] = [{"@type": "Person", "name": name} for name in authors]
        if source.date:
            item["datePublished"] = iso_partial(source.date, source.date_precision)
        return item

    @property
    def json_ld(self) -> SafeString:
        """JSON-LD safe to place inside <script type="application/ld+json">."""
        return mark_safe(script_json(self.json_ld_data))  # escaped by script_json

    # Downloads ---------------------------------------------------------------------

    def response(self, fmt: str) -> HttpResponse:
        if fmt == "bibtex":
            body, content_type, ext = self.bibtex, "application/x-bibtex", "bib"
        else:
            body, content_type, ext = self.ris, "application/x-research-info-systems", "ris"
        response = HttpResponse(body, content_type=f"{content_type}; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.bibtex_key}.{ext}"'
        return response


def iso_partial(value: datetime.date, precision: str) -> str:
    if precision == "year":
        return f"{value.year:04d}"
    if precision == "month":
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


def one_line(text: str) -> str:
    return " ".join(text.split())


def short(text: str, words: int = 60) -> str:
    return Truncator(one_line(text)).words(words)


BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def bibtex_escape(text: str) -> str:
    return "".join(BIBTEX_SPECIAL.get(char, char) for char in one_line(text))


def script_json(data) -> str:
    """JSON that cannot close its <script> element or open a comment."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
