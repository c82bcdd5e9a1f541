"""A polite HTTP client for public APIs that limit their callers.

One `Client` per API host. Every request waits its turn (`rate` requests a second, shared by all threads), so
a fetch never bursts; `concurrency` threads may wait at once. A request is tried again, a bounded number of
times, when the API answers 429 (after `Retry-After` when it says one, seconds or an HTTP date; else after an
exponential back-off with jitter), 5xx, drops the connection, or sends a body that fails the caller's check
(an HTML error page or a truncated file in place of XML or JSON). A 429 pauses every thread of the client,
not only the one that got it. 401 and 403 stop at once (`AccessDenied`); other answers go back to the caller,
which decides what a 404 means.

Nothing here prints, logs or raises a request's headers: the API key travels only in the header it is sent in.
"""

from __future__ import annotations

import email.utils
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

USER_AGENT = "innomaal-fetch/1 (Innomaal: statistics on innovative public procurement)"  # ASCII: a header


@dataclass(frozen=True)
class Policy:
    """How politely to ask: requests a second, threads, tries after the first, the first back-off (seconds,
    doubled each try, with jitter), the longest wait accepted from one Retry-After, and the timeout."""
    rate: float = 2.0
    concurrency: int = 2
    retries: int = 5
    backoff: float = 5.0
    max_wait: float = 300.0
    timeout: float = 60.0


class AccessDenied(Exception):
    """401 or 403: the key is missing, wrong or not subscribed. Carries the status only, never the body (the
    API's message may echo the key)."""

    def __init__(self, status: int):
        self.status = status
        super().__init__(f"HTTP {status}")


class GaveUp(Exception):
    """Every try failed; `reason` says how the last one did (for the summary's list of what was refused)."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


def retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: a number of seconds or an HTTP date; None when absent or
    unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class _Pace:
    """Spaces requests `1/rate` seconds apart across threads, and holds all of them during a pause."""

    def __init__(self, rate: float):
        self.gap = 1.0 / rate if rate > 0 else 0.0
        self.next = 0.0
        self.lock = threading.Lock()

    def wait(self) -> None:
        with self.lock:
            now = time.monotonic()
            slot = max(now, self.next)
            self.next = slot + self.gap
        if slot > now:
            time.sleep(slot - now)

    def pause(self, seconds: float) -> None:
        with self.lock:
            self.next = max(self.next, time.monotonic() + seconds)


class Client:
    """GETs against one API: `base` URL, fixed `headers` (the key among them), the `policy`."""

    def __init__(self, base: str, policy: Policy, headers: dict[str, str] | None = None,
                 sleep: Callable[[float], None] = time.sleep):
        self.base = base.rstrip("/")
        self.policy = policy
        self.pace = _Pace(policy.rate)
        self.sleep = sleep
        self.requests = 0  # requests made, every try counted (the benchmark compares them with the minimum)
        self.retried = 0
        self._count = threading.Lock()
        limits = httpx.Limits(max_connections=max(1, policy.concurrency))
        self.http = httpx.Client(headers={"User-Agent": USER_AGENT, **(headers or {})}, timeout=policy.timeout,
                                 limits=limits, follow_redirects=True)

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _backoff(self, attempt: int) -> float:
        return self.policy.backoff * (2 ** attempt) * random.uniform(0.5, 1.0)

    def get(self, path: str, params: dict | list | None = None, accept: dict[str, str] | None = None,
            check: Callable[[bytes], str | None] | None = None, final: tuple[int, ...] = ()) -> httpx.Response:
        """The answer to GET base+path. `check(body)` of a 200 returns None when the body is what was asked
        for, else why not (then it is asked again). Raises AccessDenied on 401/403 and GaveUp when every try
        failed; any other answer (404, 410, 400 …) is returned."""
        reason = "no answer"
        for attempt in range(self.policy.retries + 1):  # `final`: 5xx statuses that are an answer, not a fault
            self.pace.wait()
            with self._count:
                self.requests += 1
                self.retried += attempt > 0
            try:
                response = self.http.get(self.base + path, params=params, headers=accept)
            except httpx.TransportError as exc:  # refused, reset, timed out, cut short
                reason = f"connection failed ({type(exc).__name__})"
                self.sleep(self._backoff(attempt))
                continue
            status = response.status_code
            if status in (401, 403):
                raise AccessDenied(status)
            if status == 429:
                said = retry_after(response.headers.get("Retry-After"))
                wait = min(said, self.policy.max_wait) if said is not None else self._backoff(attempt)
                reason = "rate limited (429) on every try"
                self.pace.pause(wait)
                continue
            if status >= 500 and status not in final:
                reason = f"server error ({status}) on every try"
                self.sleep(self._backoff(attempt))
                continue
            if status == 200 and check is not None and (problem := check(response.content)) is not None:
                reason = problem
                self.sleep(self._backoff(attempt))
                continue
            return response
        raise GaveUp(f"{reason}, {self.policy.retries + 1} tries")


def save(client: Client, path: str, check: Callable[[bytes], str | None], write: Callable[[bytes], None],
         answers: dict[int, str], accept: dict[str, str] | None = None, final: tuple[int, ...] = ()) -> str | None:
    """GETs `path` and hands its checked 200 body to `write`: None. Otherwise why not: what `answers` says a
    status means (404 …), the status, or how the last try failed."""
    try:
        response = client.get(path, accept=accept, check=check, final=final)
    except GaveUp as exc:
        return exc.reason
    if response.status_code == 200:
        write(response.content)
        return None
    return answers.get(response.status_code, f"HTTP {response.status_code}")
