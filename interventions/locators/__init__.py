"""Locators: where in a report a fact is stated, in a form a machine can find.

A locator names one or more places, joined by ";". A place is a path of steps, each
narrowing the one before, separated by "," or ":". The grammar is the one curators already
write, e.g.

    Background, para 2(2), first sentence
    Lessons Learned, para 4(1), Key Challenges (ii)
    chair's report (Appendix 1), Sufficiency of progress, paragraph beginning 'The Council has'
    Our analysis, Scale and funding: table of total population (footnote 2), row 'Slough'
    Background: table 'Findings of the 2011 Ofsted inspection', Safeguarding services, row 2
    Criteria and options: Options, Main options, footnote 7
    report header ('By:' line); Recommendation, para 6

Steps (one per separator; quotes are '…', "…", ‘…’ or “…”):

- section: a heading as printed ("Background", "Appendix 2 – Documents"), or "under 'Heading'";
  "A and B" names two sections. A quoted phrase alone is a heading or the opening words of a
  bullet or line ("'A much improved IT system'").
- para: a numbered paragraph, "para 2(2)", "para 3(1)(i)", "para 2.1", "paras 2(1) and 2(4)",
  "paras 2(1)-(4)"; "(i)" on its own, or after a list heading ("Key Challenges (ii)").
- paragraph: "paragraph beginning 'words'", "paragraphs beginning 'a', 'b' and 'c'",
  "paragraphs beginning 'a' to 'c'", "paragraph continuing 'words'", "paragraph 'words'",
  "first / opening / last paragraph", "first two paragraphs", "paragraph after item 1".
- sentence: "first sentence", "second and third sentences", "sentence beginning 'words'".
- table: "table 'Title'", "table of population aged 0-17", "budget table".
- row: "row 'Label'", "row 3 'Label'", "row Slough and row England"; column: "column 2008/09",
  "first column".
- footnote: "footnote 7", "footnotes 6 and 7"; item: "item 1(a)", "first bullet",
  "bullet beginning 'words'", "list beginning 'words'"; line: "line 'words'".
- page: "page 26", "p18"; furniture: "cover page", "report header", "signature block",
  "heading" (a part's own first line), "date under signature".

A step may carry a note in brackets, kept for readers: "row 2 'Capacity for improvement'
(first of two)". Brackets that are themselves steps are read as steps: "(last paragraph)",
"(ii)". A quoted phrase in brackets, "para 2.2 ('early May')", says what the place contains.

`parse()` checks the grammar (model validation uses it, so the admin and the seed name a bad
locator); `resolve()` finds the text a parsed locator names in a report's plain text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

OPEN = "'\"‘“"
CLOSE = {"'": "'’", '"': '"”', "‘": "’'", "“": '”"'}
ORDINALS = {
    "first": 1,
    "opening": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "last": -1,
    "final": -1,
    "closing": -1,
}
NUMBER_WORDS = {"two": 2, "three": 3, "four": 4}
SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
FURNITURE = {
    "cover page": "cover",
    "cover": "cover",
    "report header": "header",
    "report heading": "header",
    "header": "header",
    "signature block": "signature",
    "signature": "signature",
    "closing signature": "signature",
    "chair's signature block": "signature",
    "date under signature": "signature",
    "heading": "heading",
    "title": "heading",
}


class LocatorError(ValueError):
    """A locator that does not follow the grammar, or names nothing in its report."""


@dataclass(frozen=True)
class Step:
    kind: str  # section, para, paragraph, sentence, table, row, column, footnote, item, …
    values: tuple = ()
    mode: str = ""  # how `values` are matched: beginning, continuing, range, ordinal, …
    note: str = ""

    def __str__(self):
        shown = ", ".join(str(v) for v in self.values)
        return f"{self.kind}{f' {self.mode}' if self.mode else ''}: {shown}".strip()


@dataclass(frozen=True)
class Place:
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class Locator:
    text: str
    places: tuple[Place, ...] = field(default=())


# ---------------------------------------------------------------------------------------
# Parsing


def _is_open(text: str, i: int) -> bool:
    return text[i] in OPEN and (i == 0 or not text[i - 1].isalnum())


def _close_at(text: str, i: int, quote: str) -> bool:
    return text[i] in CLOSE[quote] and (i + 1 == len(text) or not text[i + 1].isalnum())


def split_outside_quotes(text: str, separators: str) -> list[str]:
    """Split at separators that are outside quotes and brackets."""
    parts, current, quote, depth, i = [], [], None, 0, 0
    while i < len(text):
        ch = text[i]
        if quote:
            if _close_at(text, i, quote):
                quote = None
        elif _is_open(text, i):
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif ch in separators and depth == 0:
            parts.append("".join(current))
            current = []
            i += 1
            continue
        current.append(ch)
        i += 1
    if quote:
        raise LocatorError(f"an unclosed quotation mark in {text!r}")
    parts.append("".join(current))
    return parts


def quoted(text: str) -> list[str]:
    """Every quoted phrase in text, in order."""
    found, i = [], 0
    while i < len(text):
        if _is_open(text, i):
            quote, start = text[i], i + 1
            j = start
            while j < len(text) and not _close_at(text, j, quote):
                j += 1
            if j >= len(text):
                raise LocatorError(f"an unclosed quotation mark in {text!r}")
            found.append(text[start:j])
            i = j + 1
        else:
            i += 1
    return found


def _unquote(text: str) -> str | None:
    text = text.strip()
    phrases = quoted(text)
    if len(phrases) == 1 and len(text) == len(phrases[0]) + 2:
        return phrases[0]
    return None


PARA_REF = r"\d+(?:\.\d+|\s?\(\d+\))?(?:\s?\([ivx]+\))?"
ROMAN = re.compile(r"^\(([ivx]+)\)$")


def _para_ref(ref: str) -> tuple:
    """'2(2)' → (2, 2), '3(1)(i)' → (3, 1, 'i'), '2.1' → (2, 1), '6' → (6,)."""
    ref = ref.replace(" ", "")
    match = re.fullmatch(r"(\d+)(?:\.(\d+)|\((\d+)\))?(?:\(([ivx]+)\))?", ref)
    if not match:
        raise LocatorError(f"{ref!r} is not a paragraph number like 2(2), 3(1)(i) or 2.1")
    major, dotted, bracketed, roman = match.groups()
    key = (int(major),)
    minor = dotted or bracketed
    if minor:
        key += (int(minor),)
    if roman:
        key += (roman,)
    return key


def _parse_paras(body: str) -> Step:
    """'para 2(2)', 'paras 2(1) and 2(4)', 'paras 2(1)-(4)'."""
    body = body.strip()
    match = re.fullmatch(rf"({PARA_REF})\s*[-–]\s*\((\d+)\)", body)
    if match:  # 2(1)-(4): a run of sub-paragraphs
        first = _para_ref(match.group(1))
        return Step("para", tuple((first[0], n) for n in range(first[1], int(match.group(2)) + 1)))
    refs = re.split(r"\s*(?:,|\band\b)\s*", body)
    return Step("para", tuple(_para_ref(ref) for ref in refs if ref))


def _phrases(body: str) -> tuple[tuple[str, ...], str]:
    """The quoted phrases of "beginning 'a', 'b' and 'c'" (mode "" or "range" for 'a' to 'b')."""
    phrases = tuple(quoted(body))
    if not phrases:
        raise LocatorError(f"expected quoted words in {body!r}")
    rest = body
    for phrase in phrases:
        rest = rest.replace(phrase, "")
    mode = "range" if re.search(r"\bto\b", rest) else ""
    return phrases, mode


def _ordinals(words: str) -> tuple[int, ...]:
    found = []
    for word in re.split(r"\s*(?:,|\band\b)\s*", words.strip()):
        if word not in ORDINALS:
            raise LocatorError(f"{word!r} is not first, second, … or last")
        found.append(ORDINALS[word])
    return tuple(found)


def parse_step(text: str) -> list[Step]:
    """One step (and any step its brackets hold)."""
    text = text.strip()
    if not text:
        raise LocatorError("an empty part (two separators in a row, or one at the end)")
    steps: list[Step] = []
    note = ""
    # A trailing bracket: a step of its own, a quoted "contains", or a note for readers.
    # (Only a bracket after a space: "para 2(2)" and "item 1(a)" hold their numbers in one.)
    match = re.fullmatch(r"(.*?)\s+\(([^()]*(?:\([^()]*\)[^()]*)*)\)", text)
    if match and match.group(1):
        head, inner = match.group(1).strip(), match.group(2).strip()
        if not ROMAN.match(f"({inner})") and not re.fullmatch(r"\d+", inner):
            text = head
            inner_steps = _bracket(inner)
            if inner_steps is None:
                note = inner
            else:
                steps = inner_steps
    step = _parse_plain(text)
    if note:
        step = Step(step.kind, step.values, step.mode, note)
    return [step, *steps]


def _bracket(inner: str) -> list[Step] | None:
    """Steps a bracket holds, or None when it is a note for readers."""
    if ROMAN.match(f"({inner})"):
        return [Step("para", ((inner,),), "item")]
    if re.fullmatch(r"(first|opening|last|final)\s+paragraph", inner):
        return [_parse_plain(inner)]
    phrases = quoted(inner)
    if phrases and (len(inner) <= len(phrases[0]) + 8):  # ('early May'), ('By:' line)
        return [Step("contains", tuple(phrases))]
    return None


def _parse_plain(text: str) -> Step:
    low = text.lower()
    if low in FURNITURE:
        return Step("furniture", (FURNITURE[low],))
    if m := re.fullmatch(r"paras?\.?\s+(.+)", text):
        return _parse_paras(m.group(1))
    if m := ROMAN.match(text):
        return Step("para", ((m.group(1),),), "item")
    if m := re.fullmatch(r"(.+?)\s+\(([ivx]+)\)", text):  # "Key Challenges (ii)"
        return Step("section", (m.group(1).strip(),), "then-item:" + m.group(2))
    if m := re.fullmatch(
        r"(?:(first|opening)\s+)?paragraphs?\s+(beginning|continuing)\s+(.+)", low
    ):
        phrases, mode = _phrases(text[len(text) - len(m.group(3)) :])
        return Step("paragraph", phrases, mode or m.group(2))
    if m := re.fullmatch(r"paragraph\s+after\s+item\s+(\S+)", low):
        return Step("paragraph", (m.group(1),), "after-item")
    if m := re.fullmatch(r"paragraph\s+(['\"‘“].*)", text):
        phrases, _ = _phrases(m.group(1))
        return Step("paragraph", phrases, "beginning")
    if m := re.fullmatch(
        r"((?:first|second|third|opening|last|final)(?:\s*(?:,|and)\s*\w+)*)\s+paragraphs?", low
    ):
        return Step("paragraph", _ordinals(m.group(1)), "ordinal")
    if m := re.fullmatch(r"(first|opening)\s+(two|three|four)\s+paragraphs", low):
        return Step("paragraph", tuple(range(1, NUMBER_WORDS[m.group(2)] + 1)), "ordinal")
    if m := re.fullmatch(r"sentences?\s+beginning\s+(.+)", low):
        phrases, mode = _phrases(text[len(text) - len(m.group(1)) :])
        return Step("sentence", phrases, mode or "beginning")
    if m := re.fullmatch(
        r"((?:first|second|third|fourth|fifth|opening|last|final)(?:\s*(?:,|and)\s*\w+)*)\s+sentences?",
        low,
    ):
        return Step("sentence", _ordinals(m.group(1)), "ordinal")
    if m := re.fullmatch(r"table\s+(['\"‘“].*)", text):
        (title,), _ = _phrases(m.group(1))
        return Step("table", (title,), "title")
    if m := re.fullmatch(r"table\s+of\s+(.+)", text) or re.fullmatch(r"(.+?)\s+table", text):
        return Step("table", (m.group(1).strip(),), "about")
    if low.startswith("row ") or low.startswith("rows "):
        return _parse_rows(text)
    if m := re.fullmatch(r"(first|second|third|fourth|fifth|last)\s+column", low):
        return Step("column", (ORDINALS[m.group(1)],), "ordinal")
    if m := re.fullmatch(r"column\s+(.+)", text):
        label = _unquote(m.group(1)) or m.group(1).strip()
        return Step("column", (label,), "label")
    if m := re.fullmatch(r"footnotes?\s+(\d+(?:\s*(?:,|and)\s*\d+)*)", low):
        return Step("footnote", tuple(int(n) for n in re.findall(r"\d+", m.group(1))))
    if m := re.fullmatch(r"items?\s+(\d+)(?:\s?\(([a-z])\))?", low):
        return Step("item", (int(m.group(1)), m.group(2) or ""), "number")
    if m := re.fullmatch(r"(first|second|third|fourth|fifth|last)\s+bullet", low):
        return Step("item", (ORDINALS[m.group(1)],), "nth")
    if m := re.fullmatch(r"(bullet|list)\s+beginning\s+(.+)", low):
        phrases, _ = _phrases(text[len(text) - len(m.group(2)) :])
        return Step("item", phrases, m.group(1))
    if m := re.fullmatch(r"lines?\s+(['\"‘“].*)", text):
        phrases, _ = _phrases(m.group(1))
        return Step("paragraph", phrases, "beginning")
    if m := re.fullmatch(r"(?:page|p\.?)\s*(\d+)", low):
        return Step("page", (int(m.group(1)),))
    if m := re.fullmatch(r"under\s+(['\"‘“].*)", text):
        phrases, _ = _phrases(m.group(1))
        return Step("section", phrases)
    if m := re.fullmatch(r"after\s+(.+)", text):
        return Step("note", (m.group(1),))
    phrase = _unquote(text)
    if phrase is not None:
        return Step("section", (phrase,), "quoted")
    if any(ch in text for ch in OPEN) and quoted(text):
        phrases = quoted(text)
        raise LocatorError(
            f"{text!r}: quoted words must be a part of their own or follow a keyword "
            f"(paragraph beginning, row, table, …), not sit inside {phrases[0]!r}"
        )
    if len(text) > 120:
        raise LocatorError(f"{text[:40]!r}…: a heading of more than 120 characters")
    return Step("section", (text,))


def _parse_rows(text: str) -> Step:
    """ "row 'Slough'", "row 3 'Capacity'", "row 3", "row Slough and row England"."""
    labels, numbers = [], []
    for part in re.split(r"\s+and\s+(?=rows?\b)", text):
        m = re.fullmatch(r"rows?\s+(?:(\d+)\s*)?(.*)", part.strip())
        number, label = m.group(1), m.group(2).strip()
        if label:
            label = _unquote(label) or label
        if not number and not label:
            raise LocatorError(f"{text!r}: a row needs a number or its label")
        numbers.append(int(number) if number else 0)
        labels.append(label)
    return Step("row", tuple(zip(numbers, labels, strict=True)))


LIST_HEAD = re.compile(r"^\s*(?:(?:first|opening)\s+)?(?:paragraphs|sentences)\s+beginning\b", re.I)


def _merge_lists(parts: list[str]) -> list[str]:
    """Put "paragraphs beginning 'a', 'b' and 'c'" back together after splitting at commas."""
    merged: list[str] = []
    for part in parts:
        if merged and part.strip()[:1] in OPEN and LIST_HEAD.match(merged[-1]):
            merged[-1] = f"{merged[-1]},{part}"
        else:
            merged.append(part)
    return merged


def parse(text: str) -> Locator:
    """Read a locator; raise LocatorError naming the part that does not follow the grammar."""
    text = (text or "").strip()
    if not text:
        raise LocatorError("a locator is required")
    places = []
    for place_text in split_outside_quotes(" ".join(text.split()), ";"):
        steps = []
        for part in _merge_lists(split_outside_quotes(place_text, ",:")):
            steps.extend(parse_step(part))
        places.append(Place(tuple(steps)))
    return Locator(text, tuple(places))


def norm(text: str) -> str:
    """Text as compared: straight quotes, plain dashes, no emphasis or footnote marks, one space
    between words, lower case."""
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    text = text.replace("–", "-").replace("—", "-").replace("*", "")
    text = re.sub(f"[{SUPERSCRIPTS}]", "", text)
    text = re.sub(r"</?p>", " ", text)
    return " ".join(text.split()).lower()


def validate_locator(value: str) -> None:
    """Field validator: a locator the resolver can read (the admin shows the reason)."""
    try:
        parse(value)
    except LocatorError as exc:
        raise ValidationError(
            f"Locator not understood: {exc}. Write places as "
            "\"Heading, para 2(2), first sentence\" or \"table 'Title', row 'Label'\", "
            'joined by ";".',
            code="locator",
        ) from exc


def resolve(text: str, locator: Locator | str, parts: dict[str, str] | None = None) -> list[str]:
    """The passages of `text` (a report's plain text) that a locator names.

    `parts` names parts of the report that carry no printed heading of their own, by their
    opening words: {"chair's report": "FIRST QUARTERLY REPORT"}. Raises LocatorError when a
    step finds nothing."""
    from .resolver import Document, Resolver

    return Resolver(Document(text, parts)).resolve(locator)
