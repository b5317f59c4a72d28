"""`verifier find`, and the discovery glue of the commands: the `--no-discover/--date/--replay`
flags of `verifier article`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any

import typer

from verifier.cli.common import (
    AllowPrivateOpt,
    DateOpt,
    OutletOpt,
    ReplayOpt,
    TextJson,
    TextJsonOpt,
    TimeoutOpt,
    make_options,
)
from verifier.errors import UsageError

if TYPE_CHECKING:
    from verifier.pipeline import Options


def find(
    text: Annotated[str, typer.Argument(help="The claim, or a quote wrapped in quotation marks.")],
    outlet: OutletOpt = None,
    date: DateOpt = None,
    format: TextJsonOpt = TextJson.text,
    replay: ReplayOpt = None,
    allow_private: AllowPrivateOpt = False,
    timeout: TimeoutOpt = 20.0,
    net=None,
) -> int:
    """List ranked candidate originals for a claim or quote (Guardian API, news sitemaps, GDELT).

    Example: verifier find 'US "air cover" would be essential to the plan' --outlet Times --date 2025-02-20
    """
    if not text.strip():
        raise UsageError("the claim is empty")
    opts = make_options(allow_private=allow_private, timeout=timeout, net=net)
    with discovery_session(opts, date=date, replay=replay):
        return run_find(text, outlet, opts, format.value)


def _input_failure(message: str) -> Exception:
    return UsageError(message)


@contextmanager
def discovery_session(
    opts: Options, *, no_discover: bool = False, date: str | None = None, replay: str | None = None
) -> Iterator[Options]:
    """Configure `opts` for discovery; with `replay`, every URL the run fetches is answered from
    that replay file, in process (verifier.sources.discover.replay), for the duration of the block."""
    from pathlib import Path

    from verifier.sources.discover.query import parse_date

    if date is not None:
        if parse_date(date) is None or len(date.strip()) != 10:
            raise _input_failure(f"--date: not a date: {date!r} (use YYYY-MM-DD)")
        opts.discovery.article_date = date.strip()
    opts.discover = not no_discover
    if not replay:
        yield opts
        return
    if not Path(replay).is_file():
        raise _input_failure(f"no such replay file: {replay}")
    from verifier.sources.discover.replay import ProviderReplay

    try:
        rp = ProviderReplay.from_file(replay)
    except (ValueError, KeyError, OSError) as e:
        raise _input_failure(f"bad replay file {replay}: {e}") from e
    with rp:
        try:
            rp.apply(opts)
        except ValueError as e:
            raise _input_failure(str(e)) from e
        yield opts


def run_find(text: str, outlet: str | None, opts: Options, fmt: str = "text") -> int:
    """`verifier find`: the ranked candidates for one claim or quote."""
    import re

    from verifier.attributions.single_claim import _QUOTE_WRAP
    from verifier.models import Attribution
    from verifier.registry import default_registry
    from verifier.sources.discover.core import find_candidates, make_context
    from verifier.sources.discover.query import article_date, build_query

    reg = opts.registry or default_registry()
    if outlet and reg.find(outlet) is None:
        raise _input_failure(f"unknown outlet: {outlet} (see `verifier outlets`)")
    m = _QUOTE_WRAP.match(text)
    body = m.group("q").strip() if m else text.strip()
    frags = [] if m else [f.strip(" ,.;:") for f in re.findall(r"[“\"«]([^”\"»]+)[”\"»]", body)]
    o = reg.find(outlet) if outlet else None
    a = Attribution("a1", "quote" if m else "claim", body, (0, len(body)), text.strip(), "",
                    outlet=o.name if o else None, fragments=[f for f in frags if f])
    ctx = make_context(opts, reg)
    day, day_from = article_date(None, ctx.config.article_date)
    q = build_query(a, reg, day, days_before=ctx.config.days_before, days_after=ctx.config.days_after)
    ranked, tried = find_candidates(q, ctx)
    if fmt == "json":
        print(json.dumps({
            "query": {"text": q.text, "kind": q.kind, "outlet": o.name if o else None, "words": q.words,
                      "phrases": q.phrases, "date": day.isoformat(), "date_from": day_from,
                      "from": q.start.isoformat(), "to": q.end.isoformat()},
            "tried": tried,
            "candidates": [c.to_dict() for c in ranked],
        }, ensure_ascii=False, indent=2))
        return 0
    _print_table(ranked, tried, q, day_from)
    return 0


def _print_table(ranked: list[Any], tried: list[str], q: Any, day_from: str) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from verifier.report.escape import terminal_text

    c = Console(highlight=False)
    heading = f"candidates {q.start}..{q.end} (article date {q.article_date}, {day_from})"
    tried_line = "tried: " + ("; ".join(tried) if tried else "no provider applies")
    if not c.is_terminal:  # a pipe: plain lines, full titles and URLs
        lines = [heading]
        for i, cand in enumerate(ranked, 1):
            pub = cand.published.strftime("%Y-%m-%d %H:%M") if cand.published else "?"
            live = " (live blog)" if cand.kind == "liveblog" else ""
            lines.append(f"{i}  {cand.score:.0f}  {cand.provider}  {pub}  {terminal_text(cand.title or '(no title)')}{live}")
            lines.append(f"    {terminal_text(cand.url)}")
        lines.append(terminal_text(tried_line))
        print("\n".join(lines))
        return
    t = Table(title=Text(heading), show_lines=True, expand=True)
    for col in ("#", "score", "found by", "published", "title / url"):
        t.add_column(col, ratio=4 if col == "title / url" else None, no_wrap=col != "title / url", overflow="fold")
    for i, cand in enumerate(ranked, 1):
        pub = cand.published.strftime("%Y-%m-%d %H:%M") if cand.published else "?"
        title = Text(terminal_text(cand.title or "(no title)"))
        if cand.kind == "liveblog":
            title.append(" (live blog)", style="dim")
        title.append("\n" + terminal_text(cand.url), style="dim")
        t.add_row(str(i), f"{cand.score:.0f}", cand.provider, pub, title)
    c.print(t)
    c.print(Text(terminal_text(tried_line)))
