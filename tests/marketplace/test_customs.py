"""Customs papers of a shipment: the CN22 or CN23 declaration and the commercial invoice."""

import io
import socket
from datetime import UTC, datetime
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.urls import reverse
from pypdf import PdfReader

from artisans.models import MembershipRole
from marketplace.checkout import place_order
from marketplace.customs import MissingCustomsData, customs_papers
from marketplace.models import OrderLine, OrderStatus, ShipmentStatus
from marketplace.pdf import html_to_pdf
from marketplace.shipments import shipment_of
from tests.factories import (
    CartFactory,
    CartLineFactory,
    CooperativeFactory,
    CraftFactory,
    HSCodeFactory,
    MembershipFactory,
    OrderFactory,
    OrderLineFactory,
    ProductFactory,
    ShipmentFactory,
    ShippingDetailsFactory,
)

pytestmark = pytest.mark.django_db

PAID_AT = datetime(2025, 6, 1, 23, 30, tzinfo=UTC)  # 2 June in Casablanca (UTC+1)


def paid_shipment(cooperative, *, lines=(), weight_grams=8000, **order_fields):
    """A paid shipment to France; lines: OrderLineFactory arguments, one default line if none."""
    fields = {
        "country": "FR",
        "full_name": "Claire Martin",
        "address_line1": "4 quai Saint-Vincent",
        "postal_code": "69001",
        "city": "Lyon",
        "phone": "+33 6 12 34 56 78",
        "status": OrderStatus.PAID,
        "paid_at": PAID_AT,
        **order_fields,
    }
    order = OrderFactory(**fields)
    shipment = ShipmentFactory(
        order=order,
        cooperative=cooperative,
        status=ShipmentStatus.TO_SHIP,
        weight_grams=weight_grams,
    )
    for line in lines or [{}]:
        OrderLineFactory(shipment=shipment, **line)
    return shipment


def papers_of(shipment):
    return customs_papers(shipment_of(shipment.cooperative, shipment.pk))


def url(name, shipment):
    return reverse(f"workspace:{name}", args=[shipment.cooperative_id, shipment.pk])


def pdf_text(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def cooperative(db):
    return CooperativeFactory(
        name="Tifawin Weavers", city="Taznakht", phone="+212 5 24 00 00 00", email="t@example.ma"
    )


@pytest.fixture
def seller(client, cooperative):
    user = MembershipFactory(cooperative=cooperative, role=MembershipRole.MEMBER).user
    client.force_login(user)
    return user


# ---------------------------------------------------------------- CN22 or CN23


@pytest.mark.parametrize(
    ("value_mad", "form"),
    [("4019.99", "CN22"), ("4020.00", "CN22"), ("4020.01", "CN23")],
)
def test_a_small_packet_worth_up_to_300_sdr_takes_the_cn22(cooperative, settings, value_mad, form):
    settings.SOUK_MAD_PER_SDR = Decimal("13.40")  # 300 SDR = 4020 MAD
    price = Decimal(value_mad)
    shipment = paid_shipment(
        cooperative,
        weight_grams=900,
        lines=[{"unit_price_mad": price, "unit_price": price, "weight_grams": 800}],
    )

    assert papers_of(shipment).form == form


def test_the_threshold_follows_the_operators_rate(cooperative, settings):
    shipment = paid_shipment(cooperative, weight_grams=900, lines=[{"weight_grams": 800}])

    settings.SOUK_MAD_PER_SDR = Decimal("13.40")  # 4500 MAD ≈ 336 SDR
    assert papers_of(shipment).form == "CN23"
    settings.SOUK_MAD_PER_SDR = Decimal("16.00")  # 4500 MAD ≈ 281 SDR
    assert papers_of(shipment).form == "CN22"


def test_a_parcel_over_2_kg_takes_the_cn23_whatever_its_value(cooperative):
    cheap = Decimal("300.00")
    shipment = paid_shipment(
        cooperative,
        weight_grams=2500,
        lines=[{"unit_price_mad": cheap, "unit_price": cheap, "weight_grams": 2400}],
    )

    assert papers_of(shipment).form == "CN23"


# ---------------------------------------------------------------- what the papers say


def test_the_papers_say_what_customs_ask(cooperative, settings):
    settings.SOUK_INCOTERM = "DAP"
    shipment = paid_shipment(
        cooperative,
        currency="EUR",
        mad_per_unit=Decimal("10.850000"),
        weight_grams=9000,
        lines=[
            {
                "quantity": 2,
                "unit_price_mad": Decimal("2250.00"),
                "unit_price": Decimal("207.37"),
                "currency": "EUR",
                "weight_grams": 8000,
                "customs_description_en": "Knotted carpets, wool",
                "customs_description_fr": "Tapis noués, wool",
            },
            {"title": "Old order's tray", "hs_code": "741810", "weight_grams": 450},
        ],
    )

    papers = papers_of(shipment)

    carpet, tray = papers.lines
    assert (carpet.description_en, carpet.description_fr) == (
        "Knotted carpets, wool",
        "Tapis noués, wool",
    )
    # An order placed before the descriptions were frozen: its title.
    assert (tray.description_en, tray.description_fr) == ("Old order's tray", "Old order's tray")
    assert (carpet.quantity, carpet.net_weight_kg, carpet.value) == (
        2,
        Decimal("8.000"),
        Decimal("414.74"),
    )
    assert carpet.value_mad == Decimal("4500.00")
    assert (carpet.hs_code, tray.hs_code) == ("5701.10", "7418.10")
    assert (carpet.origin_en, carpet.origin_fr, carpet.origin_code) == ("Morocco", "Maroc", "MA")
    assert papers.currency == "EUR"
    assert papers.pieces == 3
    assert papers.net_weight_kg == Decimal("8.450")
    assert papers.gross_weight_kg == Decimal("9.000")
    assert papers.shipping == Decimal("11.06")  # 120 MAD at 10.85
    assert papers.incoterm == "DAP"
    assert papers.invoice_number == f"{shipment.order.number}-{shipment.pk}"
    assert papers.invoice_date.isoformat() == "2025-06-02"
    assert papers.sender.name == "Tifawin Weavers"
    assert papers.sender.address_lines == ("Taznakht", "Marrakech-Safi")
    assert (papers.sender.country_en, papers.sender.phone) == ("Morocco", "+212 5 24 00 00 00")
    assert papers.recipient.address_lines == ("4 quai Saint-Vincent", "69001 Lyon")
    assert (papers.recipient.country_en, papers.recipient.country_fr) == ("France", "France")
    assert not papers.domestic


def test_a_line_without_hs_code_or_weight_takes_its_products_as_completed_since(cooperative):
    product = ProductFactory(cooperative=cooperative, weight_grams=1200)
    shipment = paid_shipment(
        cooperative, lines=[{"product": product, "hs_code": "", "weight_grams": 0, "quantity": 2}]
    )

    [line] = papers_of(shipment).lines

    assert (line.hs_code, line.net_weight_kg) == ("5701.10", Decimal("2.400"))


def test_missing_hs_codes_and_weights_are_listed_not_guessed(cooperative):
    shipment = paid_shipment(
        cooperative,
        lines=[
            {"title": "Zellige table", "hs_code": "", "product__hs_code": None},
            {"title": "Tea glasses", "weight_grams": 0, "product__weight_grams": None},
        ],
    )

    with pytest.raises(MissingCustomsData) as missing:
        papers_of(shipment)

    assert missing.value.messages == [
        "Line “Zellige table” has no HS code.",
        "Line “Tea glasses” has no weight.",
    ]


# ---------------------------------------------------------------- the pages


def test_the_cn23_pdf_says_it_all(client, seller, cooperative):
    shipment = paid_shipment(cooperative)

    response = client.get(url("customs_pdf", shipment))

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "application/pdf"
    number = f"{shipment.order.number}-{shipment.pk}"
    assert response["Content-Disposition"] == f'attachment; filename="CN23-{number}.pdf"'
    text = pdf_text(response)
    for seen in (
        "CUSTOMS DECLARATION",
        "DÉCLARATION EN DOUANE",
        "CN 23",
        "5701.10",
        "8.000",
        "4500.00",
        "MAD",
        "Morocco (MA)",
        "Sale of goods",
        "Vente de marchandises",
        "DAP",
        number,
        "2025-06-02",
        "Tifawin Weavers",
        "Taznakht",
        "Claire Martin",
        "69001 Lyon",
        "France",
    ):
        assert seen in text, seen


def test_the_invoice_pdf_says_it_all(client, seller, cooperative):
    shipment = paid_shipment(cooperative, currency="EUR", mad_per_unit=Decimal("10.85"))
    OrderLine.objects.filter(shipment=shipment).update(unit_price=Decimal("414.75"), currency="EUR")

    response = client.get(url("invoice_pdf", shipment))

    assert response.status_code == HTTPStatus.OK
    number = f"{shipment.order.number}-{shipment.pk}"
    assert response["Content-Disposition"] == f'attachment; filename="invoice-{number}.pdf"'
    text = pdf_text(response)
    for seen in (
        "COMMERCIAL INVOICE",
        number,
        "2025-06-02",
        "5701.10",
        "Morocco (MA)",
        "414.75",
        "11.06",  # shipping, 120 MAD in euros
        "425.81",  # total
        "4620.00",  # total in dirhams
        "1 EUR = 10.85 MAD",
        "Sale of goods",
        "DAP",
        "8.000",
    ):
        assert seen in text, seen


def test_arabic_names_are_printed_with_a_font_that_has_them(client, seller):
    cooperative = CooperativeFactory(name="تعاونية تيفاوين", city="تازناخت")
    MembershipFactory(cooperative=cooperative, user=seller)
    shipment = paid_shipment(cooperative, full_name="سلمى بنعلي")

    response = client.get(url("customs_pdf", shipment))

    reader = PdfReader(io.BytesIO(response.content))
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert any("Naskh" in font or "DejaVu" in font for font in fonts), fonts
    text = pdf_text(response)
    assert "سلمى بنعلي" in text
    assert "تعاونية تيفاوين" in text


def test_the_page_to_print_is_its_own_document(client, seller, cooperative):
    shipment = paid_shipment(cooperative, full_name="<script>alert(1)</script> Claire")

    response = client.get(url("customs", shipment))

    page = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "CUSTOMS DECLARATION" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Claire" in page
    assert "<script>alert" not in page
    assert "css/customs.css" in page
    assert "css/souk.css" not in page  # not the site's layout
    assert "data-print" in page
    assert reverse("workspace:shipment_detail", args=[cooperative.pk, shipment.pk]) in page
    assert url("customs_pdf", shipment) in page


def test_missing_data_gives_the_list_and_no_paper(client, seller, cooperative):
    shipment = paid_shipment(
        cooperative,
        lines=[
            {"title": "Zellige table", "hs_code": "", "product__hs_code": None},
            {"title": "Tea glasses", "weight_grams": 0, "product__weight_grams": None},
        ],
    )
    table, glasses = shipment.lines.order_by("pk")

    for name in ("customs", "customs_pdf", "invoice", "invoice_pdf"):
        response = client.get(url(name, shipment))

        assert response.status_code == HTTPStatus.CONFLICT, name
        assert response["Content-Type"].startswith("text/html"), name
        page = response.content.decode()
        assert "Line “Zellige table” has no HS code." in page
        assert "Line “Tea glasses” has no weight." in page
        for line in (table, glasses):
            edit = reverse("workspace:product_edit", args=[cooperative.pk, line.product_id])
            assert f'href="{edit}"' in page


def test_a_deleted_product_cannot_be_completed_and_the_page_says_so(client, seller, cooperative):
    shipment = paid_shipment(cooperative, lines=[{"product": None, "hs_code": ""}])

    response = client.get(url("customs", shipment))

    assert response.status_code == HTTPStatus.CONFLICT
    assert "write to the Souk team" in response.content.decode()


def test_a_parcel_within_morocco_has_an_invoice_but_no_declaration(client, seller, cooperative):
    shipment = paid_shipment(cooperative, country="MA", city="Rabat", postal_code="10000")

    declaration = client.get(url("customs_pdf", shipment))
    invoice = client.get(url("invoice", shipment))

    assert declaration.status_code == HTTPStatus.NOT_FOUND
    assert "needs no customs declaration" in declaration.content.decode()
    assert invoice.status_code == HTTPStatus.OK
    assert "INVOICE" in invoice.content.decode()


def test_an_invoice_within_morocco_needs_no_hs_code_or_weight(client, seller, cooperative):
    shipment = paid_shipment(
        cooperative,
        country="MA",
        city="Rabat",
        lines=[{"title": "Zellige table", "hs_code": "", "product__hs_code": None}],
    )

    invoice = client.get(url("invoice", shipment))

    assert invoice.status_code == HTTPStatus.OK
    assert "Zellige table" in invoice.content.decode()


@pytest.mark.parametrize("status", [ShipmentStatus.AWAITING_PAYMENT, ShipmentStatus.CANCELLED])
@pytest.mark.parametrize("name", ["customs", "customs_pdf", "invoice", "invoice_pdf"])
def test_an_unpaid_shipment_has_no_papers(client, seller, cooperative, status, name):
    shipment = ShipmentFactory(
        order=OrderFactory(country="FR"), cooperative=cooperative, status=status
    )
    OrderLineFactory(shipment=shipment)

    assert client.get(url(name, shipment)).status_code == HTTPStatus.NOT_FOUND


def test_the_papers_page_runs_the_same_queries_for_1_and_30_lines(
    client, seller, cooperative, django_assert_num_queries
):
    shipment = paid_shipment(cooperative)
    # session, user, memberships, shipment with order and cooperative, lines with products
    with django_assert_num_queries(5):
        assert client.get(url("invoice", shipment)).status_code == HTTPStatus.OK

    for _ in range(29):
        OrderLineFactory(shipment=shipment)
    with django_assert_num_queries(5):
        response = client.get(url("invoice", shipment))
    assert response.content.decode().count("5701.10") == 30


# ---------------------------------------------------------------- no network


def test_making_a_pdf_fetches_nothing(monkeypatch):
    calls = []

    def refuse(*args, **kwargs):
        calls.append(args)
        raise OSError("no network in this test")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    html = (
        '<link rel="stylesheet" href="http://127.0.0.1:9/x.css">'
        '<img src="https://example.com/logo.png"><img src="file:///etc/passwd">'
        "<p>Sale of goods</p>"
    )

    pdf = html_to_pdf(html, stylesheets=["@import url(http://127.0.0.1:9/y.css);"])

    assert calls == []
    assert "Sale of goods" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


# ---------------------------------------------------------------- checkout


def checkout(*products, **details):
    cart = CartFactory()
    for product in products:
        CartLineFactory(cart=cart, product=product)
    order = place_order(
        cart, ShippingDetailsFactory(**details), currency="MAD", user=None, language="ar"
    )
    return list(OrderLine.objects.filter(shipment__order=order).order_by("product_id"))


def test_checkout_freezes_the_customs_description_in_english_and_french():
    carpet = ProductFactory(title="زربية بني وراين", materials="wool,  cotton warp")
    [line] = checkout(carpet)

    assert line.customs_description_en == "Knotted carpets, wool, cotton warp"
    assert line.customs_description_fr == "Tapis noués, wool, cotton warp"


def test_materials_in_arabic_are_left_out_of_the_customs_description():
    craft = CraftFactory(
        slug="babouches",
        name_en="Babouches",
        name_fr="Babouches en cuir",
        hs_code=HSCodeFactory(code="640359"),
    )
    slippers = ProductFactory(craft=craft, materials="جلد الماعز")
    long_craft = CraftFactory(
        slug="long-named", name_en="Hand-knotted " * 9, name_fr="Noué main " * 9
    )
    long_materials = ProductFactory(craft=long_craft, materials=("hand-spun wool " * 14)[:200])

    first, second = checkout(slippers, long_materials)

    assert (first.customs_description_en, first.customs_description_fr) == (
        "Babouches",
        "Babouches en cuir",
    )
    assert len(second.customs_description_en) <= 250
    assert second.customs_description_en.startswith("Hand-knotted Hand-knotted")
    assert "hand-spun wool" in second.customs_description_en
    assert second.customs_description_en.endswith("…")
