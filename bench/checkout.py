"""The checkout bench: guests buying and paying over HTTP, as many orders as they can.

Each order is a new guest (a requests.Session keeps its cookies), doing what a browser does:
the product page, "add to cart" (then the cart page), the destination and currency (cart page
again), the checkout page, the address form (then the payment page), then paying as pay.js
does: payments:setup, the card confirmed on the SetupIntent as Stripe.js would (the tests'
localstripe client), payments:confirm, and the order page. Static files, Stripe.js and
webhooks are left out. An order counts once payments:confirm answers "succeeded", which the
server only says once the order is marked paid in the database.

BUYERS threads order for SECONDS against localstripe, which run.py starts here (its store
wiped before the timed run: it slows as it grows).
"""

import html
import json
import os
import random
import re
import subprocess
import sys
import threading
import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from math import ceil
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.localstripe import LAUNCHER, Localstripe, free_port  # noqa: E402

SECONDS = int(os.environ.get("BENCH_CHECKOUT_SECONDS", "30"))
BUYERS = int(os.environ.get("BENCH_CHECKOUT_BUYERS", "8"))
VISA = "4242424242424242"
# Where the guests send their orders, in which currency: (country, currency, city, postal code).
DESTINATIONS = [
    ("MA", "MAD", "Fès", "30000"),
    ("FR", "EUR", "Lyon", "69001"),
    ("US", "USD", "Boston", "02108"),
]
TIMEOUT = 30  # seconds per request; gunicorn's own timeout is 60


class OrderFailed(Exception):
    """One step of an order did not give what a buyer expects."""


@dataclass
class Results:
    seconds: list[float] = field(default_factory=list)  # per paid order
    steps: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    failures: list[str] = field(default_factory=list)
    elapsed: float = 0.0


# ---------------------------------------------------------------- localstripe


def start_localstripe(log: Path) -> tuple[subprocess.Popen, Localstripe]:
    """localstripe on a free port of 127.0.0.1, with the tests' launcher (no store file)."""
    port = free_port()
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-c", LAUNCHER, str(port)],
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    stripe = Localstripe(f"http://127.0.0.1:{port}")
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and process.poll() is None:
        try:
            stripe.wipe()
            return process, stripe
        except requests.RequestException:
            time.sleep(0.1)
    stop_localstripe(process)
    raise SystemExit(f"localstripe did not start on {stripe.url} (see {log})")


def stop_localstripe(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# ---------------------------------------------------------------- one guest, one order


def find(pattern: str, page: str, what: str) -> str:
    found = re.search(pattern, page)
    if not found:
        raise OrderFailed(f"no {what} in the page")
    return html.unescape(found.group(1))


def csrf_token(page: str) -> str:
    return find(r'name="csrfmiddlewaretoken" value="([^"]+)"', page, "CSRF token")


class Guest:
    """A browser of its own (cookies), placing and paying one order, each step timed."""

    def __init__(self, site: str, stripe: Localstripe, results: Results) -> None:
        self.site = site
        self.stripe = stripe
        self.results = results
        self.http = requests.Session()
        self.step = ""

    @contextmanager
    def timed(self, step: str):
        self.step = step
        started = time.perf_counter()
        yield
        self.results.steps[step].append(time.perf_counter() - started)

    def page(self, step: str, path: str, form: dict | None = None) -> requests.Response:
        """GET the page, or POST the form to it, following redirects as a browser does."""
        with self.timed(step):
            if form is None:
                response = self.http.get(self.site + path, timeout=TIMEOUT)
            else:
                response = self.http.post(self.site + path, data=form, timeout=TIMEOUT)
        if response.status_code != 200:
            raise OrderFailed(f"HTTP {response.status_code} at {response.url}")
        return response

    def call(self, step: str, path: str, form: dict, token: str) -> dict:
        """POST as pay.js does (X-CSRFToken, JSON back)."""
        headers = {"X-CSRFToken": token, "Accept": "application/json"}
        with self.timed(step):
            response = self.http.post(self.site + path, data=form, headers=headers, timeout=TIMEOUT)
        if response.status_code != 200:
            raise OrderFailed(f"HTTP {response.status_code}: {response.text[:200]}")
        return response.json()

    def order(self, slug: str, destination: tuple[str, str, str, str], number: int) -> None:
        country, currency, city, postal_code = destination
        product = self.page("product page", f"/en/products/{slug}/")
        cart = self.page(
            "add to cart + cart",
            f"/en/cart/add/{slug}/",
            {"quantity": "1", "csrfmiddlewaretoken": csrf_token(product.text)},
        )
        self.page(
            "destination + cart",
            "/en/cart/preferences/",
            {
                "currency": currency,
                "country": country,
                "csrfmiddlewaretoken": csrf_token(cart.text),
            },
        )
        checkout = self.page("checkout page", "/en/checkout/")
        address = {
            "email": f"buyer-{number}@bench.souk.test",
            "full_name": "Bench Buyer",
            "address_line1": "12 derb Souk",
            "city": city,
            "postal_code": postal_code,
            "country": country,
            "phone": "+212 6 12 34 56 78",
            "csrfmiddlewaretoken": csrf_token(checkout.text),
        }
        pay = self.page("place order + payment page", "/en/checkout/", address)
        if "/pay/" not in pay.url:
            raise OrderFailed(f"the checkout answered {pay.url}, not the payment page")
        token = csrf_token(pay.text)
        setup_url = find(r'data-setup-url="([^"]+)"', pay.text, "setup URL")
        confirm_url = find(r'data-confirm-url="([^"]+)"', pay.text, "confirm URL")
        secret = self.call("payments:setup", setup_url, {}, token)["client_secret"]
        with self.timed("card on the SetupIntent (localstripe)"):
            setup = self.stripe.confirm_card_setup(secret, VISA)
        answer = self.call("payments:confirm", confirm_url, {"setup_intent": setup["id"]}, token)
        if answer.get("status") != "succeeded":
            raise OrderFailed(f"payment {answer.get('status')}: {answer.get('message')}")
        self.page("order page", answer["redirect"])


def buy(site: str, stripe: Localstripe, slug: str, number: int, results: Results) -> None:
    """One order by a new guest; its time, or why it failed, goes into results."""
    guest = Guest(site, stripe, results)
    started = time.perf_counter()
    try:
        guest.order(slug, DESTINATIONS[number % len(DESTINATIONS)], number)
    except (OrderFailed, requests.RequestException, ValueError, KeyError) as error:
        results.failures.append(f"{guest.step}: {type(error).__name__}: {error}")
    else:
        results.seconds.append(time.perf_counter() - started)


# ---------------------------------------------------------------- the run


def pick_products(env: dict[str, str]) -> list[str]:
    """The slugs to buy (their stock raised in the bench database): checkout_products.py."""
    countries = [country for country, *_ in DESTINATIONS]
    output = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "checkout_products.py"), *countries],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def run(site: str, stripe: Localstripe, slugs: list[str]) -> Results:
    """One order to check the path works and warm it, then BUYERS guests for SECONDS."""
    warm_up = Results()
    buy(site, stripe, slugs[0], 0, warm_up)
    if warm_up.failures:
        raise SystemExit(f"The checkout path does not work: {warm_up.failures[0]}")
    stripe.wipe()
    results = Results()
    counter = iter(range(1, 10**9))  # next() on it is atomic under the GIL: unique numbers
    deadline = time.monotonic() + SECONDS

    def guest_after_guest(seed: int) -> None:
        rng = random.Random(seed)
        while time.monotonic() < deadline:
            buy(site, stripe, rng.choice(slugs), next(counter), results)

    threads = [threading.Thread(target=guest_after_guest, args=(i,)) for i in range(BUYERS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results.elapsed = time.perf_counter() - started  # orders begun before the deadline finish
    return results


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (0 when there are no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, ceil(share * len(ordered)) - 1)]


def report(results: Results, database: str, products: int) -> None:
    paid = len(results.seconds)
    print(f"Checkout: {BUYERS} guests in parallel for {SECONDS} s, each order a new guest buying "
          f"1 of {products} products; destinations {', '.join(d[0] for d in DESTINATIONS)}")  # fmt: skip
    print()
    print("| checkout | database | buyers | orders paid | orders/minute | p50 s | p99 s | failed |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    print(f"| product page to order page | {database} | {BUYERS} | {paid} | "
          f"{paid / results.elapsed * 60:.0f} | {percentile(results.seconds, 0.5):.2f} | "
          f"{percentile(results.seconds, 0.99):.2f} | {len(results.failures)} |")  # fmt: skip
    print()
    print("Mean seconds per step: " + ", ".join(
        f"{step} {sum(times) / len(times):.3f}" for step, times in results.steps.items()
    ))  # fmt: skip
    for failure in results.failures[:5]:
        print(f"  failed: {failure}")
