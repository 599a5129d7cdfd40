"""The payment page, the two calls its script makes, and the processor's webhook."""

import logging
from http import HTTPStatus
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from marketplace.models import OrderStatus
from marketplace.orders import buyer_order, order_path
from payments import charging, gateway, webhooks
from payments.models import PaymentStatus
from payments.stripe_js import stripe_js_sources

logger = logging.getLogger(__name__)

# What the browser is told, per attempt status, and the HTTP status it comes with.
ATTEMPT_HTTP_STATUS = {
    PaymentStatus.SUCCEEDED: HTTPStatus.OK,
    PaymentStatus.REQUIRES_ACTION: HTTPStatus.OK,
    PaymentStatus.FAILED: HTTPStatus.PAYMENT_REQUIRED,
    PaymentStatus.STARTED: HTTPStatus.CONFLICT,
    PaymentStatus.UNKNOWN: HTTPStatus.SERVICE_UNAVAILABLE,
}
REFUSAL_HTTP_STATUS = {
    "already_paid": HTTPStatus.CONFLICT,
    "payment_in_progress": HTTPStatus.CONFLICT,
    "processor_unreachable": HTTPStatus.SERVICE_UNAVAILABLE,
    "processor_error": HTTPStatus.BAD_GATEWAY,
}


@require_GET
@never_cache
def pay(request: HttpRequest, number: str) -> HttpResponse:
    order = buyer_order(request, number)
    # Calls back to this page's endpoints carry the guest's signed key, if that is how it came.
    query = "?" + urlencode({"key": request.GET["key"]}) if request.GET.get("key") else ""
    context = {
        "order": order,
        "order_url": _order_url(request, order),
        "paid": order.status == OrderStatus.PAID,
        "payable": order.status == OrderStatus.AWAITING_PAYMENT,
        # Released by the next attempt (or release_reservations): a GET changes nothing.
        "expired": order.reserved_until < timezone.now(),
        "stripe_js_url": settings.SOUK_STRIPE_JS_URL,
        "publishable_key": settings.STRIPE_PUBLISHABLE_KEY,
        "setup_url": reverse("payments:setup", args=[order.number]) + query,
        "confirm_url": reverse("payments:confirm", args=[order.number]) + query,
    }
    response = render(request, "payments/pay.html", context)
    # The site's policy (settings) allows Stripe.js's origin already; restating it here follows
    # a setting changed since start-up (tests start localstripe on a port of their own).
    response._csp_replace = {
        directive: ["'self'", *sources]
        for directive, sources in stripe_js_sources(settings.SOUK_STRIPE_JS_URL).items()
    }
    return response


@require_POST
def setup(request: HttpRequest, number: str) -> JsonResponse:
    """Open a SetupIntent for the card form: its client secret, as JSON."""
    order = buyer_order(request, number)
    try:
        client_secret = charging.start_card_setup(order)
    except charging.PaymentRefused as refusal:
        return _refused(request, order, refusal)
    return JsonResponse({"client_secret": client_secret})


@require_POST
def confirm(request: HttpRequest, number: str) -> JsonResponse:
    """Charge the card the browser confirmed on a SetupIntent (its id in `setup_intent`)."""
    order = buyer_order(request, number)
    setup_intent_id = request.POST.get("setup_intent", "").strip()
    try:
        attempt = charging.pay_order(order, setup_intent_id=setup_intent_id)
    except charging.PaymentRefused as refusal:
        return _refused(request, order, refusal)
    body = {"status": attempt.status, "message": attempt.message}
    if attempt.status == PaymentStatus.SUCCEEDED:
        body["redirect"] = _order_url(request, order)
    if attempt.client_secret:
        body["client_secret"] = attempt.client_secret
    return JsonResponse(body, status=ATTEMPT_HTTP_STATUS[attempt.status])


def _order_url(request: HttpRequest, order) -> str:
    """The order's page, signed when the guest came with the signed key."""
    return order_path(order, signed=bool(request.GET.get("key")))


def _refused(request: HttpRequest, order, refusal: charging.PaymentRefused) -> JsonResponse:
    body = {"status": "refused", "code": refusal.code, "message": " ".join(refusal.messages)}
    if refusal.code == "already_paid":
        body["redirect"] = _order_url(request, order)
    status = REFUSAL_HTTP_STATUS.get(refusal.code, HTTPStatus.BAD_REQUEST)
    return JsonResponse(body, status=status)


@csrf_exempt
@require_POST
def webhook(request: HttpRequest) -> HttpResponse:
    """Receive one event from the processor: 400 unless it signed it, else 200."""
    try:
        webhooks.receive_event(request.body, signature=request.headers.get("Stripe-Signature", ""))
    except gateway.InvalidWebhook as error:
        logger.warning("Webhook refused: %s", error)
        return HttpResponse(status=HTTPStatus.BAD_REQUEST)
    return HttpResponse(status=HTTPStatus.OK)
