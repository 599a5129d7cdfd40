"""Forms of the cart and the checkout: they parse what the buyer typed, nothing more."""

import re
from collections.abc import Collection

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from artisans.digits import ascii_digits
from artisans.phones import clean_phone_number
from marketplace.cart import MAX_QUANTITY
from marketplace.checkout import ShippingDetails
from marketplace.models import ORDER_CONTACT_FIELDS, Currency, Order, User
from marketplace.pricing import priced_currencies


class QuantityForm(forms.Form):
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=MAX_QUANTITY)


class PreferencesForm(forms.Form):
    """The display currency and the destination the cart's shipping is estimated for."""

    currency = forms.ChoiceField(label=_("Show prices in"), choices=Currency.choices)
    country = LazyTypedChoiceField(label=_("Ship to"), choices=countries)

    def __init__(self, *args, currencies: Collection[str] | None = None, **kwargs) -> None:
        """currencies: priced_currencies(), when the caller has them already (else one query)."""
        super().__init__(*args, **kwargs)
        offered = priced_currencies() if currencies is None else currencies
        # "EUR · euro": the code, as amounts show it, and the name in the page's language.
        # Only currencies with a rate: prices in another could not be shown.
        self.fields["currency"].choices = [
            (code, f"{code} · {name}") for code, name in Currency.choices if code in offered
        ]
        # Country names in the page's language: the class-level choices keep the language of
        # the first form built in this process.
        self.fields["country"].choices = list(countries)


class CheckoutForm(forms.ModelForm):
    """Where the order goes; the email only for a guest (a buyer's account has one)."""

    class Meta:
        model = Order
        fields = ORDER_CONTACT_FIELDS
        help_texts = {
            "email": _("Your confirmation and the link to follow your order go there."),
            "phone": _("The carrier calls this number if the parcel needs you."),
        }
        widgets = {
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "full_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "address_line1": forms.TextInput(attrs={"autocomplete": "address-line1"}),
            "address_line2": forms.TextInput(attrs={"autocomplete": "address-line2"}),
            "city": forms.TextInput(attrs={"autocomplete": "address-level2"}),
            "postal_code": forms.TextInput(attrs={"autocomplete": "postal-code"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
        }

    def __init__(self, *args, buyer: User | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.buyer = buyer if buyer is not None and buyer.is_authenticated else None
        if self.buyer is not None:
            del self.fields["email"]
        self.fields["country"].widget.attrs["autocomplete"] = "country"

    def clean_phone(self) -> str:
        return clean_phone_number(self.cleaned_data["phone"])

    def details(self) -> ShippingDetails:
        """The cleaned address, for checkout.place_order()."""
        data = self.cleaned_data
        return ShippingDetails(
            email=self.buyer.email if self.buyer is not None else data["email"],
            full_name=data["full_name"].strip(),
            address_line1=data["address_line1"].strip(),
            address_line2=data["address_line2"].strip(),
            city=data["city"].strip(),
            postal_code=data["postal_code"].strip(),
            country=str(data["country"]),
            phone=data["phone"],
        )


# The carriers Moroccan cooperatives send parcels with; any other is typed in. Names of
# companies: not translated.
CARRIERS = ("Amana", "Poste Maroc", "DHL", "Aramex", "UPS", "FedEx")
OTHER_CARRIER = "other"
TRACKING_NUMBER = re.compile(r"^[A-Z0-9][A-Z0-9 \-]{2,58}[A-Z0-9]$")


class ShipForm(forms.Form):
    """The carrier a parcel left with and its tracking number, as on the carrier's receipt."""

    carrier = forms.ChoiceField(
        label=_("Carrier"),
        choices=[(name, name) for name in CARRIERS] + [(OTHER_CARRIER, _("Another carrier"))],
    )
    other_carrier = forms.CharField(
        label=_("Name of the other carrier"),
        required=False,
        max_length=60,
        help_text=_("Only if you chose “Another carrier”."),
    )
    tracking_number = forms.CharField(
        label=_("Tracking number"),
        max_length=80,  # spaces are squeezed before the length is checked
        help_text=_(
            "As printed on the carrier's receipt: 4 to 60 letters, digits, dashes or "
            "spaces, for example EE123456789MA."
        ),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}),
    )

    def clean_tracking_number(self) -> str:
        # A phone's Arabic keyboard types Eastern Arabic digits: they are the same numbers.
        typed = ascii_digits(self.cleaned_data["tracking_number"])
        number = " ".join(typed.split()).upper()
        if not TRACKING_NUMBER.match(number):
            raise ValidationError(
                _(
                    "Type the tracking number as the carrier printed it: 4 to 60 letters, "
                    "digits, dashes or spaces."
                ),
                code="invalid_tracking_number",
            )
        return number

    def clean(self) -> dict:
        data = super().clean()
        other = " ".join(data.get("other_carrier", "").split())
        if data.get("carrier") == OTHER_CARRIER and not other:
            self.add_error(
                "other_carrier",
                ValidationError(_("Type the name of the carrier."), code="no_carrier"),
            )
        data["other_carrier"] = other
        return data

    def carrier_name(self) -> str:
        """The carrier as the buyer will read it: a name from the list, or the one typed."""
        data = self.cleaned_data
        return data["other_carrier"] if data["carrier"] == OTHER_CARRIER else data["carrier"]
