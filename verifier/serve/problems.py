"""Errors as RFC 9457 problem details: `application/problem+json` with type, title, status and a
one-line `detail` (the same wording as the CLI's one-line errors), plus a stable `code`."""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any

PROBLEM_TYPE = "application/problem+json"


class Problem(Exception):
    """Raised anywhere in request handling; the app turns it into a problem response."""

    def __init__(self, status: int, detail: str, code: str | None = None, *,
                 headers: dict[str, str] | None = None, **extra: Any) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = " ".join(str(detail).split())  # one line, always
        self.code = code or HTTPStatus(status).phrase.lower().replace(" ", "_").replace("-", "_")
        self.headers = dict(headers or {})
        self.extra = extra

    def body(self, instance: str | None = None) -> dict[str, Any]:
        d: dict[str, Any] = {
            # "about:blank": the HTTP status says what kind of problem it is (RFC 9457 section 4.2.1);
            # `code` tells problems of one status apart
            "type": "about:blank",
            "title": HTTPStatus(self.status).phrase,
            "status": self.status,
            "detail": self.detail,
            "code": self.code,
        }
        if instance:
            d["instance"] = instance
        d.update(self.extra)
        return d

    def payload(self, instance: str | None = None) -> bytes:
        return json.dumps(self.body(instance), ensure_ascii=False).encode("utf-8")
