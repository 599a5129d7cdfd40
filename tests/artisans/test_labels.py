import re
from datetime import UTC, date, datetime, timedelta
from http import HTTPStatus
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.cache import caches
from django.core.cache.backends import base as cache_base
from django.core.cache.backends import locmem
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from artisans.label_schemes import LABELS
from artisans.labels import holding_label, label_badges
from artisans.models import CooperativeLabel, Label, LabelKind, ProductLabel, site_today
from catalog.models import Product
from tests.admin_forms import product_form_data
from tests.factories import (
    CooperativeFactory,
    CooperativeLabelFactory,
    LabelFactory,
    ProductFactory,
    ProductImageFactory,
    ProductLabelFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ARABIC_LETTER = re.compile(r"[\u0621-\u064A]")


def days(n: int) -> date:
    return site_today() + timedelta(days=n)


class Clock:
    """The time a test says it is: timezone.now() and the cache's expiry both read it."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    """A clock the test moves on, so an expiry is tested without waiting for it."""
    if not isinstance(caches["default"], locmem.LocMemCache):
        pytest.skip("moves the in-process cache's clock only")
    clock = Clock(timezone.now())
    monkeypatch.setattr(timezone, "now", lambda: clock.now)
    # The cache dates its entries and checks them with time.time() of these two modules.
    cache_time = SimpleNamespace(time=lambda: clock.now.timestamp())
    monkeypatch.setattr(cache_base, "time", cache_time)
    monkeypatch.setattr(locmem, "time", cache_time)
    return clock


def card_badges(page: str) -> dict[str, list[str]]:
    """The names of the badges on each product card of a page, by the card's title."""
    cards = re.findall(r'<article class="card product-card">.*?</article>', page, re.S)
    return {
        re.search(r'dir="auto">([^<]+)</a></h3>', card)[1]: re.findall(
            r'label-badge__name" dir="auto">([^<]+)<', card
        )
        for card in cards
    }


# ---------------------------------------------------------------- models and constraints


def test_a_label_of_an_unknown_kind_is_refused_by_the_form_and_the_database():
    label = Label(slug="odd", kind="rumour", name_en="Odd", issuer_en="Nobody")

    with pytest.raises(ValidationError) as error:
        label.full_clean()
    assert "kind" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        Label.objects.create(slug="odd", kind="rumour", name_en="Odd", issuer_en="Nobody")


def test_a_cooperative_holds_a_certificate_number_once_per_label():
    held = CooperativeLabelFactory(certificate_number="MH-2025-0153")
    again = CooperativeLabel(
        cooperative=held.cooperative,
        label=held.label,
        certificate_number="MH-2025-0153",
        level="Gold",
        valid_from=days(-1),
    )

    with pytest.raises(ValidationError):
        again.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        again.save()
    # A renewal comes with a new number: that is a second certificate, allowed.
    CooperativeLabelFactory(
        cooperative=held.cooperative, label=held.label, certificate_number="MH-2027-0020"
    )
    assert held.cooperative.labels.count() == 2


def test_a_product_holds_a_label_once():
    held = ProductLabelFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        ProductLabelFactory(product=held.product, label=held.label, certificate_number="other")
    assert ProductLabel.objects.count() == 1


def test_a_certificate_cannot_end_before_it_starts():
    held = CooperativeLabelFactory.build(
        cooperative=CooperativeFactory(),
        label=LabelFactory(),
        valid_from=days(0),
        valid_until=days(-1),
    )

    with pytest.raises(ValidationError) as error:
        held.full_clean()
    assert "The certificate must end on or after its first day." in error.value.messages
    with pytest.raises(IntegrityError), transaction.atomic():
        held.save()


def test_a_level_is_required_exactly_for_labels_with_levels():
    cooperative = CooperativeFactory()
    without_level = CooperativeLabelFactory.build(
        cooperative=cooperative, label=LabelFactory(), level=""
    )
    with_level = ProductLabelFactory.build(
        product=ProductFactory(), label=LabelFactory(taznakht=True), level="Gold"
    )

    with pytest.raises(ValidationError) as missing:
        without_level.full_clean()
    with pytest.raises(ValidationError) as extra:
        with_level.full_clean()

    assert missing.value.message_dict["level"] == [
        "This label is granted at a level: type the level on the certificate."
    ]
    assert extra.value.message_dict["level"] == ["This label has no levels: leave the level empty."]


def test_deleting_a_product_deletes_its_certificates_but_a_held_label_stays():
    held = ProductLabelFactory()

    held.product.delete()

    assert not ProductLabel.objects.exists()
    assert Label.objects.filter(pk=held.label_id).exists()


# ---------------------------------------------------------------- current and expired


def test_current_labels_are_those_not_past_their_last_day():
    product = ProductFactory()
    indication = LabelFactory(taznakht=True)
    today = ProductLabelFactory(product=product, valid_until=days(0))
    forever = ProductLabelFactory(product=product, label=indication, level="", valid_until=None)
    expired = ProductLabelFactory(label=indication, level="", valid_until=days(-1))

    assert set(ProductLabel.objects.current()) == {today, forever}
    assert list(ProductLabel.objects.expired()) == [expired]
    assert today.is_current
    assert forever.is_current
    assert not expired.is_current


def test_a_cooperative_certificate_counts_from_its_first_day():
    started = CooperativeLabelFactory(valid_from=days(0))
    starting_tomorrow = CooperativeLabelFactory(valid_from=days(1), valid_until=days(400))
    expired = CooperativeLabelFactory(valid_from=days(-400), valid_until=days(-1))

    assert list(CooperativeLabel.objects.current()) == [started]
    assert not starting_tomorrow.is_current
    assert not expired.is_current
    assert set(CooperativeLabel.objects.current(today=days(1))) == {started, starting_tomorrow}


def test_labels_expire_at_midnight_in_morocco_not_in_utc(monkeypatch):
    held = ProductLabelFactory(valid_until=date(2026, 6, 30))
    # 23:30 UTC on 30 June is 00:30 on 1 July in Casablanca (UTC+1 outside Ramadan).
    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 6, 30, 23, 30, tzinfo=UTC))

    assert site_today() == date(2026, 7, 1)
    assert not ProductLabel.objects.current().exists()
    assert not held.is_current


def test_cards_load_current_labels_of_products_and_cooperatives_in_two_queries(
    django_assert_num_queries,
):
    cooperative = CooperativeFactory()
    CooperativeLabelFactory(cooperative=cooperative)
    CooperativeLabelFactory(
        cooperative=cooperative, label=LabelFactory(taznakht=True), level="", valid_until=days(-1)
    )
    products = [ProductFactory(cooperative=cooperative) for _ in range(3)]
    ProductLabelFactory(product=products[0], label=LabelFactory(taznakht=True), level="")
    ProductLabelFactory(
        product=products[1], label=LabelFactory(taznakht=True), level="", valid_until=days(-1)
    )

    # The products with cooperative and craft, their photos, their labels, their
    # cooperatives' labels.
    with django_assert_num_queries(4):
        cards = list(Product.objects.filter(cooperative=cooperative).order_by("pk").for_card())
    with django_assert_num_queries(0):
        badges = [[badge.slug for badge in label_badges(card)] for card in cards]

    assert badges == [
        ["tapis-taznakht", "morocco-handmade"],
        ["morocco-handmade"],  # its own Taznakht certificate expired yesterday
        ["morocco-handmade"],
    ]


def test_products_match_a_label_they_or_their_cooperative_hold_today():
    labelled_cooperative = CooperativeLabelFactory().cooperative
    by_cooperative = ProductFactory(cooperative=labelled_cooperative)
    by_product = ProductLabelFactory().product
    expired = ProductLabelFactory(valid_until=days(-1)).product
    ProductFactory()

    found = Product.objects.filter(holding_label("morocco-handmade"))

    assert set(found) == {by_cooperative, by_product}
    assert expired not in set(found)
    assert not Product.objects.filter(holding_label("tapis-taznakht")).exists()


# ---------------------------------------------------------------- badges


def test_badges_are_read_from_the_prefetch_only(django_assert_num_queries):
    product = ProductLabelFactory(level="Silver").product
    CooperativeLabelFactory(cooperative=product.cooperative, level="Gold")
    CooperativeLabelFactory(
        cooperative=product.cooperative, label=LabelFactory(taznakht=True), level=""
    )
    bare = Product.objects.select_related("cooperative").get(pk=product.pk)

    with django_assert_num_queries(0):
        assert label_badges(bare) == []  # nothing prefetched: no badge, and no query either

    from catalog.browsing import product_page

    loaded = product_page(product.pk).product
    with django_assert_num_queries(0):
        badges = label_badges(loaded)

    # The product's own certificate first; the label its cooperative holds too shows once.
    assert [(b.slug, b.level, b.held_by_cooperative) for b in badges] == [
        ("morocco-handmade", "Silver", False),
        ("tapis-taznakht", "", True),
    ]
    assert badges[0].icon == "img/labels/certification.svg"


def test_product_page_shows_current_labels_with_level_and_expiry(client):
    cooperative = CooperativeFactory()
    product = ProductFactory(cooperative=cooperative, title="Beni Ouarain carpet")
    ProductLabelFactory(product=product, level="Gold", valid_until=date(2030, 12, 31))
    CooperativeLabelFactory(
        cooperative=cooperative,
        label=LabelFactory(taznakht=True),
        level="",
        certificate_number="GI-77",
        valid_until=None,
    )
    ProductLabelFactory(
        product=product,
        label=LabelFactory(
            slug="tapis-rbati",
            kind=LabelKind.COLLECTIVE_BRAND,
            has_levels=False,
            name_en="Tapis Rbati",
        ),
        level="",
        valid_until=days(-1),
    )

    page = client.get(f"/en/products/{product.slug}/").content.decode()

    assert 'aria-label="Labels and certifications"' in page
    assert 'href="/en/catalog/?label=morocco-handmade" dir="auto">Morocco Handmade</a>' in page
    assert '<span class="label-badge__level" dir="auto">Gold</span>' in page
    assert "Certified until Dec. 31, 2030" in page
    assert "Taznakht carpet" in page
    assert "certificate no. GI-77 · held by the cooperative · Certified, no expiry date" in page
    assert '/static/img/labels/geographical_indication.svg"' in page
    assert "Tapis Rbati" not in page  # expired yesterday


def test_product_page_names_labels_in_the_visitors_language(client):
    product = ProductLabelFactory(label=LabelFactory(taznakht=True), level="").product

    page = client.get(f"/ar/products/{product.slug}/").content.decode()

    assert "زربية تازناخت" in page


def test_cooperative_page_shows_its_labels_and_its_products_badges(client):
    cooperative = CooperativeFactory()
    CooperativeLabelFactory(cooperative=cooperative, level="Gold")
    CooperativeLabelFactory(
        cooperative=cooperative, label=LabelFactory(taznakht=True), level="", valid_until=days(-1)
    )
    product = ProductFactory(cooperative=cooperative)
    ProductLabelFactory(
        product=product,
        label=LabelFactory(
            slug="tazerzite", kind=LabelKind.COLLECTIVE_BRAND, has_levels=False, name_en="Tazerzite"
        ),
        level="",
    )

    page = client.get(f"/en/cooperatives/{cooperative.slug}/").content.decode()

    header = page[page.index('class="coop__header"') : page.index('class="figures"')]
    assert "Morocco Handmade" in header
    assert "Taznakht carpet" not in page  # expired
    cards = page[page.index('class="grid"') :]
    assert "label-badges--compact" in cards
    assert "Tazerzite" in cards


def test_catalog_cards_carry_the_product_and_cooperative_badges(client):
    cooperative = CooperativeLabelFactory(level="Gold").cooperative
    ProductFactory(cooperative=cooperative, title="Tea glass set")
    ProductLabelFactory(
        label=LabelFactory(taznakht=True), level="", product__title="Beni Ouarain carpet"
    )
    ProductFactory(title="Plain basket")

    page = client.get("/en/catalog/").content.decode()

    assert card_badges(page) == {
        "Tea glass set": ["Morocco Handmade"],
        "Beni Ouarain carpet": ["Taznakht carpet"],
        "Plain basket": [],
    }


def test_a_label_added_or_expired_in_the_admin_shows_at_once(
    client, django_capture_on_commit_callbacks
):
    product = ProductFactory()
    url = f"/en/products/{product.slug}/"
    assert "Morocco Handmade" not in client.get(url).content.decode()  # now cached

    with django_capture_on_commit_callbacks(execute=True):
        held = ProductLabelFactory(product=product)
    assert "Morocco Handmade" in client.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        held.valid_until = days(-1)
        held.save()
    assert "Morocco Handmade" not in client.get(url).content.decode()


def test_a_label_past_its_last_day_leaves_cached_pages_within_the_cache_lifetime(
    client, settings, clock
):
    # 23:58 in Casablanca (UTC+1 outside Ramadan) on the certificate's last day.
    clock.now = datetime(2026, 6, 30, 22, 58, tzinfo=UTC)
    settings.SOUK_CATALOG_CACHE_SECONDS = 300
    held = ProductLabelFactory(valid_until=date(2026, 6, 30))
    english, french = (f"/{language}/products/{held.product.slug}/" for language in ("en", "fr"))
    assert "Morocco Handmade" in client.get(english).content.decode()  # now cached

    # Midnight passes; no save, no signal: nothing tells the cache.
    clock.advance(minutes=3)
    assert site_today() == date(2026, 7, 1)
    assert "Morocco Handmade" not in client.get(french).content.decode()  # rendered now
    assert "Morocco Handmade" in client.get(english).content.decode()  # still the cached page

    clock.advance(seconds=300)

    assert "Morocco Handmade" not in client.get(english).content.decode()


@pytest.mark.parametrize("products", [1, 30])
def test_cooperative_page_queries_do_not_grow_with_labelled_products(
    client, django_assert_num_queries, products
):
    cooperative = CooperativeFactory()
    CooperativeLabelFactory(cooperative=cooperative)
    CooperativeLabelFactory(cooperative=cooperative, label=LabelFactory(taznakht=True), level="")
    for _ in range(products):
        product = ProductFactory(cooperative=cooperative)
        ProductImageFactory(product=product)
        ProductLabelFactory(product=product)
    url = f"/en/cooperatives/{cooperative.slug}/"

    # Is it verified, the count, the cooperative in full, its photos, its labels, the page
    # of products, their photos, their labels, its reviews' stars.
    with django_assert_num_queries(9):
        page = client.get(url).content.decode()

    assert page.count('class="card product-card"') == min(products, 24)
    assert page.count("label-badges--compact") == min(products, 24)


@pytest.mark.parametrize("labels", [1, 30])
def test_product_page_queries_do_not_grow_with_labels(client, django_assert_num_queries, labels):
    product = ProductFactory()
    ProductImageFactory(product=ProductFactory(cooperative=product.cooperative))  # related
    for n in range(labels):
        label = LabelFactory(slug=f"label-{n}", name_en=f"Label {n}", has_levels=False)
        ProductLabelFactory(product=product, label=label, level="")
        CooperativeLabelFactory(cooperative=product.cooperative, label=label, level="")

    # Is it visible, the product in full, its photos, its labels, its cooperative's labels,
    # related products, their photos, their labels, their cooperatives' labels, its reviews'
    # stars.
    with django_assert_num_queries(10):
        page = client.get(f"/en/products/{product.slug}/").content.decode()

    badges = page[: page.index('id="related-heading"')]  # the product's own, not the cards'
    assert badges.count('class="label-badge ') == labels


@pytest.mark.parametrize("products", [1, 30])
def test_home_cards_carry_badges_in_constant_queries(client, django_assert_num_queries, products):
    for n in range(products):
        product = ProductFactory(is_featured=True, title=f"Featured piece {n}")
        ProductImageFactory(product=product)
        ProductLabelFactory(product=product, label=LabelFactory(taznakht=True), level="")
        CooperativeLabelFactory(cooperative=product.cooperative)

    # Crafts, branches, featured products, their photos, their labels, their cooperatives'
    # labels, cooperatives.
    with django_assert_num_queries(7):
        page = client.get("/en/").content.decode()

    badges = card_badges(page)
    assert len(badges) == min(products, 8)
    assert all(names == ["Taznakht carpet", "Morocco Handmade"] for names in badges.values())


@pytest.mark.parametrize("related", [1, 30])
def test_related_product_cards_carry_badges_in_constant_queries(
    client, django_assert_num_queries, related
):
    product = ProductFactory(title="The carpet")
    CooperativeLabelFactory(cooperative=product.cooperative)
    for n in range(related):
        other = ProductFactory(title=f"Related piece {n}")  # same craft, another cooperative
        ProductImageFactory(product=other)
        ProductLabelFactory(product=other, label=LabelFactory(taznakht=True), level="")
        if n == 0:
            ProductLabelFactory(
                product=other,
                label=LabelFactory(slug="tazerzite", has_levels=False, name_en="Tazerzite"),
                level="",
                valid_until=days(-1),
            )

    # Is it visible, the product in full, its photos, its labels, its cooperative's labels,
    # related products, their photos, their labels, their cooperatives' labels, its reviews'
    # stars.
    with django_assert_num_queries(10):
        page = client.get(f"/en/products/{product.slug}/").content.decode()

    badges = card_badges(page)
    assert len(badges) == min(related, 4)
    assert all(names == ["Taznakht carpet"] for names in badges.values())
    assert "Tazerzite" not in page  # expired yesterday


# ---------------------------------------------------------------- admin


def test_admin_adds_a_label_in_three_languages(admin_client):
    response = admin_client.post(
        "/en/admin/artisans/label/add/",
        {
            "name_en": "Tapis de Boujaad",
            "name_fr": "Tapis de Boujaad",
            "name_ar": "زربية بوجعد",
            "slug": "tapis-de-boujaad",
            "kind": LabelKind.COLLECTIVE_BRAND,
            "issuer_en": "Ministry of Tourism, Handicrafts and Social and Solidarity Economy",
            "issuer_fr": "Ministère du Tourisme, de l'Artisanat et de l'Économie Sociale et "
            "Solidaire",
            "issuer_ar": "وزارة السياحة والصناعة التقليدية والاقتصاد الاجتماعي والتضامني",
            "description_en": "Carpets of Boujaad.",
        },
    )

    assert response.status_code == HTTPStatus.FOUND
    label = Label.objects.get(slug="tapis-de-boujaad")
    assert label.kind == LabelKind.COLLECTIVE_BRAND
    with translation.override("ar"):
        assert label.name == "زربية بوجعد"


def test_label_admin_counts_cooperative_and_product_certificates_apart(admin_client):
    handmade = LabelFactory()
    for _ in range(2):
        CooperativeLabelFactory(label=handmade)
    for _ in range(3):
        ProductLabelFactory(label=handmade)
    LabelFactory(taznakht=True)

    with CaptureQueriesContext(connection) as queries:
        page = admin_client.get("/en/admin/artisans/label/?o=5").content.decode()

    rows = re.findall(r"<tr>.*?</tr>", page, re.S)
    counts = {
        re.search(r'<th class="field-name"><a [^>]+>([^<]+)</a>', row)[1]: re.findall(
            r'<td class="field-(?:cooperative|product)_count">(\d+)</td>', row
        )
        for row in rows
        if 'class="field-name"' in row
    }
    assert counts == {"Taznakht carpet": ["0", "0"], "Morocco Handmade": ["2", "3"]}
    # Counted by subqueries: the list's query joins neither kind of certificate.
    listing = next(query["sql"] for query in queries if "cooperative_total" in query["sql"])
    assert "JOIN" not in listing.upper()


def test_admin_adds_a_cooperative_certificate_and_refuses_a_missing_level(admin_client):
    cooperative = CooperativeFactory()
    label = LabelFactory()
    form = {
        "cooperative": cooperative.pk,
        "label": label.pk,
        "certificate_number": "MH-2025-0153",
        "valid_from": "2025-01-15",
        "valid_until": "2027-01-14",
    }

    refused = admin_client.post("/en/admin/artisans/cooperativelabel/add/", form)
    added = admin_client.post("/en/admin/artisans/cooperativelabel/add/", {**form, "level": "Gold"})

    assert "This label is granted at a level" in refused.content.decode()
    assert added.status_code == HTTPStatus.FOUND
    held = CooperativeLabel.objects.get()
    assert (held.cooperative, held.level, held.valid_until) == (
        cooperative,
        "Gold",
        date(2027, 1, 14),
    )


def test_admin_adds_a_product_certificate(admin_client):
    product = ProductFactory()
    label = LabelFactory(taznakht=True)

    response = admin_client.post(
        "/en/admin/artisans/productlabel/add/",
        {"product": product.pk, "label": label.pk, "certificate_number": "", "level": ""},
    )

    assert response.status_code == HTTPStatus.FOUND
    assert ProductLabel.objects.get().product == product


def test_admin_adds_a_certificate_from_the_product_page(admin_client):
    product = ProductFactory(weight_grams=8250)
    label = LabelFactory(taznakht=True)
    form = product_form_data(
        product,
        **{
            "labels-TOTAL_FORMS": 1,
            "labels-0-label": label.pk,
            "labels-0-certificate_number": "IG-0042",
            "labels-0-valid_until": "2031-06-30",
        },
    )

    response = admin_client.post(f"/en/admin/catalog/product/{product.pk}/change/", form)

    assert response.status_code == HTTPStatus.FOUND
    held = ProductLabel.objects.get()
    assert (held.product, held.label, held.valid_until) == (product, label, date(2031, 6, 30))


def test_admin_lists_certificates_by_validity(admin_client):
    CooperativeLabelFactory(certificate_number="CURRENT-1")
    CooperativeLabelFactory(certificate_number="EXPIRED-1", valid_until=days(-1))

    current = admin_client.get("/en/admin/artisans/cooperativelabel/?validity=current")
    expired = admin_client.get("/en/admin/artisans/cooperativelabel/?validity=expired")

    assert "CURRENT-1" in current.content.decode()
    assert "EXPIRED-1" not in current.content.decode()
    assert "EXPIRED-1" in expired.content.decode()
    assert "CURRENT-1" not in expired.content.decode()


def test_cooperative_and_product_admin_pages_show_their_certificates(admin_client):
    held = CooperativeLabelFactory(certificate_number="MH-2025-0153")
    product_held = ProductLabelFactory(certificate_number="P-0001")

    cooperative_page = admin_client.get(
        f"/en/admin/artisans/cooperative/{held.cooperative.pk}/change/"
    ).content.decode()
    product_page = admin_client.get(
        f"/en/admin/catalog/product/{product_held.product.pk}/change/"
    ).content.decode()

    assert 'value="MH-2025-0153"' in cooperative_page
    assert 'value="P-0001"' in product_page


def test_a_non_staff_user_cannot_open_the_label_admin(client):
    client.force_login(UserFactory())

    response = client.get("/en/admin/artisans/label/")

    assert response.status_code == HTTPStatus.FOUND
    assert "/admin/login/" in response["Location"]


# ---------------------------------------------------------------- reference data


def test_reference_labels_load_in_three_languages_and_twice_changes_nothing():
    out = StringIO()
    call_command("load_reference_data", stdout=out)
    again = StringIO()
    call_command("load_reference_data", stdout=again)

    assert f"labels: {len(LABELS)} ({len(LABELS)} created, 0 updated)" in out.getvalue()
    assert f"labels: {len(LABELS)} (0 created, 0 updated)" in again.getvalue()
    handmade = Label.objects.get(slug="morocco-handmade")
    assert handmade.kind == LabelKind.CERTIFICATION
    assert handmade.has_levels
    for label in Label.objects.all():
        assert all([label.name_en, label.name_fr, label.name_ar]), label.slug
        assert all([label.description_en, label.description_fr]), label.slug
        assert ARABIC_LETTER.search(label.description_ar), label.slug
        assert ARABIC_LETTER.search(label.issuer_ar), label.slug
