"""Load test of the HTTP service: the real server on a loopback port, concurrent async clients.

    python bench/service_load.py [--concurrency 16] [--workers 1] [--seconds 20]
                                 [--requests-1k 3000] [--requests-100k 300] [--out bench/results]

For each endpoint (/v1/count, /v1/estimate) and text size (1 KB, 100 KB of UTF-8) it sends a
bounded number of requests (stopping early at --seconds), `--concurrency` at a time over
keep-alive connections, and reports requests/s, p50/p99 latency and the error count (any
non-200 answer or transport error; must be 0). Texts are distinct slices of the UDHR in many
languages (corpora/udhr), cycled from a pool, so most requests are not cache-warm.

Traffic goes only to 127.0.0.1, to the server this script starts and stops. The client runs
on the same machine and takes CPU from the server: the numbers are a lower bound for what a
server with the cores to itself does.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import lzma
import os
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from corpus import ROOT, ensure_import_paths

ensure_import_paths()

import httpx  # noqa: E402
from impls import environment_info  # noqa: E402
from server_process import running_server  # noqa: E402

UDHR = ROOT / "corpora" / "udhr" / "udhr_articles.jsonl.xz"
ENCODINGS = ["o200k_base", "cl100k_base", "llama3"]
MODELS = ["gpt-4o", "claude-sonnet-4-5", "deepseek-chat"]
OUTPUT_TOKENS = 500
SIZES = {"1 KB": 1_000, "100 KB": 100_000}


def _udhr_text() -> str:
    """Every declaration's preamble and articles, one after the other (about 8 MB)."""
    parts: list[str] = []
    with lzma.open(UDHR, "rt", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            parts.append(str(d.get("preamble") or ""))
            articles = d.get("articles") or {}
            parts.extend(
                str(a) for a in (articles.values() if isinstance(articles, dict) else articles)
            )
    return "\n".join(parts)


def text_pool(source: str, nbytes: int, count: int, seed: int) -> list[str]:
    """`count` slices of about `nbytes` UTF-8 bytes from random places of `source`."""
    rng = random.Random(seed)
    raw = source.encode("utf-8")
    pool = []
    for _ in range(count):
        start = rng.randrange(0, len(raw) - nbytes)
        pool.append(raw[start : start + nbytes].decode("utf-8", errors="ignore"))
    return pool


@dataclass
class Result:
    endpoint: str
    size: str
    sent: int
    errors: int
    seconds: float
    latencies_ms: list[float]
    first_error: str = ""

    @property
    def rps(self) -> float:
        return len(self.latencies_ms) / self.seconds if self.seconds else 0.0

    def pct(self, q: float) -> float:
        data = sorted(self.latencies_ms)
        if not data:
            return float("nan")
        return data[min(len(data) - 1, int(q * len(data)))]


def body_for(endpoint: str, text: str) -> dict[str, object]:
    if endpoint == "/v1/count":
        return {"texts": [text], "encodings": ENCODINGS}
    return {"texts": [text], "models": MODELS, "output_tokens": OUTPUT_TOKENS}


async def drive(
    url: str,
    endpoint: str,
    size: str,
    pool: list[str],
    requests: int,
    concurrency: int,
    seconds: float,
) -> Result:
    """Send up to `requests` requests, `concurrency` at a time, for at most `seconds`."""
    latencies: list[float] = []
    errors = 0
    first_error = ""
    next_index = 0
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)

    async def client_loop(client: httpx.AsyncClient) -> None:
        nonlocal next_index, errors, first_error
        while next_index < requests and time.perf_counter() < deadline:
            i = next_index
            next_index += 1
            body = body_for(endpoint, pool[i % len(pool)])
            t0 = time.perf_counter()
            try:
                r = await client.post(endpoint, json=body)
                ok = r.status_code == 200
                problem = "" if ok else f"HTTP {r.status_code}: {r.text[:300]}"
            except httpx.HTTPError as e:
                ok, problem = False, f"{type(e).__name__}: {e}"
            if ok:
                latencies.append((time.perf_counter() - t0) * 1000)
            else:
                errors += 1
                first_error = first_error or problem

    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=60) as client:
        await client.get("/healthz")  # warm the connection pool's first connection
        start = time.perf_counter()
        await asyncio.gather(*(client_loop(client) for _ in range(concurrency)))
        elapsed = time.perf_counter() - start
    return Result(endpoint, size, next_index, errors, elapsed, latencies, first_error)


def warm_up(url: str, endpoint: str) -> str | None:
    """Load the tokenizers (and price book) before timing; None, or why the endpoint is off."""
    r = httpx.post(url + endpoint, json=body_for(endpoint, "warm up"), timeout=60)
    if r.status_code in (501, 503):
        return f"HTTP {r.status_code}: {r.json()['error']['message']}"
    r.raise_for_status()
    return None


def report(
    results: list[Result], skipped: dict[str, str], args: argparse.Namespace, command: str
) -> str:
    lines = [
        "# Service under load",
        "",
        f"`python bench/service_load.py`: the real server (`python -m tokbench.service`, "
        f"{args.workers} worker process(es)) on 127.0.0.1, driven by {args.concurrency} "
        "concurrent keep-alive clients (async httpx) on the same machine. Each row sends up "
        f"to the given number of requests or stops after {args.seconds:g} s. Texts: distinct "
        "UTF-8 slices of the UDHR in many languages (1 KB: pool of 500; 100 KB: pool of 50). "
        f"`/v1/count` counts with {', '.join(ENCODINGS)}; `/v1/estimate` prices "
        f"{', '.join(MODELS)} with {OUTPUT_TOKENS} output tokens (Claude's tokens are "
        "estimated through o200k_base, like gpt-4o's, so the second count of each text is "
        "warm). Latency is per request, "
        "measured by the client; an error is any answer but 200 or a transport error.",
        "",
        "| endpoint | text | requests | errors | requests/s | p50 ms | p99 ms |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| `{r.endpoint}` | {r.size} | {r.sent} | {r.errors} | {r.rps:.1f} | "
            f"{r.pct(0.5):.1f} | {r.pct(0.99):.1f} |"
        )
    for endpoint, why in skipped.items():
        lines.append(f"| `{endpoint}` | - | not run: {why} | | | | |")
    errors = [r for r in results if r.errors]
    lines += ["", f"Errors: {sum(r.errors for r in results)}."]
    busy = float(args.load_at_start.split(" / ")[0])
    if busy > (os.cpu_count() or 1):
        lines += [
            "",
            f"**The machine was busy with other jobs** (load average {busy:.1f} on "
            f"{os.cpu_count()} CPUs when the run began): the server had a fraction of the "
            "cores, so these are lower bounds.",
        ]
    lines += [f"First error on {r.endpoint} {r.size}: {r.first_error}" for r in errors]
    lines += ["", "| | |", "|---|---|"]
    lines.append(f"| load average at the start (1/5/15 min) | {args.load_at_start} |")
    for label, value in environment_info(command):
        if label != "threads":  # the server counts on all cores; not a single-thread run
            lines.append(f"| {label} | {value} |")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=1, help="server worker processes")
    parser.add_argument("--seconds", type=float, default=20.0, help="time cap per row")
    parser.add_argument("--requests-1k", type=int, default=3000)
    parser.add_argument("--requests-100k", type=int, default=300)
    parser.add_argument("--endpoints", default="/v1/count,/v1/estimate")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args()
    command = ("python bench/service_load.py " + " ".join(sys.argv[1:])).strip()
    args.load_at_start = " / ".join(f"{x:.1f}" for x in os.getloadavg())

    source = _udhr_text()
    pools = {
        "1 KB": text_pool(source, SIZES["1 KB"], 500, seed=1),
        "100 KB": text_pool(source, SIZES["100 KB"], 50, seed=2),
    }
    counts = {"1 KB": args.requests_1k, "100 KB": args.requests_100k}
    results: list[Result] = []
    skipped: dict[str, str] = {}
    # Generous limits: the bench measures throughput, not the limits.
    env = {"TOKBENCH_MAX_CHARS": "10000000", "TOKBENCH_MAX_BODY_BYTES": "16000000"}
    with running_server(workers=args.workers, env=env) as url:
        for endpoint in args.endpoints.split(","):
            why = warm_up(url, endpoint)
            if why is not None:
                skipped[endpoint] = why
                print(f"{endpoint}: not run ({why})")
                continue
            for size, pool in pools.items():
                r = asyncio.run(
                    drive(url, endpoint, size, pool, counts[size], args.concurrency, args.seconds)
                )
                results.append(r)
                print(
                    f"{endpoint:13s} {size:6s} {r.sent:5d} sent, {r.errors} errors, "
                    f"{r.rps:7.1f} req/s, p50 {r.pct(0.5):7.1f} ms, p99 {r.pct(0.99):7.1f} ms"
                )
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "service_load.md").write_text(report(results, skipped, args, command), "utf-8")
    print(f"wrote {args.out / 'service_load.md'}")
    return 1 if any(r.errors for r in results) else 0


if __name__ == "__main__":
    raise SystemExit(main())
