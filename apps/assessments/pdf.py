"""HTML to PDF with WeasyPrint, fetching nothing: every PDF the portal makes (self-assessment results, the
development plan for appraisal) goes through here. Templates are self-contained (inline styles, installed fonts)."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from weasyprint.document import Document


def render_document(*, html: str, base_url: str, what: str) -> "Document":
    """Lay the HTML out on pages. `what` names the document in the error if something tries to fetch a resource."""
    # Imported here so that pages, and every process that imports the views, do not need Pango.
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    # No protocol is allowed, so nothing is fetched; an attempt (an <img>, a web font) stops the render loudly.
    no_fetching = URLFetcher(allowed_protocols=(), fail_on_errors=True)
    try:
        return HTML(string=html, base_url=base_url, url_fetcher=no_fetching).render()
    except FatalURLFetchingError as exc:  # a BaseException: make it an ordinary error, which Django reports as such
        raise RuntimeError(f"The {what} PDF must fetch nothing: {exc}") from exc


def document_bytes(document: "Document") -> bytes:
    pdf = document.write_pdf()
    assert pdf is not None  # write_pdf returns the bytes when no target is given
    return bytes(pdf)
