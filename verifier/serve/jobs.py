"""Checks in flight: a bounded queue in front of a fixed pool of worker threads.

    submit (event loop) -> Job queued -> worker thread: run_spec + render -> history -> "end" event
                                                                             -> webhook (async, retried)

* Admission: at most `max_concurrent` checks run and `queue_size` wait; beyond that `submit`
  raises a 503 problem with Retry-After. Nothing is queued without bound.
* Deadline: a running check's fetches get the remaining time as their deadline, and its progress
  hook stops the pipeline at the next event once `check_deadline` has passed; a check whose thread
  still has not returned by then is reported failed (its thread's result is dropped).
* Progress: the pipeline's events (api.Options.on_event) are handed to the event loop and kept
  on the job, so any number of SSE listeners can replay them from the start.
* Shutdown: stop admitting, give running checks `shutdown_grace` seconds, mark whatever is left
  `interrupted` in the history.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import secrets
import time
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from verifier.serve.checks import CheckSpec, check_options, run_spec
from verifier.serve.config import ServeConfig
from verifier.serve.history import History
from verifier.serve.problems import Problem

log = logging.getLogger("verifier.serve")

TERMINAL = ("done", "failed", "interrupted")
_KEEP_FINISHED = 256  # finished jobs kept in memory for late listeners (all are in the history)


class CheckStopped(Exception):
    """Raised from the progress hook to stop a check (deadline passed, server shutting down)."""


@dataclass
class Job:
    id: str
    spec: CheckSpec
    client: str
    status: str = "queued"
    events: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None
    passed: bool | None = None
    summary: dict[str, int] | None = None
    started: float | None = None
    stop_reason: str | None = None  # set to stop the pipeline at its next event
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    finished: asyncio.Event = field(default_factory=asyncio.Event)
    task: asyncio.Task[None] | None = None

    def push(self, kind: str, data: dict[str, Any]) -> None:
        """Record an event (on the event loop) and wake the listeners."""
        self.events.append({"id": len(self.events), "event": kind, "data": data})
        self.changed.set()
        self.changed = asyncio.Event()


@dataclass
class Outcome:
    """What a worker thread hands back for a finished check."""

    passed: bool
    summary: dict[str, int]


def new_id() -> str:
    return secrets.token_urlsafe(12)


class Runner:
    def __init__(self, cfg: ServeConfig, history: History, base_options: Any) -> None:
        self.cfg = cfg
        self.history = history
        self.base = base_options
        self.pool = ThreadPoolExecutor(max_workers=cfg.max_concurrent, thread_name_prefix="verifier-check")
        self.jobs: OrderedDict[str, Job] = OrderedDict()
        self.inflight = 0
        self.running = 0
        self.accepting = True
        self._durations: list[float] = []
        self._webhooks: set[asyncio.Task[None]] = set()

    # ------------------------------------------------------------------ admission

    def retry_after(self) -> int:
        """Seconds a refused client should wait: about one check's time per queued check per slot."""
        typical = sorted(self._durations)[len(self._durations) // 2] if self._durations else 2.0
        return max(1, min(120, round(typical * max(1, self.inflight) / self.cfg.max_concurrent)))

    def submit(self, spec: CheckSpec, client: str) -> Job:
        if not self.accepting:
            raise Problem(503, "the server is shutting down; try again shortly", "shutting_down",
                          headers={"Retry-After": "10"})
        if self.inflight >= self.cfg.max_concurrent + self.cfg.queue_size:
            raise Problem(503, f"too many checks in progress ({self.inflight}); try again later", "queue_full",
                          headers={"Retry-After": str(self.retry_after())})
        job = Job(new_id(), spec, client)
        self.history.add(job.id, spec.kind, spec.name, client)
        self.inflight += 1
        self.jobs[job.id] = job
        job.push("queued", {"id": job.id, "position": max(0, self.inflight - self.cfg.max_concurrent)})
        job.task = asyncio.get_running_loop().create_task(self._run(job))
        return job

    def get(self, id: str) -> Job | None:
        return self.jobs.get(id)

    # ------------------------------------------------------------------ running

    async def _run(self, job: Job) -> None:
        loop = asyncio.get_running_loop()
        fut = loop.run_in_executor(self.pool, self._work, job, loop)
        try:
            await self._await_with_deadline(job, fut)
        except asyncio.CancelledError:
            self._end(job, "interrupted", "the server shut down before the check finished")
            raise
        finally:
            self._forget_later(job)

    async def _await_with_deadline(self, job: Job, fut: asyncio.Future[Outcome]) -> None:
        slack = 5.0  # for the pipeline to notice its deadline at the next event
        while True:
            if job.started is None:
                wait = 0.2
            else:
                wait = max(0.05, job.started + self.cfg.check_deadline + slack - time.monotonic())
            try:
                outcome = await asyncio.wait_for(asyncio.shield(fut), timeout=wait)
            except TimeoutError:
                if job.started is not None and time.monotonic() >= job.started + self.cfg.check_deadline + slack:
                    job.stop_reason = "deadline"
                    self._end(job, "failed", f"check deadline of {self.cfg.check_deadline:g} s exceeded")
                    fut.add_done_callback(lambda _f: self._release())
                    return
                continue
            except CheckStopped as e:
                self._release()
                self._end(job, "failed" if job.stop_reason == "deadline" else "interrupted", str(e))
                return
            except Exception as e:  # noqa: BLE001 - never a traceback to a client; one line in the history
                self._release()
                log.exception("check %s failed", job.id)
                self._end(job, "failed", f"internal error: {type(e).__name__}: {_first_line(e)}")
                return
            self._release()
            if job.status not in TERMINAL:
                job.passed, job.summary = outcome.passed, outcome.summary
                self._end(job, "done", None)
            return

    def _release(self) -> None:
        self.inflight -= 1

    def _work(self, job: Job, loop: asyncio.AbstractEventLoop) -> Outcome:
        """On a worker thread: the whole check, its renderings and its history row."""
        if job.stop_reason is not None:
            raise CheckStopped("the server shut down before the check started")
        started = time.monotonic()
        job.started = started
        deadline_at = started + self.cfg.check_deadline
        loop.call_soon_threadsafe(self._set_running, job)

        def on_event(kind: str, data: dict[str, Any]) -> None:
            if job.stop_reason == "shutdown":
                raise CheckStopped("the server shut down before the check finished")
            if time.monotonic() > deadline_at:
                job.stop_reason = "deadline"
                raise CheckStopped(f"check deadline of {self.cfg.check_deadline:g} s exceeded")
            loop.call_soon_threadsafe(job.push, kind, data)

        opts = check_options(self.base, job.spec, fetch_deadline=max(1.0, self.cfg.check_deadline * 0.75),
                             on_event=on_event, discover=self.cfg.discover)
        result, article = run_spec(job.spec, opts)
        from verifier.report import render
        from verifier.serve.pages import article_fragments

        if job.status in TERMINAL:  # given up on (deadline) while this thread was still working
            raise CheckStopped(job.error or "check ended")
        report_json = render(result, "json")
        summary = {k: v for k, v in result.summary.items()}
        fragments = article_fragments(result)
        self.history.finish(
            job.id, passed=result.passed, summary=summary, report_json=report_json, html=render(result, "html"),
            markdown=render(result, "markdown"), junit=render(result, "junit"), article=fragments,
            events=[*job.events, _end_event(job, "done", result.passed, summary, None)],
        )
        self._durations = (self._durations + [time.monotonic() - started])[-50:]
        return Outcome(result.passed, summary)

    def _set_running(self, job: Job) -> None:
        if job.status == "queued":
            job.status = "running"
            self.running += 1
            self.history.mark_running(job.id)
            job.push("started", {"id": job.id})

    def _end(self, job: Job, status: str, error: str | None) -> None:
        if job.status in TERMINAL:
            return
        if job.status == "running":
            self.running -= 1
        job.status, job.error = status, error
        ev = _end_event(job, status, job.passed, job.summary, error)
        if status != "done":  # a done check's row (with these events) was written by the worker
            self.history.fail(job.id, status, error or status, [*job.events, ev])
        job.push(ev["event"], ev["data"])
        job.finished.set()
        if job.spec.callback_url:
            t = asyncio.get_running_loop().create_task(self._deliver(job))
            self._webhooks.add(t)
            t.add_done_callback(self._webhooks.discard)

    def _forget_later(self, job: Job) -> None:
        finished = [k for k, j in self.jobs.items() if j.status in TERMINAL]
        for k in finished[: max(0, len(finished) - _KEEP_FINISHED)]:
            del self.jobs[k]

    # ------------------------------------------------------------------ webhook

    def document(self, id: str) -> dict[str, Any] | None:
        """GET /api/v1/checks/{id}: status, links and (when done) the report."""
        row = self.history.get(id)
        if row is None:
            return None
        d = row.to_dict()
        report = self.history.field(id, "report") if row.status == "done" else None
        d["report"] = json.loads(report) if report else None
        d["links"] = links(id)
        return d

    async def _deliver(self, job: Job) -> None:
        import httpx

        url = job.spec.callback_url
        assert url is not None
        doc = self.document(job.id)
        body = json.dumps(doc, ensure_ascii=False).encode("utf-8")
        headers = {"Content-Type": "application/json", "User-Agent": self.base.fetch.user_agent,
                   "X-Verifier-Check": job.id}
        if self.cfg.callback_secret:
            sig = hmac.new(self.cfg.callback_secret.encode(), body, hashlib.sha256).hexdigest()
            headers["X-Verifier-Signature"] = f"sha256={sig}"
        outcome = "not delivered"
        async with httpx.AsyncClient(timeout=self.cfg.callback_timeout, follow_redirects=False,
                                     trust_env=False) as client:
            for attempt in range(1, self.cfg.callback_attempts + 1):
                try:
                    await guard_callback(url, self.cfg)
                    r = await client.post(url, content=body, headers=headers)
                    if 200 <= r.status_code < 300:
                        outcome = f"delivered on attempt {attempt} (HTTP {r.status_code})"
                        break
                    outcome = f"HTTP {r.status_code} on attempt {attempt}"
                    if r.status_code < 500 and r.status_code not in (408, 429):
                        break  # the receiver refuses it: retrying will not help
                except Problem as e:
                    outcome = f"refused: {e.detail}"
                    break
                except httpx.HTTPError as e:
                    outcome = f"{type(e).__name__} on attempt {attempt}: {_first_line(e)}"
                if attempt < self.cfg.callback_attempts:
                    await asyncio.sleep(self.cfg.callback_backoff * 2 ** (attempt - 1))
        self.history.set_callback(job.id, outcome)
        log.info("webhook for %s: %s", job.id, outcome)

    # ------------------------------------------------------------------ shutdown

    async def shutdown(self) -> None:
        """Stop admitting; let running checks finish for `shutdown_grace` s; interrupt the rest."""
        self.accepting = False
        pending = [j.task for j in self.jobs.values() if j.task is not None and not j.task.done()]
        if pending:
            await asyncio.wait(pending, timeout=self.cfg.shutdown_grace)
        for j in list(self.jobs.values()):
            if j.status not in TERMINAL:
                j.stop_reason = "shutdown"
                self._end(j, "interrupted", "the server shut down before the check finished")
                if j.task is not None:
                    j.task.cancel()
        self.pool.shutdown(wait=False, cancel_futures=True)
        if self._webhooks:
            await asyncio.wait(list(self._webhooks), timeout=min(5.0, self.cfg.shutdown_grace))


def links(id: str) -> dict[str, str]:
    return {"self": f"/api/v1/checks/{id}", "events": f"/api/v1/checks/{id}/events", "page": f"/checks/{id}",
            "html": f"/checks/{id}.html", "markdown": f"/checks/{id}.md", "junit": f"/checks/{id}.junit.xml",
            "json": f"/checks/{id}.json"}


def _end_event(job: Job, status: str, passed: bool | None, summary: dict[str, int] | None,
               error: str | None) -> dict[str, Any]:
    return {"id": len(job.events), "event": "end",
            "data": {"id": job.id, "status": status, "passed": passed, "summary": summary, "error": error}}


def _first_line(e: BaseException) -> str:
    s = str(e).strip()
    return s.splitlines()[0] if s else type(e).__name__


async def guard_callback(url: str, cfg: ServeConfig) -> None:
    """The SSRF guard for webhooks: a callback may only reach public addresses, unless the server
    was started with --allow-private or its config lists the host in `callback_allow`."""
    from verifier.fetch.guards import BlockedAddress, Unresolvable, check_host

    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if cfg.allow_private or host in cfg.callback_allow:
        return
    try:
        await check_host(host, parts.port or (443 if parts.scheme == "https" else 80))
    except (BlockedAddress, Unresolvable) as e:
        raise Problem(422, f"callback_url: {e}".replace("(allow_private=True to permit)", "").strip(),
                      "callback_refused") from None
