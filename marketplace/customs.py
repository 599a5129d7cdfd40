"""What a shipment's customs papers say: the CN22 or CN23 declaration and the commercial invoice.

The papers are read from the order as it was frozen at checkout: the lines' descriptions, HS
codes, weights and prices in the order's currency (a line sold before its product had an HS
code or a weight takes the product's, as the seller completed it since). They are written in English and French, the
languages of the Universal Postal Union's forms, whatever language the seller reads Souk in.
A shipment missing something customs need (an HS code, a weight, the sender's city) gets no
papers but MissingCustomsData naming each gap: a wrong form is worse than none.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_countries import countries

from catalog.models import Product
from marketplace.models import Currency, OrderLine, Shipment
from marketplace.pricing import shipment_amounts

# UPU Letter Post Regulations: an item whose contents are worth up to 300 SDR may carry the
# short CN22; above, or for a parcel (over 2 kg: no longer a small packet), the CN23.
CN22_MAX_SDR = Decimal(300)
CN22_MAX_GRAMS = 2000
GRAMS_PER_KG = Decimal(1000)
KG = Decimal("0.001")
SOUK_COUNTRY = "MA"
DESCRIPTION_LENGTH = 250  # OrderLine.customs_description_en and _fr
# Below U+0250 every letter is Latin (Basic Latin to Latin Extended-B: French accents included).
LAST_LATIN_LETTER = "\u024f"
# What each delivery term tells customs, in the papers' two languages.
INCOTERMS = {
    "DAP": (
        "Delivered At Place: import duties and taxes paid by the recipient",
        "Rendu au lieu de destination : droits et taxes à l'importation à la charge du "
        "destinataire",
    ),
    "DDP": (
        "Delivered Duty Paid: import duties and taxes paid by the sender",
        "Rendu droits acquittés : droits et taxes à l'importation à la charge de l'expéditeur",
    ),
}


class MissingCustomsData(ValidationError):
    """The shipment lacks what its papers must say; error_list names each missing item."""


@dataclass(frozen=True)
class Party:
    """The sender or the recipient, as the papers print them."""

    name: str
    address_lines: tuple[str, ...]  # street lines, then "postal code city", then the region
    country_code: str
    country_en: str
    country_fr: str
    phone: str
    email: str = ""


@dataclass(frozen=True)
class CustomsLine:
    line: OrderLine
    description_en: str
    description_fr: str
    quantity: int
    net_weight_kg: Decimal  # all the line's pieces
    unit_value: Decimal  # in the order's currency
    value: Decimal
    value_mad: Decimal
    hs_code: str  # dotted: 5701.10
    origin_code: str
    origin_en: str
    origin_fr: str


@dataclass(frozen=True)
class CustomsPapers:
    shipment: Shipment
    sender: Party
    recipient: Party
    lines: tuple[CustomsLine, ...]
    currency: str
    mad_per_unit: Decimal
    value: Decimal  # the goods, in the order's currency
    value_mad: Decimal
    shipping: Decimal  # what the buyer paid for the carriage, in the order's currency
    shipping_mad: Decimal
    pieces: int
    net_weight_kg: Decimal
    gross_weight_kg: Decimal
    incoterm: str
    invoice_number: str
    invoice_date: date
    mad_per_sdr: Decimal

    @property
    def domestic(self) -> bool:
        """A parcel within Morocco: no customs declaration, only the invoice."""
        return self.recipient.country_code == SOUK_COUNTRY

    @property
    def form(self) -> str:
        """CN22 for a small packet worth up to 300 SDR, else CN23."""
        light = self.gross_weight_kg * GRAMS_PER_KG <= CN22_MAX_GRAMS
        small = self.value_mad <= CN22_MAX_SDR * self.mad_per_sdr
        return "CN22" if light and small else "CN23"

    @property
    def exchange_rate(self) -> str:
        """Dirhams per unit of the order's currency, without trailing zeros: 10.85."""
        return f"{self.mad_per_unit.normalize():f}"

    @property
    def incoterm_meaning(self) -> tuple[str, str]:
        """What the delivery term means, in English and French ("" for a term not known)."""
        return INCOTERMS.get(self.incoterm, ("", ""))

    @property
    def total(self) -> Decimal:
        """What the invoice charges: goods and carriage, in the order's currency."""
        return self.value + self.shipping

    @property
    def total_mad(self) -> Decimal:
        return self.value_mad + self.shipping_mad

    @property
    def in_dirhams(self) -> bool:
        return self.currency == Currency.MAD


def customs_descriptions(product: Product) -> tuple[str, str]:
    """What customs read for the product, in English and French: "Knotted carpets, wool".

    The craft's name in each language, whatever language the seller titled the product in, and
    the materials when they are written in Latin letters (an officer abroad cannot read them in
    Arabic; they are the seller's words, so one text serves both languages). The product's
    craft is loaded by the caller.
    """
    craft = product.craft
    name_en = (craft.name_en or craft.name_fr or product.title).strip()
    name_fr = (craft.name_fr or "").strip() or name_en
    materials = " ".join(product.materials.split())
    if not all(letter <= LAST_LATIN_LETTER for letter in materials if letter.isalpha()):
        materials = ""
    return described(name_en, materials), described(name_fr, materials)


def described(name: str, materials: str) -> str:
    """The name, then the materials, cut to the length the order line keeps."""
    text = f"{name}, {materials}" if materials else name
    if len(text) <= DESCRIPTION_LENGTH:
        return text
    return text[: DESCRIPTION_LENGTH - 1].rstrip(" ,") + "…"


def customs_papers(shipment: Shipment) -> CustomsPapers:
    """Write the shipment's papers, or raise MissingCustomsData listing what they lack.

    shipment comes from shipments.shipments_for_page(): order, cooperative and its region,
    lines and their products are loaded (no query here).
    """
    order = shipment.order
    missing = missing_data(shipment)
    if missing:
        raise MissingCustomsData(missing)
    lines = tuple(customs_line(line) for line in shipment.lines.all())
    # The goods and carriage as the order charged them, in the order's currency.
    value, shipping = shipment_amounts(shipment, mad_per_unit=order.mad_per_unit)
    net_weight = sum((line.net_weight_kg for line in lines), Decimal(0))
    cooperative = shipment.cooperative
    paid_at = order.paid_at or order.created_at
    return CustomsPapers(
        shipment=shipment,
        sender=Party(
            name=cooperative.name,
            address_lines=tuple(
                part for part in (cooperative.city, region_name(cooperative)) if part
            ),
            country_code=SOUK_COUNTRY,
            country_en=country_name(SOUK_COUNTRY, "en"),
            country_fr=country_name(SOUK_COUNTRY, "fr"),
            phone=cooperative.phone,
            email=cooperative.email,
        ),
        recipient=Party(
            name=order.full_name,
            address_lines=tuple(
                part
                for part in (
                    order.address_line1,
                    order.address_line2,
                    f"{order.postal_code} {order.city}".strip(),
                )
                if part
            ),
            country_code=str(order.country),
            country_en=country_name(str(order.country), "en"),
            country_fr=country_name(str(order.country), "fr"),
            phone=order.phone,
        ),
        lines=lines,
        currency=order.currency,
        mad_per_unit=order.mad_per_unit,
        value=value,
        value_mad=sum((line.value_mad for line in lines), Decimal(0)),
        shipping=shipping,
        shipping_mad=shipment.shipping_mad,
        pieces=sum(line.quantity for line in lines),
        net_weight_kg=net_weight,
        # The parcel's weight as checkout priced it; never less than the goods inside.
        gross_weight_kg=max(kilograms(shipment.weight_grams), net_weight),
        incoterm=settings.SOUK_INCOTERM,
        invoice_number=invoice_number(shipment),
        invoice_date=timezone.localdate(paid_at),
        mad_per_sdr=Decimal(str(settings.SOUK_MAD_PER_SDR)),
    )


def invoice_number(shipment: Shipment) -> str:
    """The shipment's invoice number: its order's number and its own id, stable and unique."""
    return f"{shipment.order.number}-{shipment.pk}"


def missing_data(shipment: Shipment) -> list[ValidationError]:
    """Each thing the papers need and the shipment lacks, in the active language.

    A line's error carries the line (params["line"]) so that a page can link to its product.
    """
    missing = []
    cooperative, order = shipment.cooperative, shipment.order
    if not cooperative.name.strip():
        missing.append(
            ValidationError(gettext("The cooperative has no name."), code="no_sender_name")
        )
    if not cooperative.city.strip():
        missing.append(
            ValidationError(
                gettext("The cooperative's city is missing: the sender's address needs it."),
                code="no_sender_city",
            )
        )
    recipient = {
        "full_name": gettext("The buyer's name is missing."),
        "address_line1": gettext("The buyer's street address is missing."),
        "city": gettext("The buyer's city is missing."),
    }
    for field, message in recipient.items():
        if not getattr(order, field).strip():
            missing.append(ValidationError(message, code=f"no_recipient_{field}"))
    if not str(order.country):
        missing.append(
            ValidationError(gettext("The buyer's country is missing."), code="no_recipient_country")
        )
    lines = list(shipment.lines.all())
    if not lines:
        missing.append(ValidationError(gettext("The shipment has no lines."), code="no_lines"))
    # Within Morocco no customs office reads the codes and weights: the invoice goes without.
    abroad = str(order.country) != SOUK_COUNTRY
    for line in lines if abroad else []:
        params = {"title": line.title, "line": line}
        if not line_hs_code(line):
            missing.append(
                ValidationError(
                    gettext("Line “%(title)s” has no HS code."), code="no_hs_code", params=params
                )
            )
        if not line_weight_grams(line):
            missing.append(
                ValidationError(
                    gettext("Line “%(title)s” has no weight."), code="no_weight", params=params
                )
            )
    return missing


def customs_line(line: OrderLine) -> CustomsLine:
    """One line of the papers, from an order line whose HS code and weight are known."""
    code = line_hs_code(line)
    origin = line.origin_country or SOUK_COUNTRY
    return CustomsLine(
        line=line,
        # Orders placed before the descriptions were frozen have only their title.
        description_en=line.customs_description_en or line.title,
        description_fr=line.customs_description_fr or line.customs_description_en or line.title,
        quantity=line.quantity,
        net_weight_kg=kilograms(line_weight_grams(line)),
        unit_value=line.unit_price,
        value=line.unit_price * line.quantity,
        value_mad=line.unit_price_mad * line.quantity,
        hs_code=dotted_hs_code(code),
        origin_code=origin,
        origin_en=country_name(origin, "en"),
        origin_fr=country_name(origin, "fr"),
    )


def line_hs_code(line: OrderLine) -> str:
    """The line's 6-digit HS code: frozen at checkout, else its product's as completed since."""
    for code in (line.hs_code, product_hs_code(line)):
        if len(code) == 6 and code.isdigit():
            return code
    return ""


def dotted_hs_code(code: str) -> str:
    """5701.10 for 570110, as customs forms print a subheading; "" for none."""
    return f"{code[:4]}.{code[4:]}" if code else ""


def product_hs_code(line: OrderLine) -> str:
    product = line.product
    return product.hs_code.code if product is not None and product.hs_code_id else ""


def line_weight_grams(line: OrderLine) -> int:
    """The net weight of the line's pieces: frozen at checkout, else from its product now."""
    if line.weight_grams:
        return line.weight_grams
    product = line.product
    return (product.weight_grams or 0) * line.quantity if product is not None else 0


def kilograms(grams: int) -> Decimal:
    return (Decimal(grams) / GRAMS_PER_KG).quantize(KG)


def country_name(code: str, language: str) -> str:
    """The country's name in English or French, as the papers print it."""
    with translation.override(language):
        return str(countries.name(code)) or code


def region_name(cooperative) -> str:
    """The cooperative's region in English (its name in the default language)."""
    region = cooperative.region
    return getattr(region, "name_en", "") or region.name
