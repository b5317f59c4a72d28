"""Stage: extract. A fetched page (`FetchResult`) -> `SourceDocument`: the article's title,
paragraphs, date and outlet, using the registry's selectors for the outlet, JSON-LD, and
trafilatura as the generic extractor; paywall and barrier pages are recognised.

    from verifier.extract import extract_document
    doc = extract_document(html_bytes, location="page.html")
"""

from verifier.extract.document import document_from_fetch, element_text, extract_document

__all__ = ["document_from_fetch", "element_text", "extract_document"]
