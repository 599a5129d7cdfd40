import html
import random
import re
from http import HTTPStatus
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command
from django.urls import reverse
from PIL import Image

from artisans.models import (
    Cooperative,
    CooperativeLabel,
    CooperativeStatus,
    Membership,
    MembershipRole,
    ProductLabel,
)
from catalog.images import CARD_SIZE, THUMBNAIL_SIZE
from catalog.models import Product, ProductImage, ProductStatus, Review
from marketplace.demo.reviews import MAX_PARCEL_GRAMS, review_one_product
from marketplace.demo.seeding import (
    DEMO_PASSWORD,
    artisan_cooperative,
    create_bulk_catalog,
    create_cooperatives,
)
from marketplace.demo.texts import COOPERATIVES, CRAFT_KINDS, LINES
from marketplace.demo.workspace import BUYERS
from marketplace.models import (
    Currency,
    ExchangeRate,
    Order,
    OrderStatus,
    Shipment,
    ShipmentStatus,
    User,
)
from payments.models import Payout, PayoutEntry

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def test_seed_demo_builds_cooperatives_products_and_photos(media_root):
    output = seed("--products", "8", "--cooperatives", "3")

    assert Cooperative.objects.count() == 3
    assert Product.objects.count() == 8
    assert "Created 3 cooperatives, 8 products" in output
    for cooperative in Cooperative.objects.all():
        assert (media_root / cooperative.logo.name).is_file()
        assert cooperative.memberships.filter(role=MembershipRole.OWNER).exists()
        assert "\n\n" in cooperative.story  # French, English and Arabic paragraphs
    for product in Product.objects.all():
        assert product.price > 0
        assert product.search_document
        photos = list(product.images.all())
        assert 1 <= len(photos) <= 3
        for photo in photos:
            assert Image.open(media_root / photo.card.name).size == CARD_SIZE
            assert Image.open(media_root / photo.thumbnail.name).size == THUMBNAIL_SIZE
            assert (media_root / photo.image.name).is_file()
            assert photo.alt_text.startswith(product.title)


def test_seed_demo_default_matches_the_demo_description():
    seed("--products", "0")

    assert Cooperative.objects.count() >= 12
    assert Cooperative.objects.filter(status=CooperativeStatus.PENDING).count() == 1
    assert Cooperative.objects.filter(status=CooperativeStatus.SUSPENDED).count() == 1
    assert Cooperative.objects.values("region").distinct().count() == 12


def test_seed_demo_prints_logins_that_work(client):
    output = seed("--products", "2", "--cooperatives", "1")

    for email in ("admin@souk.test", "artisan@souk.test", "buyer@souk.test"):
        assert email in output
        assert EmailAddress.objects.get(email=email).verified
    assert DEMO_PASSWORD in output
    assert User.objects.get(email="admin@souk.test").is_superuser
    artisan = Membership.objects.get(user__email="artisan@souk.test")
    assert artisan.role == MembershipRole.OWNER
    assert artisan.cooperative.name == "Coopérative Tifaout n'Azilal"

    response = client.post(
        reverse("account_login"), {"login": "buyer@souk.test", "password": DEMO_PASSWORD}
    )
    assert response.status_code == HTTPStatus.FOUND
    assert client.session["_auth_user_id"] == str(User.objects.get(email="buyer@souk.test").pk)
    assert client.login(email="admin@souk.test", password=DEMO_PASSWORD)
    assert client.get("/en/admin/").status_code == HTTPStatus.OK


def test_seed_demo_again_keeps_the_data_and_reset_rebuilds_it(media_root):
    seed("--products", "3", "--cooperatives", "2")
    first = set(Product.objects.values_list("pk", flat=True))
    old_photos = {path for path in media_root.rglob("products/**/*") if path.is_file()}
    assert old_photos

    output = seed("--products", "3", "--cooperatives", "2")

    assert "already present" in output
    assert set(Product.objects.values_list("pk", flat=True)) == first
    assert "artisan@souk.test" in output

    seed("--products", "3", "--cooperatives", "2", "--reset")

    assert Product.objects.count() == 3
    assert not first & set(Product.objects.values_list("pk", flat=True))
    assert not any(path.exists() for path in old_photos)
    assert len(list(media_root.rglob("cooperatives/logos/*"))) == 2
    assert User.objects.filter(email="admin@souk.test").count() == 1


def test_seed_demo_reset_leaves_real_sellers_alone(product):
    seed("--products", "2", "--cooperatives", "1", "--reset")
    seed("--products", "2", "--cooperatives", "1", "--reset")

    assert Product.objects.filter(pk=product.pk).exists()
    assert Product.objects.count() == 3


def test_seed_demo_refuses_nonsense_counts():
    with pytest.raises(CommandError):
        seed("--products", "-1")


def test_bulk_catalog_shares_a_small_pool_of_stored_pictures(media_root):
    call_command("load_reference_data", verbosity=0)
    cooperatives = create_cooperatives(2, password=DEMO_PASSWORD, rng=random.Random(1))

    photos = create_bulk_catalog(cooperatives, 60, rng=random.Random(1), pool_size=4)

    assert Product.objects.count() == 60
    assert ProductImage.objects.count() == photos >= 60
    assert ProductImage.objects.values("image").distinct().count() <= 4
    assert all(photo.width and photo.height for photo in ProductImage.objects.all())
    published = Product.objects.filter(status=ProductStatus.PUBLISHED)
    assert published.exists()
    assert not published.filter(images__isnull=True).exists()
    assert len([p for p in media_root.rglob("products/*/*") if p.is_file()]) <= 8


def line_of(craft: str) -> str:
    return CRAFT_KINDS[craft].split("_")[0]


def test_every_demo_craft_has_titles_and_titles_name_crafts_of_their_line():
    for craft in {craft for demo in COOPERATIVES for craft in demo.crafts}:
        assert LINES[line_of(craft)].titles_for(craft), craft
    for name, line in LINES.items():
        crafts_of_line = {craft for craft in CRAFT_KINDS if line_of(craft) == name}
        for title in line.titles:
            assert set(title.crafts or ()) <= crafts_of_line, title  # catches misspelt slugs
        assert set(line.makings) <= crafts_of_line, name


def test_seeded_titles_fit_their_craft():
    call_command("load_reference_data", verbosity=0)
    rng = random.Random(2026)  # seed_demo's default seed
    cooperatives = create_cooperatives(len(COOPERATIVES), password=DEMO_PASSWORD, rng=rng)
    # The bulk path picks titles as seed_demo does, without drawing pictures for each product.
    create_bulk_catalog(cooperatives, 600, rng=rng, pool_size=4)

    templates = [
        (re.compile(re.escape(title.text).replace(re.escape("{colour}"), ".+")), title)
        for line in LINES.values()
        for title in line.titles
    ]
    crafts_seen = set()
    for product in Product.objects.select_related("craft"):
        chosen = [title for pattern, title in templates if pattern.fullmatch(product.title)]
        assert chosen, product.title
        for title in chosen:
            assert title.crafts is None or product.craft.slug in title.crafts, (
                f"{product.title!r} is not a {product.craft.slug} title"
            )
        crafts_seen.add(product.craft.slug)
    assert crafts_seen == {craft for demo in COOPERATIVES for craft in demo.crafts}


def test_the_artisans_workspace_has_a_team_orders_and_a_payout(media_root):
    seed("--products", "40", "--cooperatives", "2")

    cooperative = artisan_cooperative()
    roles = dict(cooperative.memberships.values_list("user__email", "role"))
    assert roles == {
        "artisan@souk.test": MembershipRole.OWNER,
        "manager@souk.test": MembershipRole.MANAGER,
        "member@souk.test": MembershipRole.MEMBER,
    }
    shipments = Shipment.objects.filter(cooperative=cooperative)
    assert {s.order.status for s in shipments} == {OrderStatus.PAID}
    assert sorted(s.status for s in shipments) == sorted(
        [ShipmentStatus.TO_SHIP] * 2 + [ShipmentStatus.SHIPPED] + [ShipmentStatus.DELIVERED] * 3
    )
    assert all(line.customs_description_fr for s in shipments for line in s.lines.all())
    payout = Payout.objects.get(cooperative=cooperative)
    assert set(payout.entries.values_list("shipment__status", flat=True)) == {"delivered"}
    assert PayoutEntry.objects.filter(cooperative=cooperative, payout=None).count() == 3
    # --reset removes the orders and their money rows with the rest of the demo.
    seed("--reset", "--products", "4", "--cooperatives", "1")


def makers(page: str) -> set[str]:
    """The cooperatives named on a page's product cards."""
    names = re.findall(r'class="card__coop" href="[^"]+" dir="auto">([^<]+)<', page)
    return {html.unescape(name) for name in names}


def test_the_demo_gives_cooperatives_and_pieces_labels_buyers_see(client):
    seed("--products", "25", "--cooperatives", "5")
    azilal, tiznit, marrakech = (
        Cooperative.objects.get(email=f"{key}@souk.test")
        for key in ("artisan", "tiznit", "marrakech")
    )
    silver = Product.objects.published().filter(cooperative=tiznit, labels__isnull=False).first()

    azilal_page = client.get(f"/en/cooperatives/{azilal.slug}/").content.decode()
    silver_page = client.get(f"/en/products/{silver.slug}/").content.decode()
    marrakech_page = client.get(f"/en/cooperatives/{marrakech.slug}/").content.decode()
    handmade = client.get("/en/catalog/?label=morocco-handmade").content.decode()
    tazerzite = client.get("/en/catalog/?label=tazerzite").content.decode()

    assert '<span class="label-badge__level" dir="auto">Niveau 2</span>' in azilal_page
    assert ">Tazerzite</a>" in silver_page
    assert ">Morocco Handmade</a>" in silver_page  # its cooperative's certification
    # Marrakech's certificate ran out: it is in the database, on no page and in no filter.
    assert CooperativeLabel.objects.expired().get().cooperative == marrakech
    assert "Morocco Handmade" not in marrakech_page
    assert makers(handmade) == {azilal.name, tiznit.name, "Coopérative Zellige Fès Al Bali"}
    assert makers(tazerzite) == {tiznit.name}

    seed("--reset", "--products", "4", "--cooperatives", "1")

    assert not ProductLabel.objects.exists()
    assert list(CooperativeLabel.objects.values_list("certificate_number", flat=True)) == [
        "MH-DEMO-0153"  # the new demo's, for its one cooperative
    ]


def test_the_demo_orders_are_paid_in_dirhams_when_an_admin_removed_the_rates():
    ExchangeRate.objects.all().delete()

    output = seed("--products", "40", "--cooperatives", "4")

    assert "Created 4 cooperatives" in output
    orders = Order.objects.filter(status=OrderStatus.PAID)
    assert orders.count() >= len(BUYERS)
    assert set(orders.values_list("currency", flat=True)) == {Currency.MAD}
    assert Review.objects.exists()


def test_the_reviews_bench_product_gets_its_reviews_from_real_orders(client):
    seed("--products", "12", "--cooperatives", "2")
    product = (
        Product.objects.published()
        .filter(made_to_order=False, weight_grams__lte=MAX_PARCEL_GRAMS)
        .order_by("pk")
        .first()
    )
    Product.objects.filter(pk=product.pk).update(stock=20)
    before = product.reviews.count()

    reviews = review_one_product(product, 12, rng=random.Random(1))

    page = client.get(f"/en/products/{product.slug}/").content.decode()
    assert len(reviews) == product.reviews.published().count() - before == 12
    assert f"{before + 12} reviews from verified buyers" in page
    for review in reviews:
        review.refresh_from_db()
        assert review.order_line.shipment.status == ShipmentStatus.DELIVERED
        assert review.order_line.shipment.order.currency == Currency.MAD
        assert review.helpful_count == review.votes.count()
    assert sum(review.helpful_count for review in reviews) > 0
