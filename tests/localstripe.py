"""localstripe for the tests: one real server per test session (per xdist worker).

It runs as its own process (it is GPL-3.0: run, never copied), on a free port of 127.0.0.1,
and the site's settings point the stripe SDK and the page's Stripe.js at it. Its store is wiped
at the start of every test module (it slows down as the store grows).

The fixtures are imported by tests/conftest.py, so every folder (e2e too) can use them.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

# The stock `localstripe` command listens on every interface; serve its app on loopback only
# (as .ci/dev-site does). Its store also rewrites one fixed file, /tmp/localstripe.pickle, on
# every change: parallel workers would share it, and a store that is never reloaded (as here)
# has no use for it, so that write is turned off in this process.
LAUNCHER = """
import sys
from aiohttp import web
from localstripe.resources import Store
Store.dump_to_disk = lambda self: None
from localstripe.server import app
web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), print=None)
"""
PUBLISHABLE_KEY = "pk_test_souk_local"
STARTUP_SECONDS = 15


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass(frozen=True)
class Localstripe:
    """A running localstripe, and the calls tests make to it as a browser or its operator."""

    url: str

    def wipe(self) -> None:
        requests.delete(f"{self.url}/_config/data", timeout=5).raise_for_status()

    def register_webhook(
        self, url: str, *, secret: str, name: str = "souk", events: list[str] | None = None
    ) -> None:
        """Send events (all when None) to url; localstripe has no way to remove a webhook:
        register the name again with events=["none"] to silence it."""
        body = {"url": url, "secret": secret, "events": events}
        requests.post(
            f"{self.url}/_config/webhooks/{name}", json=body, timeout=5
        ).raise_for_status()

    def confirm_card_setup(self, client_secret: str, number: str, *, authenticate=True) -> dict:
        """Confirm a card on a SetupIntent as Stripe.js does; pass 3-D Secure if asked."""
        setup_intent_id = client_secret.split("_secret_")[0]
        url = f"{self.url}/v1/setup_intents/{setup_intent_id}/confirm"
        card = {"number": number, "exp_month": "12", "exp_year": "2034", "cvc": "123"}
        body = {
            "key": PUBLISHABLE_KEY,
            "use_stripe_sdk": True,
            "client_secret": client_secret,
            "payment_method_data": {"type": "card", "card": card},
        }
        answer = requests.post(url, json=body, timeout=5)
        answer.raise_for_status()
        setup = answer.json()
        if setup["status"] == "requires_action" and authenticate:
            body = {"key": PUBLISHABLE_KEY, "use_stripe_sdk": True, "client_secret": client_secret}
            answer = requests.post(url, json=body, timeout=5)
            answer.raise_for_status()
            setup = answer.json()
        return setup

    def authenticate_payment(self, client_secret: str, *, success: bool) -> dict:
        """Pass or fail the 3-D Secure check of a PaymentIntent, as the browser's modal does."""
        payment_intent_id = client_secret.split("_secret_")[0]
        answer = requests.post(
            f"{self.url}/v1/payment_intents/{payment_intent_id}/_authenticate",
            params={"success": "true" if success else "false"},
            json={"key": PUBLISHABLE_KEY, "client_secret": client_secret},
            timeout=5,
        )
        answer.raise_for_status()
        return answer.json()

    def get(self, path: str, **params) -> dict:
        """Read an object of the API (the secret key, as the server would)."""
        answer = requests.get(
            f"{self.url}{path}", params=params, auth=("sk_test_souk_local", ""), timeout=5
        )
        answer.raise_for_status()
        return answer.json()


def _answers(url: str) -> bool:
    try:
        return requests.get(f"{url}/js.stripe.com/v3/", timeout=0.5).ok
    except requests.RequestException:
        return False


@pytest.fixture(scope="session")
def localstripe_server() -> Iterator[Localstripe]:
    """Start localstripe for the session; fail loudly, with its log, if it does not answer."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = Path(tempfile.gettempdir()) / f"souk-test-localstripe-{port}.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-c", LAUNCHER, str(port)],
            stdout=output,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    deadline = time.monotonic() + STARTUP_SECONDS
    while not _answers(url):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            process.wait()
            pytest.fail(
                f"localstripe did not start on {url} within {STARTUP_SECONDS} s "
                f"(exit code {process.returncode}). Is it installed in the venv "
                f"(`pip install -r requirements.txt`)? Its log, {log}:\n"
                + log.read_text(errors="replace")[-3000:],
                pytrace=False,
            )
        time.sleep(0.1)
    try:
        yield Localstripe(url)
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.unlink(missing_ok=True)


@pytest.fixture(scope="module")
def _fresh_localstripe_store(localstripe_server: Localstripe) -> Localstripe:
    localstripe_server.wipe()
    return localstripe_server


@pytest.fixture
def localstripe(_fresh_localstripe_store: Localstripe, settings) -> Localstripe:
    """A running localstripe (wiped per module) that the site's settings point at."""
    settings.SOUK_STRIPE_API_BASE = _fresh_localstripe_store.url
    settings.SOUK_STRIPE_JS_URL = f"{_fresh_localstripe_store.url}/js.stripe.com/v3/"
    return _fresh_localstripe_store
