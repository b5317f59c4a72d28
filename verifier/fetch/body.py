"""The body of a final HTTP response, read with a cap AFTER content decoding (so a gzip bomb stops
at `max_bytes` instead of filling memory), checked for a type the extract stage can read, and
decoded to text (verifier.textcodec)."""

from __future__ import annotations

import hashlib
import zlib

import httpx

from verifier.fetch.config import ACCEPTED_CONTENT_TYPES, FetchConfig
from verifier.fetch.messages import FetchFailure, now_iso, reason_phrase
from verifier.models import FetchResult
from verifier.textcodec import decode_text, parse_content_type

# We only advertise encodings we decode ourselves (see ContentDecoder); that is what lets us bound
# the *decoded* size chunk by chunk rather than trusting a library to inflate whole chunks at once.
ACCEPT_ENCODING = "gzip, deflate"


async def finish(
    location: str,
    url: str,
    response: httpx.Response,
    c: FetchConfig,
    *,
    check_type: bool = True,
    max_bytes: int | None = None,
) -> FetchResult:
    """Turn a final (non-redirect) streamed response into a FetchResult."""
    limit = c.max_bytes if max_bytes is None else max_bytes
    status = response.status_code
    final_url = str(response.url)
    base = FetchResult(location=location, url=url, final_url=final_url, status=status)
    if status >= 400:
        base.error = f"HTTP {status} {reason_phrase(response)}".rstrip()
        return base
    raw_ct = response.headers.get("content-type")
    mime, charset = parse_content_type(raw_ct)
    base.content_type = mime
    if check_type and mime is not None and not accepted(mime):
        base.error = f"unsupported content type {mime}"
        return base
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit and not response.headers.get("content-encoding"):
        # Cheap early exit; for encoded bodies the decoded size is what counts, so we stream.
        base.error = f"body larger than {limit} bytes"
        return base
    body = await read_body(response, limit)
    base.body = body
    base.sha256 = hashlib.sha256(body).hexdigest()
    base.fetched_at = now_iso()
    base.text, base.encoding = decode_text(body, charset)
    return base


async def read_body(response: httpx.Response, max_bytes: int) -> bytes:
    decoder = ContentDecoder(response.headers.get("content-encoding", ""))
    out = bytearray()
    raw_seen = 0
    async for chunk in response.aiter_raw():
        raw_seen += len(chunk)
        if raw_seen > max_bytes:  # compressed bytes count too: no point downloading more than the cap
            raise FetchFailure(f"body larger than {max_bytes} bytes", response.status_code)
        out += decoder.decode(chunk, max_bytes - len(out) + 1)
        if len(out) > max_bytes:
            raise FetchFailure(f"body larger than {max_bytes} bytes", response.status_code)
    out += decoder.flush(max_bytes - len(out) + 1)
    if len(out) > max_bytes:
        raise FetchFailure(f"body larger than {max_bytes} bytes", response.status_code)
    return bytes(out)


class ContentDecoder:
    """Incremental Content-Encoding decoder whose output per call is capped.

    httpx's own decoders inflate each network chunk in one go: a 64 KB chunk of a gzip bomb
    becomes ~64 MB before anyone can count it. zlib's max_length lets us stop at the cap.
    """

    def __init__(self, header: str) -> None:
        codings = [t.strip().lower() for t in header.split(",") if t.strip()]
        codings = [t for t in codings if t != "identity"]
        if len(codings) > 1:
            raise FetchFailure(f"unsupported content encoding {header.strip()}")
        self.coding = codings[0] if codings else ""
        if self.coding in ("gzip", "x-gzip"):
            self._new = lambda: zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif self.coding == "deflate":
            self._new = lambda: zlib.decompressobj(zlib.MAX_WBITS)
        elif self.coding:
            raise FetchFailure(f"unsupported content encoding {self.coding}")
        self._obj = self._new() if self.coding else None
        self._first = True

    def decode(self, data: bytes, budget: int) -> bytes:
        """Decode `data`, producing at most `budget` bytes (producing exactly `budget` means 'over')."""
        if self._obj is None:
            return data[:budget]
        try:
            out = bytearray()
            while data and len(out) < budget:
                try:
                    piece = self._obj.decompress(data, budget - len(out))
                except zlib.error:
                    if self.coding == "deflate" and self._first:
                        # Some servers send raw deflate without the zlib header; retry that way.
                        self._obj = zlib.decompressobj(-zlib.MAX_WBITS)
                        self._first = False
                        continue
                    raise
                self._first = False
                out += piece
                # Input not consumed because max_length was hit lives in unconsumed_tail;
                # a finished gzip member followed by another member lives in unused_data.
                if self._obj.unconsumed_tail:
                    data = self._obj.unconsumed_tail
                elif self._obj.eof and self._obj.unused_data:
                    data = self._obj.unused_data
                    self._obj = self._new()
                else:
                    data = b""
            return bytes(out)
        except zlib.error as exc:
            raise FetchFailure(f"corrupt {self.coding} body: {exc}") from None

    def flush(self, budget: int) -> bytes:
        if self._obj is None:
            return b""
        try:
            return self._obj.flush()[:budget]
        except zlib.error as exc:
            raise FetchFailure(f"corrupt {self.coding} body: {exc}") from None


def accepted(mime: str) -> bool:
    return mime in ACCEPTED_CONTENT_TYPES or mime.endswith("+xml") or mime.endswith("+json")
