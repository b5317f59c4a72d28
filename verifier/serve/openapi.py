"""The OpenAPI 3.1 description served at /api/v1/openapi.json (written by hand: the API is small
and its report schema already lives in docs/check-report.schema.json)."""

from __future__ import annotations

from typing import Any

_REPORT_SCHEMA = "https://github.com/newsroom-tools/verifier/blob/main/docs/check-report.schema.json"


def _problem(desc: str) -> dict[str, Any]:
    return {"description": desc, "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}


def _retry(desc: str) -> dict[str, Any]:
    r = _problem(desc)
    r["headers"] = {"Retry-After": {"schema": {"type": "integer"}, "description": "seconds to wait"}}
    return r


_ERRORS = {
    "401": _problem("missing or invalid bearer token (when authentication is required)"),
    "413": _problem("request body or draft larger than the server's limit"),
    "415": _problem("not application/json"),
    "422": _problem("invalid request: bad field, local file or non-http(s) source, a policy that would loosen "
                    "the server's, a callback URL refused by the SSRF guard"),
    "429": _retry("rate limit for this token reached"),
    "503": _retry("queue full or server shutting down"),
}


def document(version: str) -> dict[str, Any]:
    check_doc = {"$ref": "#/components/schemas/Check"}
    json_check = {"application/json": {"schema": check_doc}}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "verifier",
            "version": version,
            "description": "Source-attribution checks for newsrooms: submit a draft, get every attributed quote "
                           "and claim checked against its original. Reports use the schema of "
                           "`verifier check --format json`.",
        },
        "servers": [{"url": "/"}],
        "security": [{"bearer": []}],
        "paths": {
            "/api/v1/checks": {
                "post": {
                    "summary": "Check a draft",
                    "parameters": [{"name": "wait", "in": "query", "schema": {"type": "number", "minimum": 0},
                                    "description": "wait up to this many seconds; 200 with the report if done by then"}],
                    "requestBody": {"required": True, "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/CheckRequest"}}}},
                    "responses": {
                        "200": {"description": "finished within ?wait", "content": json_check},
                        "202": {"description": "accepted; poll Location or stream its events",
                                "headers": {"Location": {"schema": {"type": "string"}}},
                                "content": json_check},
                        "400": _problem("body is not JSON"), **_ERRORS,
                    },
                },
                "get": {
                    "summary": "Past checks, newest first",
                    "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 200}},
                                   {"name": "offset", "in": "query", "schema": {"type": "integer"}}],
                    "responses": {"200": {"description": "history", "content": {"application/json": {"schema": {
                        "type": "object", "properties": {"checks": {"type": "array", "items": check_doc},
                                                         "total": {"type": "integer"}}}}}}, "401": _ERRORS["401"]},
                },
            },
            "/api/v1/checks/{id}": {
                "get": {
                    "summary": "Status and report of one check",
                    "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                    "responses": {"200": {"description": "the check", "content": json_check},
                                  "401": _ERRORS["401"], "404": _problem("no such check")},
                },
            },
            "/api/v1/checks/{id}/events": {
                "get": {
                    "summary": "Progress as Server-Sent Events",
                    "description": "Events: queued, started, attributions, source, discovered, verdict, end "
                                   "(status done|failed|interrupted). Each has an id; Last-Event-ID resumes.",
                    "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                    "responses": {"200": {"description": "event stream", "content": {"text/event-stream": {}}},
                                  "401": _ERRORS["401"], "404": _problem("no such check")},
                },
            },
            "/api/v1/claims": {
                "post": {
                    "summary": "Check one quote or claim",
                    "parameters": [{"name": "wait", "in": "query", "schema": {"type": "number", "minimum": 0}}],
                    "requestBody": {"required": True, "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/ClaimRequest"}}}},
                    "responses": {"200": {"description": "the check, done", "content": json_check},
                                  "202": {"description": "still running", "content": json_check},
                                  "400": _problem("body is not JSON"), **_ERRORS},
                },
            },
            "/api/v1/outlets": {"get": {"summary": "The outlet registry", "responses": {"200": {
                "description": "outlets", "content": {"application/json": {"schema": {"type": "array", "items": {
                    "type": "object", "properties": {"name": {"type": "string"},
                                                     "aliases": {"type": "array", "items": {"type": "string"}},
                                                     "domains": {"type": "array", "items": {"type": "string"}}}}}}}}}}},
            "/healthz": {"get": {"summary": "Liveness", "security": [], "responses": {
                "200": {"description": "accepting checks"}, "503": _retry("shutting down")}}},
            "/checks/{id}.html": {"get": {"summary": "HTML report (verifier check --format html)",
                                          "responses": {"200": {"description": "report", "content": {"text/html": {}}}}}},
            "/checks/{id}.md": {"get": {"summary": "Markdown summary",
                                        "responses": {"200": {"description": "report", "content": {"text/markdown": {}}}}}},
            "/checks/{id}.junit.xml": {"get": {"summary": "JUnit XML",
                                               "responses": {"200": {"description": "report", "content": {"application/xml": {}}}}}},
            "/checks/{id}.json": {"get": {"summary": "The report exactly as verifier check --format json prints it",
                                          "responses": {"200": {"description": "report", "content": {"application/json": {}}}}}},
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                           "description": "required unless the server runs on a loopback address"}},
            "schemas": {
                "Sources": {"oneOf": [
                    {"type": "object", "additionalProperties": {"type": "string", "format": "uri"},
                     "description": "outlet or speaker name -> http(s) URL of the original"},
                    {"type": "array", "items": {"type": "string"}, "description": "\"NAME=URL\" or a bare URL"},
                ]},
                "Policy": {"type": "object", "additionalProperties": False, "description":
                           "tightens the server's policy; a loosening is refused with 422", "properties": {
                               "fail_on": {"enum": ["partial", "unverified", "none"]},
                               "reasons": {"type": "object", "additionalProperties": {"oneOf": [
                                   {"enum": ["fail", "warn", "allow"]},
                                   {"type": "object", "properties": {"level": {"enum": ["fail", "warn", "allow"]},
                                                                     "only": {"enum": ["people", "outlets"]}}}]}},
                               "skip_outlets": {"type": "array", "items": {"type": "string"}}}},
                "CheckRequest": {"type": "object", "additionalProperties": False,
                                 "description": "exactly one of text, markdown, html, url", "properties": {
                                     "text": {"type": "string"}, "markdown": {"type": "string"},
                                     "html": {"type": "string"}, "url": {"type": "string", "format": "uri"},
                                     "sources": {"$ref": "#/components/schemas/Sources"},
                                     "policy": {"$ref": "#/components/schemas/Policy"},
                                     "date": {"type": "string", "format": "date"},
                                     "name": {"type": "string", "description": "input name in the report"},
                                     "callback_url": {"type": "string", "format": "uri",
                                                      "description": "POSTed the check document when it ends"}}},
                "ClaimRequest": {"type": "object", "additionalProperties": False, "required": ["text", "sources"],
                                 "properties": {"text": {"type": "string"}, "outlet": {"type": "string"},
                                                "speaker": {"type": "string"},
                                                "sources": {"$ref": "#/components/schemas/Sources"},
                                                "policy": {"$ref": "#/components/schemas/Policy"},
                                                "name": {"type": "string"},
                                                "callback_url": {"type": "string", "format": "uri"}}},
                "Check": {"type": "object", "properties": {
                    "id": {"type": "string"}, "kind": {"enum": ["article", "claim"]}, "name": {"type": "string"},
                    "status": {"enum": ["queued", "running", "done", "failed", "interrupted"]},
                    "created_at": {"type": "string"}, "finished_at": {"type": ["string", "null"]},
                    "passed": {"type": ["boolean", "null"]}, "summary": {"type": ["object", "null"]},
                    "error": {"type": ["string", "null"]},
                    "report": {"description": "verifier check --format json", "$ref": _REPORT_SCHEMA},
                    "links": {"type": "object", "additionalProperties": {"type": "string"}}}},
                "Problem": {"type": "object", "description": "RFC 9457 problem details", "properties": {
                    "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
                    "detail": {"type": "string"}, "code": {"type": "string"}, "instance": {"type": "string"}}},
            },
        },
    }
