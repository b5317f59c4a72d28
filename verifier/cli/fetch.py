"""`verifier fetch`: what the verifier reads from one source page."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from verifier.cli.common import (
    EXIT_INPUT,
    EXIT_OK,
    AllowPrivateOpt,
    OfflineOpt,
    OutletsOpt,
    TextJson,
    TextJsonOpt,
    TimeoutOpt,
    check_url,
    make_options,
)
from verifier.errors import InputError


def fetch(
    location: Annotated[str, typer.Argument(help="URL or file of a source page.")],
    format: TextJsonOpt = TextJson.text,
    offline: OfflineOpt = False,
    allow_private: AllowPrivateOpt = False,
    timeout: TimeoutOpt = 20.0,
    outlets: OutletsOpt = None,
    net=None,
) -> int:
    """Show what the verifier reads from a source page: metadata, paywall state, body text.

    Example: verifier fetch https://www.theguardian.com/world/2025/feb/20/slug --format json
    """
    import json
    import os

    from verifier.pipeline import fetch_documents
    from verifier.report.article import document_dict

    if "://" not in location and not os.path.exists(location):
        raise InputError(f"no such file: {location}")
    check_url(location)
    opts = make_options(offline=offline, allow_private=allow_private, timeout=timeout, outlets=outlets, net=net)
    doc = fetch_documents([location], opts)[location]
    if format is TextJson.json:
        typer.echo(json.dumps(document_dict(doc), ensure_ascii=False, indent=2))
    else:
        # plain lines: a page's title or text is never read as markup or terminal codes
        from verifier.report.escape import terminal_text

        d = document_dict(doc)
        lines = [f"{key}: {terminal_text(d[key])}" for key in (
            "url", "final_url", "status", "outlet", "title", "byline", "published", "paywalled",
            "paywall_reason", "method", "error", "sha256") if d[key] not in (None, "")]
        lines.append("")
        for p in doc.paragraphs:
            lines += [terminal_text(p), ""]
        sys.stdout.write("\n".join(lines) + "\n")
    return EXIT_OK if doc.ok else EXIT_INPUT
