"""The shared PDF renderer: valid PDFs, deterministic bytes, Unicode and the core-font fallback."""

import re
from datetime import UTC, datetime

import pytest

import api.documents.pdf as pdf_module
from api.documents.pdf import (
    BulletList,
    Document,
    Heading,
    Paragraph,
    SignatureLines,
    Spacer,
    Table,
    font_in_use,
    render_pdf,
)

CREATED = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)


def sample() -> Document:
    return Document(
        title="Brief over uw spullen – € 0,00 kosten",
        subtitle="Kenmerk OPS-2024-017",
        blocks=[
            Heading("Wat is er gebeurd?"),
            Paragraph("Uw spullen staan veilig opgeslagen. " * 30),
            Paragraph("Belangrijk: neem uw paspoort mee.", bold=True),
            Paragraph("Kleine letters.", small=True),
            BulletList(["één", "twee ’quote’"]),
            Table(header=["Wat", "Wanneer"], rows=[["Ophalen", "vóór 1 juli 2024"]], col_widths=(1, 2)),
            Spacer(6),
            SignatureLines(["Gemeente", "Bewoner"]),
        ],
        footer="Gemeente Maastricht",
        created=CREATED,
    )


def test_renders_a_pdf() -> None:
    data = render_pdf(sample())
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")
    assert b"/Type /Page" in data


def test_same_document_same_bytes() -> None:
    assert render_pdf(sample()) == render_pdf(sample())


def test_uses_vendored_unicode_font() -> None:
    assert font_in_use().endswith("DejaVuSans.ttf")
    assert b"DejaVu" in render_pdf(sample())


def test_falls_back_to_core_font(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_module, "_font_files", lambda: None)
    data = render_pdf(sample())
    assert data.startswith(b"%PDF-")
    assert b"Helvetica" in data
    assert font_in_use() == "Helvetica"


def test_long_document_breaks_pages() -> None:
    doc = Document(title="Lang", blocks=[Paragraph("regel " * 200) for _ in range(10)], created=CREATED)
    pages = re.search(rb"/Count (\d+)", render_pdf(doc))
    assert pages is not None and int(pages.group(1)) >= 2


def test_table_widths_must_match_columns() -> None:
    doc = Document(title="T", blocks=[Table(header=["a", "b"], rows=[["1", "2"]], col_widths=(1,))], created=CREATED)
    with pytest.raises(ValueError, match="2 columns"):
        render_pdf(doc)
