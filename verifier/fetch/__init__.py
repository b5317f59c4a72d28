"""Stage: fetch. A source location (URL or permitted local file) -> `FetchResult` (bytes decoded
to text, status, headers, the time it was read), through the evidence store.

- `client`: the HTTP client (concurrency, timeouts, retries, size caps, cookies, headers);
- `guards`: the SSRF guard and DNS pinning on the transport; `robots`: robots.txt;
- `files`: bounded local reads (bytes -> text is `verifier.textcodec`, shared with read/extract); `store`: the SQLite evidence store and its WARC exchange;
- `soft404`: pages that answer 200 but say the article is gone.

    from verifier.fetch import FetchConfig, fetch_many
    results = fetch_many(["https://www.theguardian.com/…"], FetchConfig(timeout=20))
"""

from verifier.fetch.client import FetchConfig, fetch, fetch_many, url_problem

__all__ = ["FetchConfig", "fetch", "fetch_many", "url_problem"]
