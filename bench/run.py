"""`make bench`: 100,000 products, the site under gunicorn, wrk against five pages, then
guests checking out and paying.

Steps: seed a separate database (skipped when it already holds the catalog), count each
page's SQL queries with Django's test client, pick the products the checkout buys (their
stock raised), start localstripe and gunicorn (4 sync workers, DEBUG off) on free ports of
127.0.0.1, run wrk (2 threads, 32 connections, 15 s) against each page, run the checkout
(bench/checkout.py), print both tables, and stop gunicorn and localstripe whatever happens.
Traffic goes to 127.0.0.1 only.

Environment: DATABASE_URL (default: SQLite file bench/results/bench.sqlite3),
BENCH_PRODUCTS (100000), BENCH_DURATION (15), BENCH_CONNECTIONS (32), BENCH_THREADS (2),
BENCH_CHECKOUT_SECONDS (30), BENCH_CHECKOUT_BUYERS (8).
"""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import checkout

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
PRODUCTS = int(os.environ.get("BENCH_PRODUCTS", "100000"))
DURATION = int(os.environ.get("BENCH_DURATION", "15"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "32"))
THREADS = int(os.environ.get("BENCH_THREADS", "2"))


def bench_environment() -> dict[str, str]:
    """The production settings, pointed at the bench database and media."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", f"sqlite:///{RESULTS / 'bench.sqlite3'}")
    env.update(
        DJANGO_SETTINGS_MODULE="marketplace.settings",
        DEBUG="0",
        SECRET_KEY="bench-only-secret-key-not-for-production-0123456789abcdef",
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        SOUK_SERVE_MEDIA="0",
        SOUK_STATIC_MANIFEST="1",
        MEDIA_ROOT=str(RESULTS / "media"),
        LOG_LEVEL="WARNING",
        SECURE_COOKIES="0",  # the checkout's guests talk plain HTTP: cookies must come back
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",  # written, not sent
    )
    return env


def manage(env: dict[str, str], *args: str, capture: bool = False) -> str:
    done = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    )
    return done.stdout or ""


def seed(env: dict[str, str]) -> str:
    """Seed the bench catalog unless it is there; return how long seeding took."""
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    count = int(
        manage(
            env,
            "shell",
            "-v0",
            "-c",
            "from catalog.models import Product; print(Product.objects.count())",
            capture=True,
        ).split()[-1]
    )
    scheme = env["DATABASE_URL"].split(":", 1)[0]
    record = RESULTS / ("seed-seconds.txt" if scheme == "sqlite" else f"seed-seconds-{scheme}.txt")
    if count >= PRODUCTS and record.exists():
        return f"{record.read_text().strip()} s (earlier run; {count:,} products)"
    print(f"Seeding {PRODUCTS:,} products into {env['DATABASE_URL']} ...", flush=True)
    started = time.perf_counter()
    manage(env, "seed_demo", "--reset", "--products", str(PRODUCTS))
    seconds = time.perf_counter() - started
    record.write_text(f"{seconds:.0f}\n")
    return f"{seconds:.0f} s"


def count_queries(env: dict[str, str]) -> dict:
    """Pick the pages and count their SQL queries in a separate process."""
    output = subprocess.run(
        [PYTHON, str(ROOT / "bench" / "queries.py")],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(env: dict[str, str], port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [GUNICORN, "marketplace.wsgi:application", "--workers", "4", "--worker-class", "sync",
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "--timeout", "60"],
        cwd=ROOT,
        env=env,
        start_new_session=True,  # its own process group: stopped as a whole at the end
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with status {server.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/en/", timeout=5) as response:
                response.read()
                return server
        except OSError:
            time.sleep(0.3)
    stop(server)
    raise SystemExit("gunicorn did not answer on 127.0.0.1 within 30 s")


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def ensure_wrk() -> str:
    """Return the path of wrk, installing Debian's package when missing, or fail loudly."""
    if path := shutil.which("wrk"):
        return path
    print("wrk is missing: installing Debian's package (apt-get install -y wrk) ...", flush=True)
    if os.geteuid() == 0:
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=False)
    if path := shutil.which("wrk"):
        return path
    raise SystemExit(
        "wrk is not installed and could not be installed: run `sudo apt-get install wrk`."
    )


# wrk script: each request asks for one of the paths listed in the file BENCH_PATHS.
RANDOM_PATHS_SCRIPT = """
local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do paths[#paths + 1] = line end
math.randomseed(os.time() + math.floor(os.clock() * 1000000))
request = function() return wrk.format("GET", paths[math.random(#paths)]) end
"""


def load(wrk: str, url: str, *, cookie: str = "", paths: str = "") -> dict:
    """Run wrk against one URL (or the paths listed in the file `paths`), with an optional
    cookie; return requests/s, p50, p99 and failed responses."""
    status = 200
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    for _ in range(20):  # warm each worker's caches and connections first
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                response.read()
        except urllib.error.HTTPError as error:  # measured anyway; the table shows the status
            status = error.code
    options = ["-H", f"Cookie: {cookie}"] if cookie else []
    if paths:
        script = RESULTS / "random-paths.lua"
        script.write_text(RANDOM_PATHS_SCRIPT)
        options += ["-s", str(script)]
    output = subprocess.run(
        [wrk, f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{DURATION}s", "--timeout", "10s",
         "--latency", *options, url],
        env={**os.environ, "BENCH_PATHS": paths},
        check=True,
        text=True,
        stdout=subprocess.PIPE,
        timeout=DURATION + 60,
    ).stdout  # fmt: skip
    failed = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: .*?timeout (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": _millis(re.search(r"50%\s+([\d.]+\w+)", output).group(1)),
        "p99": _millis(re.search(r"99%\s+([\d.]+\w+)", output).group(1)),
        "served": status,
        "failed": int(failed.group(1)) if failed else 0,
        "timeouts": int(errors.group(1)) if errors else 0,
    }


def _millis(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(\w+)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def load_pages(wrk: str, site: str, pages: dict) -> list[dict]:
    """wrk against each page as a visitor, then signed in, then product pages at random."""
    rows = []
    for page in pages["pages"]:
        print(f"wrk {page['name']}: {page['path']}", flush=True)
        rows.append({**page, "who": "visitor", **load(wrk, site + page["path"])})
    for page in pages["pages"]:
        print(f"wrk {page['name']}, signed in: {page['path']}", flush=True)
        measured = load(wrk, site + page["path"], cookie=pages["session_cookie"])
        rows.append({**page, "who": "signed in", "queries": page["signed_in_queries"], **measured})
    product = next(page for page in pages["pages"] if page["name"] == "product page")
    count = len(Path(pages["product_paths"]).read_text().split())
    print(f"wrk {count:,} product pages at random", flush=True)
    rows.append(
        {
            **product,
            "name": f"{count:,} product pages at random",
            "path": "/en/products/<random>/",
            "who": "visitor",
            "queries": product["queries"].split("/")[0],
            **load(wrk, site + product["path"], paths=pages["product_paths"]),
        }
    )
    return rows


def main() -> None:
    env = bench_environment()
    wrk = ensure_wrk()
    localstripe, stripe = checkout.start_localstripe(RESULTS / "localstripe.log")
    try:
        # Every command of the bench talks to localstripe (production settings refuse to start
        # with neither Stripe's keys nor it).
        env["SOUK_STRIPE_API_BASE"] = stripe.url
        seed_time = seed(env)
        pages = count_queries(env)
        slugs = checkout.pick_products(env)
        port = free_port()
        print(f"Starting gunicorn on 127.0.0.1:{port} (4 sync workers) ...", flush=True)
        server = start_gunicorn(env, port)
        site = f"http://127.0.0.1:{port}"
        try:
            rows = load_pages(wrk, site, pages)
            print(f"Checkout: {checkout.BUYERS} guests for {checkout.SECONDS} s ...", flush=True)
            bought = checkout.run(site, stripe, slugs)
        finally:
            stop(server)
    finally:
        checkout.stop_localstripe(localstripe)
    database = env["DATABASE_URL"].split(":", 1)[0]
    print()
    print(f"Souk bench: {pages['products']:,} products on {database}; gunicorn 4 sync workers; "
          f"wrk {THREADS} threads, {CONNECTIONS} connections, {DURATION} s per page; seed {seed_time}")  # fmt: skip
    print()
    print("| page | who | path | requests/s | p50 ms | p99 ms | SQL queries | status | failed |")
    print("|---|---|---|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        print(f"| {row['name']} | {row['who']} | `{row['path']}` | {row['rps']:.0f} | {row['p50']:.1f} | "
              f"{row['p99']:.1f} | {row['queries']} | {row['served']} | {row['failed'] + row['timeouts']} |")  # fmt: skip
    print()
    checkout.report(bought, database, len(slugs))


if __name__ == "__main__":
    sys.exit(main())
