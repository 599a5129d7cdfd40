"""Phone numbers as people type them: a cooperative's on its profile, a buyer's at checkout.

One rule for both, since the same carriers and customs papers read them. Digits, spaces,
dashes, dots, brackets and slashes, a + before the country code; Arabic-Indic digits are
stored 0-9, as the carrier's systems read them. It lives in artisans, which marketplace may
import (artisans/forms.py and marketplace/forms.py both call it).
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext, ngettext

from artisans.digits import ascii_digits

# The shortest local numbers have 6 digits; E.164 allows at most 15, country code included.
MIN_DIGITS = 6
MAX_DIGITS = 15
# "+212 6 12 34 56 78", "06-12-34-56-78", "+33 (0)6 12 34 56 78", "0524/43 21 09".
PHONE = re.compile(r"\+?[0-9 ().\-/]+")


def clean_phone_number(typed: str) -> str:
    """Return the number with its digits written 0-9 and its spaces squeezed, or raise.

    ValidationError with code "invalid_phone" (letters or other signs), "phone_too_short"
    or "phone_too_long".
    """
    number = " ".join(ascii_digits(typed).split())
    if not PHONE.fullmatch(number):
        raise ValidationError(
            gettext("Enter a phone number with its country code, for example +212 6 12 34 56 78."),
            code="invalid_phone",
        )
    digits = sum(character.isdigit() for character in number)
    if digits < MIN_DIGITS:
        raise ValidationError(
            ngettext(
                "This number is too short: a phone number has at least %(limit)d digit.",
                "This number is too short: a phone number has at least %(limit)d digits.",
                MIN_DIGITS,
            ),
            code="phone_too_short",
            params={"limit": MIN_DIGITS},
        )
    if digits > MAX_DIGITS:
        raise ValidationError(
            ngettext(
                "This number is too long: a phone number has at most %(limit)d digit.",
                "This number is too long: a phone number has at most %(limit)d digits.",
                MAX_DIGITS,
            ),
            code="phone_too_long",
            params={"limit": MAX_DIGITS},
        )
    return number
