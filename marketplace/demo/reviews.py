"""Reviews in the demo, in Arabic, French and English, through catalog/reviews.py's rules.

The artisan's delivered orders are reviewed by their buyers, and the cooperative replies to
one; a few more buyers receive and review pieces of other cooperatives, so their pages have
figures to show too. Only signed-in orders can be reviewed: the demo's reviewers have
accounts (workspace.py gives the artisan's delivered buyers theirs).
"""

import random
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db.models import F
from django.test import override_settings
from django.utils import translation

from artisans.models import Cooperative, CooperativeStatus
from catalog.models import Product, Review
from catalog.reviews import mark_helpful, reply_to_review, submit_review
from marketplace.checkout import mark_order_paid
from marketplace.demo.drawing import product_pictures
from marketplace.demo.texts import CRAFT_KINDS
from marketplace.demo.workspace import _move_back, _place, demo_buyer
from marketplace.models import OrderLine, Shipment, ShipmentStatus, User
from marketplace.shipments import mark_delivered, mark_shipped
from payments.ledger import record_sale_entries

# Pieces light enough for any destination's shipping rates.
MAX_PARCEL_GRAMS = 10_000
# What the artisan's delivered buyers (workspace.BUYERS) wrote: (language, stars, text).
ARTISAN_REVIEWS = {
    "Emily Carter": (
        "en",
        5,
        "Even more beautiful than in the photos. The wool is thick and soft, the colours are "
        "warm, and it arrived well wrapped in Boston in nine days. It is the heart of our "
        "living room now.",
    ),
    "Claire Martin": (
        "fr",
        5,
        "Magnifique pièce, nouée avec soin. Le colis est arrivé à Lyon en une semaine, très "
        "bien emballé. On sent le travail des femmes de la coopérative : merci !",
    ),
    "Lucía García": (
        "en",
        4,
        "Lovely work and exactly the size announced. One corner was a little creased after "
        "the journey, but it flattened within a day. I would order again.",
    ),
}
ARTISAN_REPLY = (
    "Merci beaucoup Claire ! Les tisserandes sont très heureuses que le tapis ait trouvé sa "
    "place chez vous. À bientôt à Azilal, peut-être ?"
)
# More buyers, reviewing pieces of other cooperatives: (name, city, postal code, country,
# phone, currency, days ago, language, stars, text).
OTHER_REVIEWS = [
    ("Youssef Alaoui", "Rabat", "10000", "MA", "+212 6 61 23 45 67", "MAD", 70, "ar", 5,
     "قطعة رائعة ومصنوعة بإتقان، وصلت إلى الرباط في ثلاثة أيام. شكراً للتعاونية على جودة "
     "العمل وحسن التغليف."),
    ("Salma Benali", "Casablanca", "20250", "MA", "+212 6 12 34 56 78", "MAD", 55, "ar", 4,
     "جودة ممتازة والألوان جميلة كما في الصور. التوصيل تأخر يومين لكن القطعة تستحق الانتظار."),
    ("Julien Morel", "Paris", "75011", "FR", "+33 6 98 76 54 32", "EUR", 48, "fr", 5,
     "Très belle qualité, conforme à la description. Livraison rapide à Paris et un petit "
     "mot de l'artisan dans le colis : j'ai adoré."),
    ("Sarah Johnson", "Chicago", "60614", "US", "+1 312 555 0199", "USD", 35, "en", 3,
     "Nice piece and well made, but the colour is darker than on my screen. Shipping to "
     "Chicago took almost three weeks."),
    ("Hannah Weber", "Berlin", "10115", "DE", "+49 151 2345 6789", "EUR", 30, "en", 5,
     "Beautiful craftsmanship. You can see every knot was made by hand. It came with a "
     "card naming the artisan who made it, a lovely touch."),
    ("Karim Tazi", "Marrakech", "40000", "MA", "+212 6 70 11 22 33", "MAD", 20, "ar", 2,
     "القطعة جميلة لكنها وصلت بخدش صغير في الجانب. تواصلت مع التعاونية ووعدوني بالحل."),
]  # fmt: skip


def create_demo_reviews(cooperative: Cooperative, *, rng: random.Random) -> int:
    """Review the artisan's delivered orders and a few pieces elsewhere; return how many."""
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        SOUK_REVIEWS_HELD_FOR_MODERATION=False,
    ):
        reviews = _review_artisan_orders(cooperative)
        reviews += _review_other_cooperatives(cooperative, rng=rng)
    return len(reviews)


def _review_artisan_orders(cooperative: Cooperative) -> list[Review]:
    lines = OrderLine.objects.filter(
        shipment__cooperative=cooperative,
        shipment__status=ShipmentStatus.DELIVERED,
        shipment__order__user__isnull=False,
    ).select_related("shipment__order")
    reviews = []
    for line in lines.order_by("pk"):
        written = ARTISAN_REVIEWS.get(line.shipment.order.full_name)
        if written is None:
            continue
        language, stars, text = written
        review = _review(line, language, stars, text)
        if line.shipment.order.full_name == "Claire Martin":
            owner = cooperative.memberships.filter(role="owner").first()
            if owner is not None:
                reply_to_review(review, cooperative=cooperative, by=owner.user, text=ARTISAN_REPLY)
                Review.objects.filter(pk=review.pk).update(
                    replied_at=F("created_at") + timedelta(days=1)
                )
        reviews.append(review)
    return reviews


def _review_other_cooperatives(cooperative: Cooperative, *, rng: random.Random) -> list[Review]:
    products = list(
        Product.objects.published()
        .filter(
            cooperative__status=CooperativeStatus.VERIFIED,
            made_to_order=False,
            stock__gte=2,
            weight_grams__gt=0,
            weight_grams__lte=MAX_PARCEL_GRAMS,
        )
        .exclude(cooperative=cooperative)
        .select_related("craft")
        .order_by("pk")[: len(OTHER_REVIEWS)]
    )
    reviews = []
    for index, (product, written) in enumerate(zip(products, OTHER_REVIEWS, strict=False)):
        name, city, postal, country, phone, currency, days, language, stars, text = written
        line = _deliver(product, (name, city, postal, country, phone, currency), days=days)
        # The first buyer adds a photo of the piece at home.
        kind = CRAFT_KINDS.get(product.craft.slug, "textile")
        photos = product_pictures(kind, rng, 1) if index == 0 else []
        reviews.append(_review(line, language, stars, text, photos=photos))
    return reviews


def review_one_product(product: Product, count: int, *, rng: random.Random) -> list[Review]:
    """Have count more buyers in Morocco receive the product and review it, over two years,
    with the demo's texts; some find others' reviews helpful. For the reviews bench: the
    product needs count pieces in stock."""
    texts = [(language, stars, text) for language, stars, text in ARTISAN_REVIEWS.values()]
    texts += [written[-3:] for written in OTHER_REVIEWS]
    start = product.reviews.count()
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        SOUK_REVIEWS_HELD_FOR_MODERATION=False,
    ):
        reviews = []
        for number in range(start + 1, start + count + 1):
            name = f"Lecteur {number:04d}"
            buyer = (name, "Rabat", "10000", "MA", "+212 6 61 23 45 67", "MAD")
            line = _deliver(product, buyer, days=rng.randint(10, 730))
            reviews.append(_review(line, *rng.choice(texts)))
        for review in reviews:
            for voter in rng.sample(reviews, rng.choice((0, 0, 1, 2, 5, 12))):
                if voter.author_id != review.author_id:
                    mark_helpful(review, voter.author)
    return reviews


def _deliver(product: Product, buyer: tuple[str, ...], *, days: int) -> OrderLine:
    """Sell the product to the buyer (name, city, postal code, country, phone, currency)
    through the real checkout and fulfilment, delivered as if ordered days ago."""
    name, city, postal, country, phone, currency = buyer
    order = _place(product, demo_buyer(name), name, city, postal, country, phone, currency)
    mark_order_paid(order)
    order.refresh_from_db()
    record_sale_entries(order)
    shipment = order.shipments.get()
    mark_shipped(shipment, carrier="Amana", tracking_number=f"RR{100_000_000 + order.pk}MA")
    mark_delivered(shipment)
    _move_back(order, days=days)
    return OrderLine.objects.select_related("shipment__order").get(shipment=shipment)


def _review(
    line: OrderLine, language: str, stars: int, text: str, *, photos: list[bytes] = ()
) -> Review:
    """Submit the review in the buyer's language, dated a few days after the delivery."""
    buyer: User = line.shipment.order.user
    with translation.override(language):
        review = submit_review(
            line,
            author=buyer,
            rating=stars,
            text=text,
            photos=[ContentFile(photo, name="photo.jpg") for photo in photos],
        )
    written_at = Shipment.objects.get(pk=line.shipment_id).delivered_at + timedelta(days=3)
    Review.objects.filter(pk=review.pk).update(created_at=written_at, updated_at=written_at)
    review.refresh_from_db()
    return review
