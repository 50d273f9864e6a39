"""Finding the text a parsed locator names in a report's plain text (see interventions.locators)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import (
    SUPERSCRIPTS,
    Locator,
    LocatorError,
    Place,
    Step,
    norm,
    parse,
)

FUNCTION_WORDS = {"and", "the", "of", "to", "a", "an", "in", "for", "with", "or", "by", "on"}
TERMINAL = tuple('.!?:;"”’)')
MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]


@dataclass
class Block:
    """A paragraph of the report: one line, or a line and its continuation after a page break."""

    number: int  # first line, counting from 1
    text: str
    kind: str = "para"  # heading, para, bullet, row, rule, footnote, toc
    para: tuple = ()  # its paragraph number, "3. (1)" → (3, 1)

    @property
    def plain(self) -> str:
        return norm(self.text)

    @property
    def body(self) -> str:
        """Its text without a leading bullet, number or paragraph number."""
        text = re.sub(r"^[\s\-•—]*", "", self.text)
        text = re.sub(r"^(?:\d+\.\s*)?(?:\(\d+\)\s*)?(?:\([ivx]+\)\s*)?", "", text)
        return norm(text).lstrip("\"'").lstrip()


def _kind(line: str) -> str:
    stripped = line.strip()
    if re.fullmatch(r"[-\s]+", stripped) or re.fullmatch(r"<hr/>\s*", stripped):
        return "rule"
    if stripped[:1] in SUPERSCRIPTS:
        return "footnote"
    if "\t" in line:
        return "row"
    if re.match(r"^\s*[-•—]\s", line) or re.match(r"^\s*(?:\(?[ivx]+\)|[a-z]\.)\s", stripped):
        return "bullet"
    if re.match(r"^\s*\d+\.\s", stripped) and len(stripped) > 90:
        return "para"
    plain = stripped.rstrip("*").strip()
    last = plain.rsplit(" ", 1)[-1].lower()
    if last in FUNCTION_WORDS or last in ("include", "including"):
        return "para"  # "The board membership should therefore include" opens a list
    short = len(plain) <= 90 and not plain.endswith((".", ",", ";")) and not plain.startswith("(")
    if short and (not plain.endswith(":") or len(plain) <= 40):
        return "heading"  # a list's label ("Key Achievements:") counts; a sentence opening one not
    return "para"


def _split_running_headers(lines: list[str]) -> list[str]:
    """A page's running header glued to the text after it ("Feature p18 13 March issueFor
    Simpson") becomes a line of its own, so that the paragraph begins where it does."""
    glued = re.compile(r"^(.{8,60}?[a-z0-9])([A-Z][a-z])")
    prefixes = [m.group(1) for line in lines if (m := glued.match(line))]
    repeated = {p for p in prefixes if prefixes.count(p) > 1}
    out = []
    for line in lines:
        m = glued.match(line)
        if m and m.group(1) in repeated:
            out.extend([m.group(1), "", line[len(m.group(1)) :]])
        else:
            out.append(line)
    return out


class Document:
    """A report's plain text as blocks, with its headings, numbered paragraphs and footnotes."""

    def __init__(self, text: str, parts: dict[str, str] | None = None):
        text = text.replace("\r", "").replace("****", "\n\n")
        self.lines = _split_running_headers(text.split("\n"))
        self.blocks: list[Block] = []
        pending: Block | None = None
        for number, line in enumerate(self.lines, start=1):
            if not line.strip():
                continue
            kind = _kind(line)
            if pending is not None and kind in ("para", "heading", "bullet"):
                first = line.strip()[:1]
                words = pending.text.rstrip().split()
                if first.islower() or (words and words[-1].lower() in FUNCTION_WORDS):
                    pending.text = f"{pending.text.rstrip()} {line.strip()}"
                    continue
            if pending is not None and kind == "footnote":
                self.blocks.append(Block(number, line.strip(), kind))
                continue  # footnotes interrupt a paragraph carried over a page break
            block = Block(number, line, kind)
            self.blocks.append(block)
            long_text = len(line.strip()) > 60 and kind in ("para", "bullet")
            pending = block if long_text and not line.rstrip().endswith(TERMINAL) else None
        self._number_paragraphs()
        toc = [b for b in self.blocks if b.kind == "row" and re.search(r"\t\d+\s*$", b.text)]
        self.toc = {norm(b.text.rsplit("\t", 1)[0]): int(b.text.rsplit("\t", 1)[1]) for b in toc}
        for b in toc:
            b.kind = "toc"
        self.parts = {norm(name): norm(opening) for name, opening in (parts or {}).items()}

    def _number_paragraphs(self) -> None:
        major = minor = None
        for block in self.blocks:
            text = re.sub(r"^[\s\-•]*", "", block.text)
            if (m := re.match(r"^(\d+)\.\s*\((\d+)\)", text)) or (
                m := re.match(r"^(\d+)\.(\d+)\s", text)
            ):
                major, minor = int(m.group(1)), int(m.group(2))
                block.para = (major, minor)
            elif (m := re.match(r"^\((\d+)\)", text)) and major is not None:
                minor = int(m.group(1))
                block.para = (major, minor)
            elif (m := re.match(r"^\(([ivx]+)\)", text)) and major is not None:
                block.para = (major, minor, m.group(1)) if minor else (major, m.group(1))
            elif (m := re.match(r"^(\d+)\.\s+[A-Z]", text)) and block.kind == "para":
                major, minor = int(m.group(1)), None
                block.para = (major,)

    # -- spans are (start, end) indexes into self.blocks ------------------------------------

    def whole(self) -> tuple[int, int]:
        return (0, len(self.blocks))

    def text(self, span: tuple[int, int]) -> str:
        return "\n".join(b.text for b in self.blocks[span[0] : span[1]])

    def is_major(self, block: Block) -> bool:
        return block.plain in self.toc

    def section_end(self, index: int, limit: int) -> int:
        """Where a heading's section ends: at the next heading; for a heading listed in the
        table of contents, or one with nothing under it, at the next listed heading. A list's
        label ("Key Achievements:") ends no section but its own."""
        here = self.blocks[index]
        label = here.text.rstrip().endswith(":")
        runs_on = self.is_major(here) or (
            index + 1 < limit and self.blocks[index + 1].kind == "heading"
        )
        for j in range(index + 1, limit):
            block = self.blocks[j]
            if block.kind != "heading" or (j == index + 1 and runs_on and not self.toc):
                continue
            if block.text.rstrip().endswith(":") and not label:
                continue
            if runs_on and self.toc and not self.is_major(block):
                continue
            return j
        return limit


def _heading_matches(block: Block, name: str) -> bool:
    if block.kind != "heading":
        return False
    text = re.sub(r"^\d+\.\s*", "", block.plain).rstrip(":").strip()
    name = name.rstrip(":").strip()
    return text == name or text.startswith(f"{name} -") or text.startswith(f"{name}:")


def _begins(block: Block, phrase: str) -> bool:
    bare = phrase.lstrip("\"'").lstrip()  # a block's body is read without its opening quote
    return block.body.startswith(bare) or block.plain.startswith(phrase)


def _sentences(text: str) -> list[str]:
    text = re.sub(r"^[\s\-•]*(?:\d+\.\s*)?(?:\(\d+\)\s*)?", "", text)
    return [s for s in re.split(r"(?<=[.!?])[\"”’]?\s+(?=[A-Z\"“‘'])", " ".join(text.split())) if s]


class Resolver:
    def __init__(self, document: Document):
        self.doc = document

    # Each step maps a list of regions to a list of regions. A region is a span of blocks
    # (start, end), or a piece of text once a step has narrowed below a block.

    def resolve(self, locator: Locator | str) -> list[str]:
        if isinstance(locator, str):
            locator = parse(locator)
        found = []
        for place in locator.places:
            found.extend(self.place(place))
        return found

    def place(self, place: Place) -> list[str]:
        regions: list = [self.doc.whole()]
        self.table = None
        steps = list(place.steps)
        i = 0
        while i < len(steps):
            step = steps[i]
            if step.kind == "section":
                # A heading printed with a comma ("Improvement Board, improvement reports and
                # improvement plans") arrives as several steps: try the longest run first.
                for k in range(len(steps) - i, 0, -1):
                    run = steps[i : i + k]
                    if not all(s.kind == "section" and not s.mode for s in run[1:]):
                        continue
                    name = ", ".join(s.values[0] for s in run)
                    merged = Step("section", (name,), step.mode, step.note)
                    try:
                        regions = self.apply(merged, regions, last=i + k == len(steps))
                    except LocatorError:
                        if k == 1:
                            raise
                        continue
                    i += k
                    break
                continue
            regions = self.apply(step, regions, last=i + 1 == len(steps))
            if step.kind == "table":
                self.table = regions[0]
            i += 1
        texts = [self.doc.text(r) if isinstance(r, tuple) else r for r in regions]
        if not any(t.strip() for t in texts):
            raise LocatorError("names an empty part of the report")
        return texts

    def apply(self, step: Step, regions: list, last: bool) -> list:
        handler = getattr(self, f"step_{step.kind}")
        out = []
        for region in regions:
            out.extend(handler(step, region, last))
        if not out:
            raise LocatorError(f"{step} not found")
        return out

    def blocks(self, region) -> range:
        if not isinstance(region, tuple):
            raise LocatorError("a step below a sentence, row or cell")
        return range(*region)

    # -- sections and named parts -----------------------------------------------------------

    def step_section(self, step: Step, region, last: bool) -> list:
        name = norm(step.values[0])
        doc = self.doc
        if name in doc.parts:
            return [self.part(name)]
        if isinstance(region, tuple):
            # The named heading within the region, or after it up to the end of the report
            # (a subsection is printed after its parent's heading).
            start = region[0]
            for limit in (region[1], len(doc.blocks)):
                for j in range(start, limit):
                    if _heading_matches(doc.blocks[j], name):
                        span = (j, doc.section_end(j, len(doc.blocks)))
                        return self.then_item(step, [span])
            # Not a heading: a bullet or line that opens with these words.
            for j in self.blocks(region):
                if _begins(doc.blocks[j], name):
                    return self.then_item(step, [(j, self.block_end(j))])
        if " and " in name and not step.mode:
            regions = []
            for half in name.split(" and "):
                regions.extend(self.step_section(Step("section", (half,)), region, last))
            return regions
        if not isinstance(region, tuple) and name in norm(region):
            return [region]
        raise LocatorError(f"no heading or line {step.values[0]!r} here")

    def then_item(self, step: Step, spans: list) -> list:
        if step.mode.startswith("then-item:"):
            roman = step.mode.split(":", 1)[1]
            return self.step_para(Step("para", ((roman,),), "item"), spans[0], True)
        return spans

    def part(self, name: str) -> tuple[int, int]:
        opening = self.doc.parts[name]
        for j, block in enumerate(self.doc.blocks):
            if opening in block.plain:
                return (j, len(self.doc.blocks))
        raise LocatorError(f"the part {name!r} is not in this report")

    def block_end(self, j: int) -> int:
        """A block and the list items under it (a numbered item's sub-items, a list's bullets)."""
        blocks = self.doc.blocks
        first = blocks[j]
        indent = len(first.text) - len(first.text.lstrip())
        k = j + 1
        if first.kind in ("bullet", "para") and re.match(r"^\s*[-\s]*\d+\.\s", first.text):
            while (
                k < len(blocks)
                and blocks[k].kind == "bullet"
                and (
                    len(blocks[k].text) - len(blocks[k].text.lstrip()) > indent
                    or re.match(r"^\s*-\s*[a-z]\.", blocks[k].text)
                )
            ):
                k += 1
        return k

    # -- numbered paragraphs and list items ---------------------------------------------------

    def step_para(self, step: Step, region, last: bool) -> list:
        doc = self.doc
        out = []
        for ref in step.values:
            matches = []
            for j in self.blocks(region):
                para = doc.blocks[j].para
                if para == ref or (step.mode == "item" and para[-1:] == ref):
                    matches.append(j)
            if not matches:
                raise LocatorError(f"no paragraph {ref} here")
            if len(matches) > 1 and step.mode != "item":
                raise LocatorError(f"paragraph {ref} is printed twice: name its section")
            j = matches[0]
            end = j + 1
            # A paragraph runs on over its unnumbered lines and sub-items, to the next
            # numbered paragraph at its level or the next heading of a section.
            while end < region[1]:
                nxt = doc.blocks[end]
                if nxt.para and (len(nxt.para) <= len(ref) or not isinstance(nxt.para[-1], str)):
                    break
                if nxt.para and step.mode == "item":
                    break
                if nxt.kind == "heading" and doc.is_major(nxt):
                    break
                if nxt.kind == "heading" and not re.search(r":\s*$", nxt.text):
                    break
                end += 1
            out.append((j, end))
        return out

    def step_item(self, step: Step, region, last: bool) -> list:
        doc = self.doc
        span = self.blocks(region)
        if step.mode == "number":
            number, letter = step.values
            for j in span:
                if re.match(rf"^\s*[-\s]*{number}\.\s", doc.blocks[j].text):
                    if not letter:
                        return [(j, self.block_end(j))]
                    for k in range(j + 1, self.block_end(j)):
                        if re.match(rf"^\s*-?\s*{letter}\.\s", doc.blocks[k].text):
                            return [(k, k + 1)]
            raise LocatorError(f"no item {number}{f'({letter})' if letter else ''} here")
        bullets = [j for j in span if doc.blocks[j].kind == "bullet"]
        if step.mode == "nth":
            (n,) = step.values
            if not bullets or abs(n) > len(bullets) or n == 0:
                raise LocatorError("no such bullet here")
            j = bullets[n - 1 if n > 0 else n]
            return [(j, j + 1)]
        phrase = norm(step.values[0])
        for j in span:
            if doc.blocks[j].kind == "bullet" and _begins(doc.blocks[j], phrase):
                if step.mode == "list":
                    end = j + 1
                    while end < span.stop and doc.blocks[end].kind == "bullet":
                        end += 1
                    return [(j, end)]
                return [(j, j + 1)]
        raise LocatorError(f"no bullet beginning {step.values[0]!r} here")

    # -- paragraphs and sentences ------------------------------------------------------------

    def paragraphs(self, region) -> list[int]:
        return [j for j in self.blocks(region) if self.doc.blocks[j].kind in ("para", "bullet")]

    def step_paragraph(self, step: Step, region, last: bool) -> list:
        doc = self.doc
        paras = self.paragraphs(region)
        if step.mode == "ordinal":
            out = []
            for n in step.values:
                if not paras or abs(n) > len(paras):
                    raise LocatorError("there are not that many paragraphs here")
                j = paras[n - 1 if n > 0 else n]
                out.append((j, j + 1))
            return out
        if step.mode == "after-item":
            number = step.values[0]
            for j in self.blocks(region):
                if re.match(rf"^\s*[-\s]*{number}\.\s", doc.blocks[j].text):
                    k = self.block_end(j)
                    if k < region[1]:
                        return [(k, k + 1)]
            raise LocatorError(f"no paragraph after item {number} here")
        found = []
        for phrase in (norm(p) for p in step.values):
            for j in self.blocks(region):
                block = doc.blocks[j]
                if step.mode == "continuing":
                    if phrase in block.plain and not _begins(block, phrase):
                        found.append(j)
                        break
                elif _begins(block, phrase):
                    found.append(j)
                    break
            else:
                raise LocatorError(f"no paragraph {step.mode} {phrase!r} here")
        if step.mode == "range":
            return [(found[0], found[-1] + 1)]
        return [(j, j + 1) for j in found]

    def step_sentence(self, step: Step, region, last: bool) -> list:
        text = self.doc.text(region) if isinstance(region, tuple) else region
        sentences = _sentences(text)
        if step.mode == "ordinal":
            out = []
            for n in step.values:
                if abs(n) > len(sentences):
                    raise LocatorError("there are not that many sentences here")
                out.append(sentences[n - 1 if n > 0 else n])
            return out
        out = []
        for phrase in (norm(p) for p in step.values):
            matches = [s for s in sentences if norm(s).startswith(phrase)]
            if not matches:
                raise LocatorError(f"no sentence beginning {phrase!r} here")
            out.append(matches[0])
        return out

    def step_contains(self, step: Step, region, last: bool) -> list:
        text = self.doc.text(region) if isinstance(region, tuple) else region
        for phrase in step.values:
            if norm(phrase) not in norm(text):
                raise LocatorError(f"{phrase!r} is not printed here")
        return [region]

    def step_note(self, step: Step, region, last: bool) -> list:
        return [region]

    # -- tables ----------------------------------------------------------------------------

    def table_block(self, j: int, forward: bool) -> tuple[int, int] | None:
        """The rows printed after (or before) block j: rows, rules and short labels."""
        blocks = self.doc.blocks
        step = 1 if forward else -1
        k = j + step
        edge = k
        while 0 <= k < len(blocks):
            kind = blocks[k].kind
            if kind in ("row", "rule") or (kind == "heading" and not self.doc.is_major(blocks[k])):
                if kind == "row" or (not forward and blocks[edge].kind == "row"):
                    edge = k
                k += step
                continue
            break
        if not (0 <= edge < len(blocks)) or not any(
            blocks[i].kind == "row" for i in range(min(edge, j), max(edge, j) + 1)
        ):
            return None
        return (j + 1, edge + 1) if forward else (edge, j)

    def step_table(self, step: Step, region, last: bool) -> list:
        doc = self.doc
        span = self.blocks(region)
        if step.mode == "title":
            title = norm(step.values[0])
            for j in range(span.start, len(doc.blocks)):
                if doc.blocks[j].plain.rstrip(":") == title:
                    table = self.table_block(j, True) or self.table_block(j, False)
                    if table:
                        return [table]
            raise LocatorError(f"no table titled {step.values[0]!r} here")
        about = norm(step.values[0])
        for j in span:
            table = self.table_block(j, True)
            introduced = table and doc.blocks[j].kind != "row"
            if introduced and (about in doc.blocks[j].plain or about in norm(doc.text(table))):
                return [table]
        raise LocatorError(f"no table of {step.values[0]!r} here")

    def rows(self, region) -> list[int]:
        doc = self.doc
        return [
            j
            for j in self.blocks(region)
            if doc.blocks[j].kind == "row"
            and doc.blocks[j].text.split("\t")[0].strip()
            and norm(doc.blocks[j].text.split("\t")[0]) not in ("factor",)
        ]

    def step_row(self, step: Step, region, last: bool) -> list:
        doc = self.doc
        rows = self.rows(region)
        out = []
        for number, label in step.values:
            if number:
                # Rows are numbered down the whole table, whatever part of it is in view.
                rows = self.rows(self.table or region)
                if number > len(rows):
                    raise LocatorError(f"the table has no row {number}")
                j = rows[number - 1]
                if label and not norm(doc.blocks[j].text.split("\t")[0]).startswith(norm(label)):
                    raise LocatorError(f"row {number} is not {label!r}")
                out.append((j, j + 1))
                continue
            matches = [
                j
                for j in rows
                if norm(doc.blocks[j].text.split("\t")[0]) == norm(label)
                or norm(doc.blocks[j].text).startswith(norm(label))
            ]
            if not matches:
                raise LocatorError(f"no row {label!r} in the table")
            out.append((matches[0], matches[0] + 1))
        return out

    def header(self, j: int) -> list[str] | None:
        """The column headings above row j: the nearest line above that starts with a tab."""
        blocks = self.doc.blocks
        for k in range(j, max(-1, j - 12), -1):
            if blocks[k].kind == "row" and blocks[k].text.startswith("\t"):
                return blocks[k].text.split("\t")
        return None

    def step_column(self, step: Step, region, last: bool) -> list:
        doc = self.doc
        if (
            isinstance(region, tuple)
            and region[1] - region[0] == 1
            and doc.blocks[region[0]].kind == "row"
        ):
            rows = [region[0]]
        else:
            rows = self.rows(region)
        out = []
        for j in rows:
            header = self.header(j)
            cells = doc.blocks[j].text.split("\t")
            if header is None:
                raise LocatorError("the table has no column headings")
            if step.mode == "ordinal":
                index = step.values[0] if step.values[0] > 0 else len(header) + step.values[0]
            else:
                wanted = norm(step.values[0])
                index = next((i for i, cell in enumerate(header) if wanted in norm(cell)), None)
                if index is None:
                    raise LocatorError(f"no column {step.values[0]!r}")
            cell = cells[index] if index < len(cells) else ""
            out.append(f"{cells[0]}\t{header[index] if index < len(header) else ''}\t{cell}")
        return out

    # -- footnotes, pages and the report's furniture ----------------------------------------

    def step_footnote(self, step: Step, region, last: bool) -> list:
        doc = self.doc
        out = []
        for n in step.values:
            mark = "".join(SUPERSCRIPTS[int(d)] for d in str(n))
            pattern = re.compile(rf"^{mark}(?![{SUPERSCRIPTS}])")
            j = next(
                (
                    j
                    for j, b in enumerate(doc.blocks)
                    if b.kind == "footnote" and pattern.match(b.text)
                ),
                None,
            )
            if j is None:
                raise LocatorError(f"no footnote {n} in the report")
            end = j + 1
            if len(doc.blocks[j].text.strip()) < 20:  # "⁹ Including", then the list it opens
                while end < min(len(doc.blocks), j + 4) and doc.blocks[end].kind in (
                    "para",
                    "heading",
                ):
                    end += 1
            out.append((j, end))
        return out

    def step_page(self, step: Step, region, last: bool) -> list:
        (page,) = step.values
        doc = self.doc
        if re.search(rf"\bp{page}\b", doc.text(doc.whole())):
            return [doc.whole()]  # an article printed on one page
        starts = sorted((p, name) for name, p in doc.toc.items() if p <= page)
        if not starts:
            raise LocatorError(f"no page {page} in the table of contents")
        name = starts[-1][1]
        for j, block in enumerate(doc.blocks):
            if block.kind == "heading" and block.plain == name:
                return [(j, doc.section_end(j, len(doc.blocks)))]
        raise LocatorError(f"page {page} not found")

    def step_furniture(self, step: Step, region, last: bool) -> list:
        (what,) = step.values
        doc = self.doc
        span = self.blocks(region)
        if what == "heading":
            return [(span.start, span.start + 1)]
        if what in ("header", "cover"):
            end = span.start
            while end < span.stop and not (
                doc.blocks[end].para
                or (
                    end > span.start
                    and doc.blocks[end].kind == "heading"
                    and (
                        doc.is_major(doc.blocks[end])
                        or doc.blocks[end].plain in ("introduction", "table of contents")
                        or re.match(r"^\d+\.\s", doc.blocks[end].text)
                    )
                )
            ):
                end += 1
            if end == span.start:
                raise LocatorError(f"no {what} here")
            return [(span.start, end)]
        # A signature: the short lines after the last full paragraph of the part.
        end = span.stop
        if span.stop < len(doc.blocks) or span.start > 0:
            pass
        limit = end
        if not doc.parts or span.start == 0:
            # the main report ends where a named part (an appendix report) begins
            for name in doc.parts:
                start = self.part(name)[0]
                if span.start < start < limit:
                    limit = start
        k = limit - 1
        while (
            k > span.start
            and len(doc.blocks[k].text.strip()) < 100
            and not doc.blocks[k].text.rstrip().endswith(".")
        ):
            k -= 1
        if k == limit - 1:
            raise LocatorError("no signature here")
        return [(k + 1, limit)]
