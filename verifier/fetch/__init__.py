"""Stage: fetch. A source location (URL or permitted local file) -> `FetchResult` (bytes decoded
to text, status, headers, the time it was read), through the evidence store.

- `client`: the run loop (concurrency, per-host limits, retries, redirects, robots.txt, the
  store); `config`: `FetchConfig`; `body`: the response body, capped after decompression;
  `locations`: what a location is, and local files read as results; `messages`: one-line errors;
  `cookies`: the cookies file;
- `guards`: the SSRF guard and DNS pinning on the default transport (`fetch_many(...,
  transport=...)` takes any httpx transport: a replay answers in process); `robots`: robots.txt;
- `files`: bounded local reads; bytes become text in `verifier.textcodec`, shared with read/extract;
- `store`: the SQLite evidence store (`EvidenceStore` is what the pipeline needs of one);
  `warc`: its WARC records;
- `soft404`: pages that answer 200 but say the article is gone.

    from verifier.fetch import FetchConfig, fetch_many
    results = fetch_many(["https://www.theguardian.com/…"], FetchConfig(total_timeout=20))
"""

from verifier.fetch.client import FetchConfig, fetch, fetch_many, url_problem

__all__ = ["FetchConfig", "fetch", "fetch_many", "url_problem"]
