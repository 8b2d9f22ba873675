"""Render simple structured documents (letters, agreements) to PDF with fpdf2.

Why one small renderer: placement letters, storage letters and the logeer
agreement all need the same plain, readable A4 layout, and the people who get
them often read with difficulty (domain.md: plain language, B1). So a document
is data, not drawing code: build a :class:`Document` from blocks and call
:func:`render_pdf`.

Usage::

    from api.documents.pdf import Document, Heading, Paragraph, Table, SignatureLines, render_pdf

    doc = Document(
        title="Brief over uw spullen",
        subtitle="Kenmerk OPS-2024-017",
        blocks=[
            Paragraph("Beste bewoner,"),
            Paragraph("Uw spullen staan veilig opgeslagen.", bold=True),
            BulletList(["Neem uw identiteitsbewijs mee.", "Bel ons als u niet kunt komen."]),
            Table(header=["Wat", "Wanneer"], rows=[["Ophalen", "vóór 1 juli 2024"]]),
            SignatureLines(["Gemeente", "Bewoner"]),
        ],
        footer="Gemeente Maastricht - Onderdak",
    )
    pdf_bytes = render_pdf(doc)

Blocks: :class:`Heading`, :class:`Paragraph` (``bold``, ``small``),
:class:`BulletList`, :class:`Table` (optional header and relative column widths),
:class:`SignatureLines` (one line per signer with name, date and place), and
:class:`Spacer`. Text may contain any Unicode the font has (€, ë, é, ’).

Fonts: the vendored DejaVu Sans in ``api/documents/fonts/`` (free licence, see
``LICENSE`` there), else the system copy in ``/usr/share/fonts``, else fpdf2's
core Helvetica with the text reduced to Windows-1252 (which still has € and
accented letters). :func:`font_in_use` says which one a render will use.

The output is deterministic for the same document and ``created`` time, so
tests and caches can compare bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from api.core import clock

__all__ = [
    "Block",
    "BulletList",
    "Document",
    "Heading",
    "Paragraph",
    "SignatureLines",
    "Spacer",
    "Table",
    "font_in_use",
    "render_pdf",
]

_VENDORED = Path(__file__).parent / "fonts"
_SYSTEM = Path("/usr/share/fonts/truetype/dejavu")
_FAMILY = "DejaVu"
_CORE_FAMILY = "Helvetica"

_BODY_SIZE = 11
_SMALL_SIZE = 9
_HEADING_SIZE = 13
_TITLE_SIZE = 17
_LINE = 5.6  # mm per line of body text (about 1.4 x the font size): easy to read


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Paragraph:
    text: str
    bold: bool = False
    small: bool = False


@dataclass(frozen=True)
class BulletList:
    items: Sequence[str]


@dataclass(frozen=True)
class Table:
    """A table of text cells. ``col_widths`` are relative (e.g. ``(1, 2)``)."""

    rows: Sequence[Sequence[str]]
    header: Sequence[str] | None = None
    col_widths: Sequence[float] | None = None


@dataclass(frozen=True)
class SignatureLines:
    """One signature block per signer: name, place and date, and a line to sign on."""

    signers: Sequence[str]


@dataclass(frozen=True)
class Spacer:
    height_mm: float = 4.0


Block = Heading | Paragraph | BulletList | Table | SignatureLines | Spacer


@dataclass(frozen=True)
class Document:
    """A printable document: title, optional subtitle, blocks in order, footer on every page."""

    title: str
    blocks: Sequence[Block]
    subtitle: str | None = None
    footer: str | None = None
    author: str = "Onderdak"
    language: str = "nl"
    created: datetime | None = field(default=None)


def _font_files() -> tuple[Path, Path] | None:
    for folder in (_VENDORED, _SYSTEM):
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            return regular, bold
    return None


def font_in_use() -> str:
    """The font file (or core font name) the next render will use."""
    files = _font_files()
    return str(files[0]) if files else _CORE_FAMILY


_CORE_REPLACEMENTS = str.maketrans({"\u2212": "-", "\u2192": "->", "\u2264": "<=", "\u2265": ">=", "\u2610": "[ ]"})


class _Pdf(FPDF):
    def __init__(self, doc: Document) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.doc = doc
        files = _font_files()
        if files:
            self.add_font(_FAMILY, "", str(files[0]))
            self.add_font(_FAMILY, "B", str(files[1]))
            self.family_name = _FAMILY
            self.unicode = True
        else:
            self.family_name = _CORE_FAMILY
            self.unicode = False
            self.core_fonts_encoding = "windows-1252"
        self.set_margins(20, 20, 20)
        self.set_auto_page_break(auto=True, margin=20)
        self.set_title(self.t(doc.title))
        self.set_author(self.t(doc.author))
        self.set_lang(doc.language)
        self.set_creation_date(doc.created or clock.now())

    def t(self, text: str) -> str:
        """Text safe for the font: unchanged for DejaVu, Windows-1252 for core Helvetica."""
        if self.unicode:
            return text
        text = text.translate(_CORE_REPLACEMENTS)
        return text.encode("windows-1252", errors="replace").decode("windows-1252")

    def font(self, size: float, bold: bool = False) -> None:
        self.set_font(self.family_name, "B" if bold else "", size)

    def footer(self) -> None:
        self.set_y(-14)
        self.font(_SMALL_SIZE)
        text = f"{self.doc.footer}  ·  " if self.doc.footer else ""
        self.cell(0, 6, self.t(f"{text}pagina {self.page_no()}/{{nb}}"), align="C")

    def text_block(self, text: str, *, size: float = _BODY_SIZE, bold: bool = False, indent: float = 0) -> None:
        self.font(size, bold)
        self.set_x(self.l_margin + indent)
        self.multi_cell(self.epw - indent, _LINE * size / _BODY_SIZE, self.t(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _render_block(pdf: _Pdf, block: Block) -> None:
    if isinstance(block, Heading):
        pdf.ln(2)
        pdf.text_block(block.text, size=_HEADING_SIZE, bold=True)
        pdf.ln(1)
    elif isinstance(block, Paragraph):
        pdf.text_block(block.text, size=_SMALL_SIZE if block.small else _BODY_SIZE, bold=block.bold)
        pdf.ln(2)
    elif isinstance(block, BulletList):
        for item in block.items:
            pdf.font(_BODY_SIZE)
            pdf.set_x(pdf.l_margin)
            pdf.cell(6, _LINE, pdf.t("•"))
            pdf.text_block(item, indent=6)
        pdf.ln(2)
    elif isinstance(block, Table):
        _render_table(pdf, block)
    elif isinstance(block, SignatureLines):
        _render_signatures(pdf, block)
    elif isinstance(block, Spacer):
        pdf.ln(block.height_mm)
    else:  # pragma: no cover - the Block union is closed
        raise TypeError(f"unknown block {type(block).__name__}")


def _render_table(pdf: _Pdf, block: Table) -> None:
    columns = len(block.header) if block.header else max((len(r) for r in block.rows), default=0)
    if columns == 0:
        return
    widths = tuple(block.col_widths) if block.col_widths else tuple(1.0 for _ in range(columns))
    if len(widths) != columns:
        raise ValueError(f"table has {columns} columns but {len(widths)} widths")
    pdf.font(_BODY_SIZE)
    with pdf.table(
        col_widths=widths,
        first_row_as_headings=block.header is not None,
        line_height=_LINE,
        text_align="LEFT",
        width=pdf.epw,
    ) as table:
        rows = ([block.header] if block.header else []) + list(block.rows)
        for row in rows:
            cells = table.row()
            for i in range(columns):
                cells.cell(pdf.t(row[i] if i < len(row) else ""))
    pdf.ln(3)


def _render_signatures(pdf: _Pdf, block: SignatureLines) -> None:
    pdf.ln(4)
    for signer in block.signers:
        if pdf.will_page_break(4 * _LINE):
            pdf.add_page()
        pdf.font(_BODY_SIZE, bold=True)
        pdf.cell(0, _LINE, pdf.t(signer), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.font(_BODY_SIZE)
        pdf.cell(
            0,
            _LINE,
            pdf.t("Plaats en datum: ______________________________"),
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        pdf.ln(_LINE)
        pdf.cell(
            0,
            _LINE,
            pdf.t("Handtekening:    ______________________________"),
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        pdf.ln(_LINE)


def render_pdf(doc: Document) -> bytes:
    """Render ``doc`` to the bytes of an A4 PDF."""
    pdf = _Pdf(doc)
    pdf.alias_nb_pages()
    pdf.add_page()
    pdf.font(_TITLE_SIZE, bold=True)
    pdf.multi_cell(0, 8, pdf.t(doc.title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if doc.subtitle:
        pdf.font(_BODY_SIZE)
        pdf.multi_cell(0, _LINE, pdf.t(doc.subtitle), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)
    for block in doc.blocks:
        _render_block(pdf, block)
    return bytes(pdf.output())
