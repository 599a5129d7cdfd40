"""HTML into PDF, with weasyprint: its only home.

The documents come from our own templates and their CSS is given as text, so weasyprint needs
to fetch nothing: its fetcher accepts data: URLs only. Whatever a document holds, making its
PDF never calls out to the network nor reads a file of the server.
"""

import logging
from collections.abc import Iterable

# weasyprint announces each of its seven rendering steps at INFO: noise in the server's log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def html_to_pdf(html: str, *, stylesheets: Iterable[str] = ()) -> bytes:
    """Lay out the HTML document with the given CSS texts and return the PDF's bytes."""
    # Imported here: weasyprint loads Pango and its fonts (most of a second), which only the
    # pages that make PDFs should pay for, not every process that loads the URLconf.
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"}, timeout=1, allow_redirects=False)
    document = HTML(string=html, base_url=None, url_fetcher=fetcher)
    css = [CSS(string=text, url_fetcher=fetcher) for text in stylesheets]
    return document.write_pdf(stylesheets=css)
