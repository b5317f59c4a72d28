"""Build a test archive for `verifier audit` from the fixtures (WARC.gz files, CC-NEWS layout).

    python bench/audit_archive.py OUT_DIR [--generated 240] [--files 6] [--copies 1]

The archive holds:
  * every corpus source page (fixtures/corpus/*/sources) at the URL its article links to, or its
    canonical URL; dead links of the cases as 404/503 responses (timeouts: no record at all);
  * every corpus article, rendered as a page of a fictional outlet (its links kept);
  * `--generated` articles of fictional outlets quoting or reporting a source page, with a known
    edit (none, a changed number, an inserted "not", a swapped word, an invented quote), half of
    them linking to the original and half naming the outlet only;
  * bad input: a request record, an image, a binary body sent as text/html, a duplicate URL, and a
    record cut short at the end of the last file.

`--copies N` repeats the whole set N times, each copy's pages at new URLs and dates a week later
(the bench's large archive). `ground_truth.json` says, per citing page, which sources `verifier
check` should be given (those the archive holds as readable articles) and each generated edit.
Nothing is downloaded; the output is deterministic for a given seed.
"""

from __future__ import annotations

import argparse
import html as H
import io
import json
import random
import re
import sys
import tomllib
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "fixtures" / "corpus"
SITES = ("newsdesk.example", "wirecopy.example", "citydesk.example", "dailybrief.example")
_SWAP = ("reportedly", "allegedly", "apparently", "certainly")


@dataclass
class ArchivePage:
    url: str
    body: bytes
    date: str  # capture, ISO 8601
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    kind: str = "original"  # original | citing | dead | bad
    # citing pages: the sources `verifier check` gets (NAME=URL, unlinked outlets the archive holds)
    check_sources: list[str] = field(default_factory=list)
    edits: list[dict] = field(default_factory=list)  # generated pages: what was changed, against which URL
    case: str = ""


def _iso(day: date, hour: int = 12) -> str:
    return datetime(day.year, day.month, day.day, hour).strftime("%Y-%m-%dT%H:%M:%SZ")


def _page_date(html: str) -> date | None:
    m = re.search(r'"datePublished"\s*:\s*"(\d{4}-\d\d-\d\d)', html) or re.search(
        r'published_time"\s+content="(\d{4}-\d\d-\d\d)', html)
    return date.fromisoformat(m.group(1)) if m else None


def _canonical(html: str) -> str | None:
    m = re.search(r'<link rel="canonical" href="([^"]+)"', html)
    return m.group(1) if m else None


def citing_page(url: str, title: str, day: date, paragraphs: list[str]) -> bytes:
    """A fictional outlet's article page: JSON-LD NewsArticle (with articleBody) + visible body.
    `paragraphs` are HTML fragments (links as <a href>)."""
    body_text = "\n\n".join(re.sub(r"<[^>]+>", "", H.unescape(p)) for p in paragraphs)
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
          "datePublished": _iso(day, 9), "articleBody": body_text, "url": url}
    return ("<!doctype html><html lang='en'><head><meta charset='utf-8'>"
            f"<title>{H.escape(title)}</title><link rel=\"canonical\" href=\"{H.escape(url)}\">"
            f"<meta property=\"article:published_time\" content=\"{_iso(day, 9)}\">"
            f"<script type=\"application/ld+json\">{json.dumps(ld, ensure_ascii=False)}</script></head>"
            "<body><header><nav><a href='/'>Home</a></nav></header><main><article>"
            f"<h1>{H.escape(title)}</h1>" + "".join(f"<p>{p}</p>" for p in paragraphs)
            + "</article></main><footer><p>© Newsdesk</p></footer></body></html>").encode("utf-8")


def _article_paragraphs(path: Path) -> tuple[str, list[str]]:
    """A corpus article (.txt/.md) as (title, HTML paragraphs); links kept as <a href>."""
    from verifier.read.reader import markdown_to_article

    raw = path.read_text(encoding="utf-8")
    if path.suffix == ".md":
        art = markdown_to_article(raw, str(path))
        text, links = art.text, art.links
    else:
        text, links = raw.replace("\r\n", "\n"), []
    out, pos = [], 0
    for chunk in re.split(r"(\n\s*\n)", text):
        start, end = pos, pos + len(chunk)
        pos = end
        if not chunk.strip() or re.fullmatch(r"\n\s*\n", chunk):
            continue
        parts, cur = [], start
        for k in links:
            if start <= k.start and k.end <= end:
                parts.append(H.escape(text[cur:k.start]))
                parts.append(f'<a href="{H.escape(k.url)}">{H.escape(text[k.start:k.end])}</a>')
                cur = k.end
        parts.append(H.escape(text[cur:end]))
        out.append(" ".join("".join(parts).split()))
    title = re.sub(r"<[^>]+>", "", H.unescape(out[0]))[:120] if out else path.stem
    return title, out


def _links_local_files(article: Path) -> bool:
    """Does the article link to anything but http(s) URLs (relative paths, file://)?"""
    raw = article.read_text(encoding="utf-8")
    targets = re.findall(r"\]\(([^)\s]+)\)", raw) + re.findall(r'href="([^"]+)"', raw)
    return any(not t.startswith(("http://", "https://", "#", "mailto:")) for t in targets)


def _with_suffix(text: str, links: dict, suffix: str) -> str:
    for link in links:
        text = text.replace(link, link + suffix)
    return text


def _outlet_mention(outlet) -> str:  # noqa: ANN001 - verifier.registry.Outlet
    return next((a for a in outlet.aliases if a.startswith("the ")), outlet.name)


def corpus_pages(shift_days: int = 0, suffix: str = "") -> tuple[list[ArchivePage], list[dict]]:
    """The corpus (sources and articles) as archive pages; also the originals usable for generated
    articles: {url, outlet, date, paragraphs, paywalled}."""
    from verifier.extract.document import extract_document
    from verifier.registry import default_registry

    reg = default_registry()
    pages: list[ArchivePage] = []
    originals: list[dict] = []
    seen: set[str] = set()  # a crawl holds one capture of a URL (cases may share a source page)
    for case_dir in sorted(p for p in CORPUS.iterdir() if (p / "case.toml").exists()):
        case = tomllib.loads((case_dir / "case.toml").read_text(encoding="utf-8"))
        if _links_local_files(case_dir / case["article"]):
            continue  # a case about links to local files: nothing a web archive can hold
        day = date.fromisoformat(case["date"]) + timedelta(days=shift_days)
        replay = case.get("replay", {})
        by_file = {v: k for k, v in replay.items() if not v.startswith(("status:", "timeout"))}
        url_of: dict[str, str] = {}
        for src in sorted((case_dir / "sources").glob("*.html")):
            raw = src.read_text(encoding="utf-8")
            rel = f"sources/{src.name}"
            url = by_file.get(rel) or _canonical(raw) or f"https://unknown.example/{case_dir.name}/{src.name}"
            pday = (_page_date(raw) or date.fromisoformat(case["date"]))
            if shift_days:
                old = pday.isoformat()
                pday = pday + timedelta(days=shift_days)
                raw = raw.replace(old, pday.isoformat())
                url = url + suffix
            url_of[rel] = url
            if url in seen:
                continue
            seen.add(url)
            pages.append(ArchivePage(url, raw.encode("utf-8"), _iso(pday, 8), case=case_dir.name))
            doc = extract_document(raw, location=url, url=url, registry=reg)
            if doc.ok and doc.paragraphs and doc.outlet:
                originals.append({"url": url, "outlet": doc.outlet, "date": pday.isoformat(),
                                  "paragraphs": doc.paragraphs, "paywalled": doc.paywalled})
        for link, target in replay.items():
            if target.startswith("status:"):
                code = int(target.split(":")[1])
                pages.append(ArchivePage(link + suffix if shift_days else link,
                                         f"<html><body><h1>Error {code}</h1></body></html>".encode(),
                                         _iso(day, 10), status=code, kind="dead", case=case_dir.name))
        # the article, as a page of a fictional outlet
        art_path = case_dir / case["article"]
        site = SITES[sum(map(ord, case_dir.name)) % len(SITES)]
        url = f"https://{site}/{day.isoformat()}/{case_dir.name}{suffix}"
        if art_path.suffix == ".html":
            raw_html = art_path.read_text(encoding="utf-8")
            if shift_days:
                raw_html = _with_suffix(raw_html, replay, suffix)
            body = raw_html.encode("utf-8")
        else:
            title, paras = _article_paragraphs(art_path)
            if shift_days:
                paras = [_with_suffix(p, replay, suffix) for p in paras]
            body = citing_page(url, title, day, paras)
        check_sources = []
        for s in case.get("sources", []):
            loc = s["location"]
            target = url_of.get(loc)
            if target and s.get("name"):
                check_sources.append(f"{s['name']}={target}")
        pages.append(ArchivePage(url, body, _iso(day, 12), kind="citing", check_sources=check_sources,
                                 case=case_dir.name))
    return pages, originals


_QUOTE = re.compile(r"[“\"]([^”\"]{30,400}?)[,.]?[”\"]")
_NUM = re.compile(r"\b\d[\d,.]*\b")
# a sentence carrying its own attribution would be attributed to that source, not the outlet
_OWN_CUE = re.compile(r"\b(?:according to|said|says|told|reported|reports|claimed|added|confirmed|announced|warned|"
                      r"insisted|wrote|stated|argued|estimated|revealed|understands|learned|quoted)\b", re.I)
_AUX = re.compile(r"\b(is|was|will|would|can|could|has|have|are|were|should)\b")


def _edit(kind: str, text: str, rng: random.Random) -> str | None:
    if kind == "verbatim":
        return text
    if kind == "number":
        found = list(_NUM.finditer(text))
        if not found:
            return None
        m = found[-1]  # the last figure: the first is often a dateline's date
        digits = m.group(0)
        i = next((k for k, ch in enumerate(digits) if ch.isdigit()), 0)
        new = digits[:i] + rng.choice([d for d in "123456789" if d != digits[i]]) + digits[i + 1:]
        return text[: m.start()] + new + text[m.end():]
    if kind == "negation":
        m = _AUX.search(text)
        if not m or re.search(r"\bnot\b|n't", text):
            return None
        return text[: m.end()] + " not" + text[m.end():]
    if kind == "swap":
        words = [m for m in re.finditer(r"\b[a-z]{6,}\b", text)]
        if not words:
            return None
        w = words[rng.randrange(len(words))]
        return text[: w.start()] + rng.choice(_SWAP) + text[w.end():]
    if kind == "invented":
        return "We have never seen anything like the scenes at the harbour this morning and we are still counting"
    return None


EDITS = ("verbatim", "verbatim", "number", "negation", "swap", "invented")


def generated_pages(originals: list[dict], n: int, seed: int, days_late: tuple[int, int] = (0, 2),
                    prefix: str = "gen") -> list[ArchivePage]:
    """`n` articles of fictional outlets, each quoting (or reporting) one original with a known edit."""
    from verifier.registry import default_registry

    reg = default_registry()
    rng = random.Random(seed)
    usable = [o for o in originals if not o["paywalled"]]
    out = []
    for i in range(n):
        o = usable[rng.randrange(len(usable))]
        outlet = reg.find(o["outlet"])
        assert outlet is not None
        quotes = [q.strip() for p in o["paragraphs"] for q in _QUOTE.findall(p) if len(q.split()) >= 6]
        sentences = [s for p in o["paragraphs"] for s in re.split(r"(?<=[.!?])\s+", p)
                     if 10 <= len(s.split()) <= 40 and not re.search(r"[“”\"‘’]", s)
                     and not _OWN_CUE.search(s) and "(" not in s[:60]]  # no wire datelines
        kind = EDITS[i % len(EDITS)]
        if kind == "number":  # a changed number needs a number to change
            quotes = [q for q in quotes if _NUM.search(q)]
            sentences = [x for x in sentences if _NUM.search(x)]
        if kind == "negation":  # ... and an inserted "not" a verb to negate
            quotes = [q for q in quotes if _AUX.search(q) and not re.search(r"\bnot\b|n't", q)] or quotes
        use_claim = bool(sentences) and kind in ("verbatim", "number") and (i % 4 == 3 or not quotes)
        if use_claim:
            base = sentences[rng.randrange(len(sentences))].rstrip(".")
            first = base.split(" ", 1)[0]
            if first in ("The", "A", "An", "This", "That", "These", "Those", "It", "Its", "Their", "There"):
                base = first.lower() + base[len(first):]  # it continues "… reported that"
        elif quotes:
            base = quotes[rng.randrange(len(quotes))].rstrip(",.")
        else:
            continue
        text = _edit(kind, base, rng)
        if text is None:
            kind, text = "verbatim", base
        linked = i % 2 == 0
        mention = _outlet_mention(outlet)
        if use_claim:
            mention = mention[0].upper() + mention[1:]
        cue = f'<a href="{H.escape(o["url"])}">{H.escape(mention)}</a>' if linked else H.escape(mention)
        if use_claim:
            sentence = f"{cue} reported that {H.escape(text)}."
        else:
            sentence = f"“{H.escape(text)},” {cue} reported."
        day = date.fromisoformat(o["date"]) + timedelta(days=rng.randint(*days_late))
        site = SITES[i % len(SITES)]
        url = f"https://{site}/{day.isoformat()}/{prefix}-{i:06d}"
        paras = [f"Reporting from around the country on {day.strftime('%A')} continued to focus on the story.",
                 sentence, "More details were expected later in the day."]
        body = citing_page(url, f"Roundup {i}: {outlet.name}", day, paras)
        out.append(ArchivePage(url, body, _iso(day, 12), kind="citing",
                               check_sources=[] if linked else [f"{outlet.name}={o['url']}"],
                               edits=[{"edit": kind, "claim": bool(use_claim), "text": text, "original": o["url"],
                                       "outlet": outlet.name, "linked": linked}]))
    return out


def bad_pages(day: date, duplicate_of: ArchivePage) -> list[ArchivePage]:
    return [
        ArchivePage("https://newsdesk.example/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, _iso(day),
                    content_type="image/png", kind="bad"),
        ArchivePage("https://newsdesk.example/blob", b"\x00\x01\x02\xff" * 600, _iso(day), kind="bad"),
        ArchivePage(duplicate_of.url, duplicate_of.body, _iso(day + timedelta(days=1)), kind="bad"),
    ]


def _incompressible_page() -> bytes:
    rng = random.Random(0)
    words = " ".join("".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9)))
                     for _ in range(4000))
    return f"<html><body><p>{words}</p></body></html>".encode()


def write_warcs(pages: list[ArchivePage], out_dir: Path, files: int, truncate_last: bool = True) -> list[Path]:
    """Pages spread over `files` WARC.gz files (request + response records, CC-NEWS style)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for f in range(files):
        path = out_dir / f"CC-NEWS-TEST-{f:05d}.warc.gz"
        buf = io.BytesIO()
        w = WARCWriter(buf, gzip=True)
        for p in pages[f::files]:
            req = w.create_warc_record(p.url, "request", payload=io.BytesIO(b""),
                                       http_headers=StatusAndHeaders("GET / HTTP/1.1", [("Host", "x")], is_http_request=True),
                                       warc_headers_dict={"WARC-Date": p.date})
            w.write_record(req)
            reason = {200: "OK", 404: "Not Found", 503: "Service Unavailable"}.get(p.status, "Status")
            http = StatusAndHeaders(f"{p.status} {reason}", [("Content-Type", p.content_type)], protocol="HTTP/1.1")
            rec = w.create_warc_record(p.url, "response", payload=io.BytesIO(p.body), http_headers=http,
                                       warc_headers_dict={"WARC-Date": p.date})
            w.write_record(rec)
        data = buf.getvalue()
        if truncate_last and f == files - 1:
            # one more record, cut in the middle: a crawl interrupted while writing
            b2 = io.BytesIO()
            w2 = WARCWriter(b2, gzip=True)
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            w2.write_record(w2.create_warc_record("https://citydesk.example/cut-short", "response",
                                                  payload=io.BytesIO(_incompressible_page()),
                                                  http_headers=http))
            data += b2.getvalue()[:600]
        path.write_bytes(data)
        paths.append(path)
    return paths


def build(out_dir: Path, generated: int = 240, files: int = 6, copies: int = 1, seed: int = 14) -> dict:
    """Write the archive and ground_truth.json into out_dir; return the ground truth."""
    pages: list[ArchivePage] = []
    for c in range(copies):
        shift = 7 * c
        suffix = f"-c{c}" if c else ""
        cp, originals = corpus_pages(shift, suffix)
        pages += cp
        pages += generated_pages(originals, generated, seed + c, prefix=f"gen{c}")
    citing = [p for p in pages if p.kind == "citing"]
    pages += bad_pages(date(2025, 3, 1), citing[0])
    random.Random(seed).shuffle(pages)
    paths = write_warcs(pages, out_dir, files)
    truth = {
        "files": [str(p) for p in paths],
        "pages": [{k: v for k, v in asdict(p).items() if k != "body"} for p in pages],
    }
    (out_dir / "ground_truth.json").write_text(json.dumps(truth, indent=1), encoding="utf-8")
    return truth


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out_dir")
    ap.add_argument("--generated", type=int, default=240)
    ap.add_argument("--files", type=int, default=6)
    ap.add_argument("--copies", type=int, default=1)
    ap.add_argument("--seed", type=int, default=14)
    a = ap.parse_args(argv)
    truth = build(Path(a.out_dir), a.generated, a.files, a.copies, a.seed)
    kinds: dict[str, int] = {}
    for p in truth["pages"]:
        kinds[p["kind"]] = kinds.get(p["kind"], 0) + 1
    print(f"{a.out_dir}: {len(truth['files'])} WARC files, {sum(kinds.values())} pages {kinds}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
