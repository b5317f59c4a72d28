"""`verifier serve`: the real app on uvicorn on 127.0.0.1, real HTTP, sources on loopback servers."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from serveutil import LiveServer
from typer.testing import CliRunner

from verifier.cli.app import app as cli_app
from verifier.serve.config import ServeConfig, hash_token, load_serve_config, new_token

ROOT = Path(__file__).resolve().parent.parent
FOUNDING = ROOT / "fixtures" / "founding"
ARTICLE = (FOUNDING / "article.txt").read_text(encoding="utf-8")
MISQUOTE = (ROOT / "tests" / "data" / "misquote.txt").read_text(encoding="utf-8")
REPLAY = ROOT / "fixtures" / "discovery" / "founding.toml"


def sources(srv, delay_ms: int = 0) -> dict[str, str]:
    pre = f"/delay/{delay_ms}" if delay_ms else ""
    return {"Guardian": srv.url(f"{pre}/founding/guardian.html"), "Times": srv.url(f"{pre}/founding/times.html"),
            "Financial Times": srv.url(f"{pre}/founding/ft.html")}


def config(tmp_path: Path, **kw) -> ServeConfig:
    cfg = ServeConfig(allow_private=True, discover=False, database=str(tmp_path / "history.sqlite3"),
                      store=str(tmp_path / "evidence.sqlite3"))
    for k, v in kw.items():
        setattr(cfg, k, v)
    return cfg


def wait_done(client: httpx.Client, srv: LiveServer, cid: str, timeout: float = 30) -> dict:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        d = client.get(srv.url(f"/api/v1/checks/{cid}")).json()
        if d["status"] in ("done", "failed", "interrupted"):
            return d
        time.sleep(0.05)
    raise AssertionError(f"check {cid} did not finish")


def events_of(client: httpx.Client, url: str, headers: dict | None = None) -> list[tuple[int, str, dict]]:
    out = []
    with client.stream("GET", url, headers=headers or {}) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        ev: dict = {}
        for line in r.iter_lines():
            if line.startswith("id: "):
                ev["id"] = int(line[4:])
            elif line.startswith("event: "):
                ev["event"] = line[7:]
            elif line.startswith("data: "):
                ev["data"] = json.loads(line[6:])
            elif line == "" and "event" in ev:
                out.append((ev["id"], ev["event"], ev["data"]))
                ev = {}
    return out


@pytest.fixture
def client():
    with httpx.Client(timeout=60, trust_env=False) as c:
        yield c


# ------------------------------------------------------------------------------ basics


def test_health_openapi_outlets_and_security_headers(tmp_path, client):
    with LiveServer(config(tmp_path)) as srv:
        r = client.get(srv.url("/healthz"))
        assert r.status_code == 200 and r.json()["status"] == "ok"
        assert r.headers["x-content-type-options"] == "nosniff"
        assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
        spec = client.get(srv.url("/api/v1/openapi.json")).json()
        assert spec["openapi"].startswith("3.")
        for path in ("/api/v1/checks", "/api/v1/checks/{id}", "/api/v1/checks/{id}/events", "/api/v1/claims",
                     "/api/v1/outlets", "/healthz"):
            assert path in spec["paths"]
        outlets = client.get(srv.url("/api/v1/outlets")).json()
        assert any(o["name"] == "The Guardian" and "theguardian.com" in o["domains"] for o in outlets)
        r = client.get(srv.url("/no/such/page"))
        assert r.status_code == 404 and r.headers["content-type"] == "application/problem+json"
        assert r.json()["status"] == 404 and r.json()["title"] == "Not Found"
        r = client.get(srv.url("/api/v1/checks/NoSuchCheck123"))
        assert r.status_code == 404 and r.json()["code"] == "not_found"


def test_check_202_then_report_identical_to_cli(tmp_path, client, fixture_server, monkeypatch):
    """The API's report is byte for byte `verifier check --format json` on the same draft, policy
    and evidence store (the CLI reads the server's stored copies: same fetched_at and sha256)."""
    cfg_file = tmp_path / "verifier.toml"
    cfg_file.write_text('[verifier]\nfail_on = "partial"\nreasons = { no_source = "warn" }\n\n'
                        "[serve]\ndiscover = false\nmax_concurrent = 2\n", encoding="utf-8")
    cfg = load_serve_config(cfg_file)
    cfg.allow_private = True
    cfg.database, cfg.store = str(tmp_path / "h.sqlite3"), str(tmp_path / "e.sqlite3")
    src = sources(fixture_server)
    with LiveServer(cfg) as srv:
        r = client.post(srv.url("/api/v1/checks"), json={"text": ARTICLE, "sources": src, "name": "draft.txt"})
        assert r.status_code == 202
        cid = r.json()["id"]
        assert r.headers["location"] == f"/api/v1/checks/{cid}"
        assert r.json()["status"] in ("queued", "running", "done")
        doc = wait_done(client, srv, cid)
        assert doc["status"] == "done" and doc["passed"] is True
        assert doc["summary"]["confirmed"] == 3  # the collective claim is a paraphrase (issue 9)
        served = client.get(srv.url(f"/checks/{cid}.json")).text
    monkeypatch.chdir(tmp_path)
    (tmp_path / "draft.txt").write_text(ARTICLE, encoding="utf-8")
    args = ["check", "draft.txt", "--policy", str(cfg_file), "--config", str(cfg_file), "--allow-private",
            "--no-discover", "--store", cfg.store, "--format", "json", "--quiet"]
    for name, url in src.items():
        args += ["--source", f"{name}={url}"]
    cli = CliRunner().invoke(cli_app, args)
    assert cli.exit_code == 0, cli.output
    assert served == cli.stdout
    assert json.loads(served) == doc["report"]


def test_wait_200_and_every_rendering(tmp_path, client, fixture_server):
    with LiveServer(config(tmp_path)) as srv:
        r = client.post(srv.url("/api/v1/checks?wait=30"), json={"text": MISQUOTE, "sources": sources(fixture_server)})
        assert r.status_code == 200
        doc = r.json()
        assert doc["status"] == "done" and doc["passed"] is False
        findings = {f["id"]: f for f in doc["report"]["reports"][0]["findings"]}
        assert findings["a6"]["verdict"] == "partial" and findings["a6"]["reason"] == "wording_differs"
        assert doc["report"]["reports"][0]["input"] == "draft.txt"
        cid = doc["id"]
        h = client.get(srv.url(f"/checks/{cid}.html"))
        assert h.status_code == 200 and h.headers["content-type"].startswith("text/html")
        assert "script-src" not in h.headers["content-security-policy"]  # the report page runs no script
        assert 'data-id="a6" data-verdict="partial"' in h.text and '<mark class="diff">huge</mark>' in h.text
        md = client.get(srv.url(f"/checks/{cid}.md"))
        assert md.headers["content-type"].startswith("text/markdown") and "verifier: failed" in md.text
        ju = client.get(srv.url(f"/checks/{cid}.junit.xml"))
        assert ju.headers["content-type"].startswith("application/xml") and "<failure" in ju.text
        listing = client.get(srv.url("/api/v1/checks")).json()
        assert listing["total"] == 1 and listing["checks"][0]["id"] == cid


def test_claim_endpoint(tmp_path, client, fixture_server):
    quote = ("“The area we have a significant advantage over Russia is in the air and in (our) ability to "
             "respond to flagrant abuses of a ceasefire”")
    with LiveServer(config(tmp_path)) as srv:
        r = client.post(srv.url("/api/v1/claims"), json={
            "text": quote, "outlet": "FT", "speaker": "a western official",
            "sources": [sources(fixture_server)["Financial Times"]]})
        assert r.status_code == 200
        f = r.json()["report"]["reports"][0]["findings"][0]
        assert (f["verdict"], f["reason"], f["outlet"]) == ("confirmed", "normalised", "Financial Times")
        r = client.post(srv.url("/api/v1/claims"), json={"text": quote.replace("significant", "huge"),
                                                         "sources": [sources(fixture_server)["Financial Times"]]})
        f = r.json()["report"]["reports"][0]["findings"][0]
        assert f["verdict"] == "partial" and {"article": "huge", "source": "significant", "kind": "wording"} in f["differences"]
        r = client.post(srv.url("/api/v1/claims"), json={"text": quote})
        assert r.status_code == 422 and "source" in r.json()["detail"]


# ------------------------------------------------------------------------------ refusals


@pytest.mark.parametrize(("body", "status", "code"), [
    ({"text": "x", "sources": {"Guardian": "/etc/passwd"}}, 422, "local_file_refused"),
    ({"text": "x", "sources": {"Guardian": "file:///etc/passwd"}}, 422, "local_file_refused"),
    ({"text": "x", "sources": ["Guardian=ftp://example.org/a"]}, 422, "invalid_request"),
    ({"url": "file:///etc/passwd"}, 422, "local_file_refused"),
    ({"sources": {}}, 422, "invalid_request"),
    ({"text": "x", "markdown": "y"}, 422, "invalid_request"),
    ({"text": "   "}, 422, "empty_draft"),
    ({"text": "x", "allow_private": True}, 422, "invalid_request"),
    ({"text": "x", "policy": {"fail_on": "none"}}, 422, "policy_loosened"),
    ({"text": "x", "policy": {"reasons": {"wording_differs": "allow"}}}, 422, "policy_loosened"),
    ({"text": "x", "policy": {"reasons": {"not_found": {"level": "warn", "only": "people"}}}}, 422, "policy_loosened"),
    ({"text": "x", "policy": {"allow_private": True}}, 422, "invalid_policy"),
    ({"text": "x", "policy": {"reasons": {"no_such_reason": "fail"}}}, 422, "invalid_policy"),
    ({"text": "x", "date": "20/02/2025"}, 422, "invalid_request"),
    ({"text": "x", "callback_url": "http://127.0.0.1:9/hook"}, 422, "callback_refused"),
    ({"text": "x", "callback_url": "http://10.1.2.3/hook"}, 422, "callback_refused"),
    (["not", "an", "object"], 422, "invalid_request"),
])
def test_invalid_requests_are_problems(tmp_path, client, body, status, code):
    with LiveServer(config(tmp_path, allow_private=False)) as srv:
        r = client.post(srv.url("/api/v1/checks"), json=body)
        assert r.status_code == status, r.text
        p = r.json()
        assert r.headers["content-type"] == "application/problem+json"
        assert p["code"] == code and p["status"] == status and "\n" not in p["detail"]
        assert "Traceback" not in r.text


def test_400_415_413(tmp_path, client):
    with LiveServer(config(tmp_path, max_draft_bytes=2000)) as srv:
        r = client.post(srv.url("/api/v1/checks"), content=b"{not json", headers={"content-type": "application/json"})
        assert r.status_code == 400 and r.json()["code"] == "invalid_json"
        r = client.post(srv.url("/api/v1/checks"), content=b"text=x", headers={"content-type": "text/plain"})
        assert r.status_code == 415
        # over the body cap: refused from Content-Length, before reading it
        r = client.post(srv.url("/api/v1/checks"), json={"text": "a" * 100_000})
        assert r.status_code == 413 and r.json()["code"] == "body_too_large"

        def chunks():  # no Content-Length: refused while streaming
            for _ in range(20):
                yield b"a" * 10_000

        r = client.post(srv.url("/api/v1/checks"), content=chunks(), headers={"content-type": "application/json"})
        assert r.status_code == 413
        # under the body cap, but the draft itself is over max_draft_bytes
        r = client.post(srv.url("/api/v1/checks"), json={"text": "é" * 1500})
        assert r.status_code == 413 and r.json()["code"] == "draft_too_large"
        r = client.post(srv.url("/api/v1/checks?wait=999"), json={"text": "x"})
        assert r.status_code == 422


def test_429_rate_limit_per_token(tmp_path, client):
    tokens = [new_token(), new_token()]
    cfg = config(tmp_path, rate_limit=2, auth="required", token_hashes=[hash_token(t) for t in tokens])
    with LiveServer(cfg) as srv:
        h1 = {"Authorization": f"Bearer {tokens[0]}"}
        for _ in range(2):
            assert client.post(srv.url("/api/v1/checks"), json={"text": "Nothing attributed here."}, headers=h1).status_code == 202
        r = client.post(srv.url("/api/v1/checks"), json={"text": "x"}, headers=h1)
        assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1
        assert r.json()["code"] == "rate_limited"
        # another token has its own budget
        h2 = {"Authorization": f"Bearer {tokens[1]}"}
        assert client.post(srv.url("/api/v1/checks"), json={"text": "Nothing here."}, headers=h2).status_code == 202


def test_503_when_the_queue_is_full(tmp_path, client, fixture_server):
    with LiveServer(config(tmp_path, max_concurrent=1, queue_size=1)) as srv:
        slow = {"text": ARTICLE, "sources": sources(fixture_server, delay_ms=1500)}
        a = client.post(srv.url("/api/v1/checks"), json=slow)
        b = client.post(srv.url("/api/v1/checks"), json=slow)
        assert (a.status_code, b.status_code) == (202, 202)
        c = client.post(srv.url("/api/v1/checks"), json=slow)
        assert c.status_code == 503 and c.json()["code"] == "queue_full"
        assert int(c.headers["retry-after"]) >= 1
        assert client.get(srv.url("/healthz")).json()["checks"] == {"running": 1, "queued": 1}
        assert wait_done(client, srv, b.json()["id"])["status"] == "done"
        assert client.post(srv.url("/api/v1/checks"), json={"text": "x y z."}).status_code == 202


def test_deadline_fails_a_check(tmp_path, client, fixture_server):
    with LiveServer(config(tmp_path, check_deadline=1.0)) as srv:
        r = client.post(srv.url("/api/v1/checks"), json={"text": ARTICLE, "sources": sources(fixture_server, 4000)})
        doc = wait_done(client, srv, r.json()["id"], timeout=20)
        assert doc["status"] == "failed" and "deadline" in doc["error"]
        assert doc["report"] is None


# ------------------------------------------------------------------------------ auth


def test_auth_required_and_off(tmp_path, client):
    token = new_token()
    cfg = config(tmp_path, auth="required", token_hashes=[hash_token(token)])
    with LiveServer(cfg) as srv:
        r = client.post(srv.url("/api/v1/checks"), json={"text": "x"})
        assert r.status_code == 401 and r.headers["www-authenticate"].startswith("Bearer")
        r = client.post(srv.url("/api/v1/checks"), json={"text": "x"}, headers={"Authorization": "Bearer nope"})
        assert r.status_code == 401 and r.json()["detail"] == "invalid token"
        assert client.get(srv.url("/api/v1/checks")).status_code == 401
        assert client.get(srv.url("/healthz")).status_code == 200  # liveness needs no token
        ok = client.post(srv.url("/api/v1/checks"), json={"text": "No attribution."},
                         headers={"Authorization": f"Bearer {token}"})
        assert ok.status_code == 202
        # the page sends the browser to its login form, which takes the token
        r = client.get(srv.url("/"))
        assert r.status_code == 303 and r.headers["location"] == "/login"
    # the config keeps hashes only: a plain token is refused
    bad = tmp_path / "bad.toml"
    bad.write_text(f'[serve]\ntokens = ["{token}"]\n', encoding="utf-8")
    with pytest.raises(Exception, match="SHA-256 hashes"):
        load_serve_config(bad)
    # auth "auto": required off loopback, not on it
    assert ServeConfig(host="0.0.0.0").auth_required and not ServeConfig(host="127.0.0.1").auth_required
    with LiveServer(config(tmp_path / "open")) as srv:  # loopback, no tokens: no auth
        assert client.post(srv.url("/api/v1/checks"), json={"text": "No attribution."}).status_code == 202


def test_serve_command_refuses_unsafe_setups(tmp_path):
    r = CliRunner().invoke(cli_app, ["serve", "--host", "0.0.0.0", "--no-auth"])
    assert r.exit_code == 2 and "local use only" in r.output
    r = CliRunner().invoke(cli_app, ["serve", "--host", "0.0.0.0"])
    assert r.exit_code == 2 and "tokens is empty" in r.output
    r = CliRunner().invoke(cli_app, ["serve", "--new-token"])
    token = r.stdout.split(": ", 1)[1].splitlines()[0].strip()
    assert r.exit_code == 0 and hash_token(token) in r.stdout


# ------------------------------------------------------------------------------ progress, webhook, files


def test_sse_event_order_and_resume(tmp_path, client, fixture_server):
    with LiveServer(config(tmp_path)) as srv:
        r = client.post(srv.url("/api/v1/checks"), json={"text": ARTICLE, "sources": sources(fixture_server, 300)})
        cid = r.json()["id"]
        evs = events_of(client, srv.url(f"/api/v1/checks/{cid}/events"))
        names = [e[1] for e in evs]
        assert [e[0] for e in evs] == list(range(len(evs)))
        assert names[:3] == ["queued", "started", "attributions"] and names[-1] == "end"
        assert names.count("source") == 3 and names.count("verdict") == 8
        assert max(i for i, n in enumerate(names) if n == "source") < names.index("verdict")
        assert [e[2]["id"] for e in evs if e[1] == "verdict"] == [f"a{i}" for i in range(1, 9)]
        assert evs[2][2]["count"] == 8
        assert {e[2]["location"] for e in evs if e[1] == "source"} == set(sources(fixture_server, 300).values())
        assert evs[-1][2]["status"] == "done" and evs[-1][2]["summary"]["confirmed"] == 3
        # a late listener, resuming after event 5, gets the rest from the history
        again = events_of(client, srv.url(f"/checks/{cid}/events"), {"Last-Event-ID": "5"})
        assert [e[0] for e in again] == list(range(6, len(evs)))


def test_discovery_events_and_webhook_with_replay(tmp_path, client):
    """No sources given: discovery finds the originals (replayed on 127.0.0.1); the webhook goes to
    a loopback receiver that only the server config's callback_allow lets through."""
    got: list[tuple[dict, bytes]] = []
    attempts = []

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            body = self.rfile.read(int(self.headers["Content-Length"]))
            attempts.append(1)
            if len(attempts) == 1:  # the first delivery fails: the server retries
                self.send_response(503)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            got.append((dict(self.headers), body))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *a):
            pass

    hook = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=hook.serve_forever, daemon=True).start()
    try:
        cfg = config(tmp_path, allow_private=False, discover=True, replay=str(REPLAY), callback_allow=["127.0.0.1"],
                     callback_backoff=0.1, callback_secret="s3cret")
        with LiveServer(cfg) as srv:
            r = client.post(srv.url("/api/v1/checks"), json={
                "text": ARTICLE, "date": "2025-02-20",
                "callback_url": f"http://127.0.0.1:{hook.server_address[1]}/hook"})
            assert r.status_code == 202, r.text
            cid = r.json()["id"]
            evs = events_of(client, srv.url(f"/api/v1/checks/{cid}/events"))
            found = {e[2]["id"]: e[2] for e in evs if e[1] == "discovered" and e[2]["url"]}
            assert {d["provider"] for d in found.values()} >= {"guardian_api"}
            assert any("theguardian.com" in d["url"] for d in found.values())
            assert evs[-1][2]["summary"]["confirmed"] == 3
            end = time.monotonic() + 10
            while not got and time.monotonic() < end:
                time.sleep(0.05)
        assert len(attempts) == 2 and len(got) == 1
        headers, body = got[0]
        doc = json.loads(body)
        assert doc["id"] == cid and doc["status"] == "done" and doc["report"]["summary"]["confirmed"] == 3
        import hashlib
        import hmac

        assert headers["X-Verifier-Signature"] == "sha256=" + hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    finally:
        hook.shutdown()
        hook.server_close()


def test_local_file_links_in_a_draft_are_not_read(tmp_path, client):
    secret = tmp_path / "secret.html"
    secret.write_text("<p>The minister said the plan was dead.</p>", encoding="utf-8")
    draft = (f"The plan was dead, [the Guardian reported]({secret}).\n\n"
             f"The minister said the plan was dead, [the Times said](file://{secret}).\n")
    with LiveServer(config(tmp_path)) as srv:
        r = client.post(srv.url("/api/v1/checks?wait=30"), json={"markdown": draft})
        assert r.status_code == 200
        findings = r.json()["report"]["reports"][0]["findings"]
        assert findings and all(f["verdict"] == "unverified" for f in findings)
        assert all(f["evidence"] is None for f in findings)
        assert any("local files are not read" in f["explanation"] for f in findings)


def test_draft_by_url(tmp_path, client, fixture_server):
    url = fixture_server.url("/corpus/03_detained_boy_court_html/article.html")
    with LiveServer(config(tmp_path)) as srv:
        doc = client.post(srv.url("/api/v1/checks?wait=30"), json={"url": url}).json()
        assert doc["status"] == "done" and doc["report"]["reports"][0]["input"] == url
        assert doc["report"]["summary"]["attributions"] > 0
        doc = client.post(srv.url("/api/v1/checks?wait=30"), json={"url": fixture_server.url("/status/404")}).json()
        assert doc["status"] == "done" and doc["passed"] is False
        assert "HTTP 404" in doc["report"]["errors"][0]["message"]


def test_ssrf_guard_stays_on_without_the_server_flag(tmp_path, client, fixture_server):
    with LiveServer(config(tmp_path, allow_private=False)) as srv:
        src = {k: v + "?k=ssrf-guard" for k, v in sources(fixture_server).items()}
        r = client.post(srv.url("/api/v1/checks?wait=30"), json={"text": ARTICLE, "sources": src})
        findings = {f["id"]: f for f in r.json()["report"]["reports"][0]["findings"]}
        ft = findings["a6"]
        assert ft["verdict"] == "unverified" and ft["reason"] == "source_unavailable"
        assert "non-public address" in ft["explanation"]
        assert [p for p, _ in fixture_server.request_log if "ssrf-guard" in p] == []  # nothing reached it


def test_page_login_with_a_token_and_csrf(tmp_path, client):
    import re

    token = new_token()
    with LiveServer(config(tmp_path, auth="required", token_hashes=[hash_token(token)])) as srv:
        page = client.get(srv.url("/login"))
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
        assert client.cookies.get("verifier_csrf") == csrf
        bad = client.post(srv.url("/login"), data={"csrf": csrf, "token": "wrong"})
        assert bad.status_code == 401 and "not valid" in bad.text
        forged = client.post(srv.url("/login"), data={"csrf": "forged", "token": token})
        assert forged.status_code == 403
        ok = client.post(srv.url("/login"), data={"csrf": csrf, "token": token})
        assert ok.status_code == 303 and ok.headers["location"] == "/"
        cookie = ok.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie and token in cookie
        form = client.get(srv.url("/"))
        assert form.status_code == 200 and 'id="check-form"' in form.text
        assert "nonce-" in form.headers["content-security-policy"]
        # the API takes bearer tokens only: the login cookie does not authorise a JSON post
        r = client.post(srv.url("/api/v1/checks"), json={"text": "No attribution here."})
        assert r.status_code == 401
        # the page's own form post (cookie + CSRF) does
        r = client.post(srv.url("/checks"), data={"csrf": csrf, "draft": "No attribution here.", "format": "text"},
                        headers={"Accept": "application/json"})
        assert r.status_code == 202 and r.json()["id"]
