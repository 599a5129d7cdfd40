"""What the browser's card form needs: the Content-Security-Policy sources of Stripe.js.

Plain Python without Django, so settings.py can use it to build the site's policy and the
payment page can follow a setting changed at run time (tests start localstripe on any port).
"""

from urllib.parse import urlsplit


def stripe_js_sources(js_url: str) -> dict[str, list[str]]:
    """Return the CSP sources, beyond 'self', that Stripe.js served from js_url needs."""
    parts = urlsplit(js_url)
    origin = f"{parts.scheme}://{parts.netloc}"
    if parts.netloc == "js.stripe.com":
        # Stripe's documented policy for Stripe.js with card elements and 3-D Secure.
        return {
            "script-src": [origin],
            "connect-src": ["https://api.stripe.com"],
            "frame-src": [origin, "https://hooks.stripe.com"],
        }
    # localstripe serves its stand-in script and answers its calls from one origin.
    return {"script-src": [origin], "connect-src": [origin], "frame-src": [origin]}
