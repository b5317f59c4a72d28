"""The cookies file (`--cookies`, Netscape/Mozilla cookies.txt as browsers and curl export it)
a run sends with its requests, for subscriber access to paywalled originals."""

from __future__ import annotations

import http.cookiejar
import logging
import time
from pathlib import Path

import httpx

from verifier.fetch.messages import one_line

log = logging.getLogger("verifier.fetch.client")


class CookieFileError(Exception):
    """The cookies file cannot be read; str() is one line naming it."""


def load_cookies(path: str) -> httpx.Cookies:
    """The unexpired cookies of `path`; session cookies (expiry 0 in exports) are kept."""
    jar = http.cookiejar.MozillaCookieJar()
    try:
        # ignore_expires=True, then filter ourselves: browser/curl exports write expiry 0
        # for session cookies, which the stdlib would treat as long expired.
        jar.load(str(Path(path).expanduser()), ignore_discard=True, ignore_expires=True)
    except (OSError, http.cookiejar.LoadError) as exc:
        raise CookieFileError(f"cannot load cookies file {path}: {one_line(exc)}") from None
    now = time.time()
    for cookie in list(jar):
        if cookie.expires == 0:
            cookie.expires, cookie.discard = None, True
        elif cookie.expires is not None and cookie.expires < now:
            jar.clear(cookie.domain, cookie.path, cookie.name)
    # Counts and domains only: cookie values are credentials and must never reach a log.
    domains = sorted({c.domain for c in jar})
    log.info("loaded %d cookies for %d domains from %s", len(jar), len(domains), path)
    return httpx.Cookies(jar)
