"""Build the demo marketplace: cooperatives, their people, products and photos.

Demo rows are recognised by their email domain (@souk.test for people and cooperatives), so
`reset_demo_data()` removes exactly them and nothing a real seller created.
"""

import functools
import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import slugify

from artisans.images import delete_files, reencode_logo
from artisans.models import (
    Cooperative,
    CooperativeLabel,
    CooperativeStatus,
    Membership,
    MembershipRole,
    ProductLabel,
    Region,
)
from catalog.images import (
    add_product_image,
    delete_unused_image_files,
    store_product_image_files,
)
from catalog.models import Craft, Product, ProductImage, ProductStatus, Review, ReviewPhoto
from catalog.search import refresh_search_documents, search_document_for
from marketplace.demo.drawing import logo_picture, product_pictures
from marketplace.demo.texts import (
    COLOURS_FR,
    COOPERATIVES,
    CRAFT_KINDS,
    DESCRIPTION_AR,
    LINES,
    DemoCooperative,
)
from marketplace.models import Order, Shipment, User
from payments.models import Payout, PayoutEntry

DEMO_DOMAIN = "souk.test"
DEMO_PASSWORD = "souk-demo-2026"  # noqa: S105 - printed for people trying the demo
ADMIN_EMAIL, ARTISAN_EMAIL, MANAGER_EMAIL, MEMBER_EMAIL, BUYER_EMAIL = (
    f"{who}@{DEMO_DOMAIN}" for who in ("admin", "artisan", "manager", "member", "buyer")
)
BATCH = 2000  # rows per bulk INSERT: large enough to be fast, small enough for any database


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str


def demo_cooperatives() -> "QuerySet[Cooperative]":
    return Cooperative.objects.filter(email__endswith=f"@{DEMO_DOMAIN}")


def demo_data_exists() -> bool:
    """Tell whether a demo catalog is already in the database."""
    return demo_cooperatives().exists()


def reset_demo_data() -> int:
    """Delete the demo cooperatives, their products, photos and certificates, and the demo
    people."""
    cooperatives = demo_cooperatives()
    photos = ProductImage.objects.filter(product__cooperative__in=cooperatives)
    names = set()
    for row in photos.values_list("image", "card", "thumbnail").distinct():
        names.update(row)
    logos = [name for name in cooperatives.values_list("logo", flat=True) if name]
    shipments = Shipment.objects.filter(cooperative__in=cooperatives)
    reviews = Review.objects.filter(cooperative__in=cooperatives)
    review_files = [
        name
        for row in ReviewPhoto.objects.filter(review__in=reviews).values_list("image", "thumbnail")
        for name in row
    ]
    with transaction.atomic():
        reviews.delete()  # they protect the order lines and products they are about
        # The demo orders and what they owe: money rows protect what they point at.
        PayoutEntry.objects.filter(cooperative__in=cooperatives).delete()
        Payout.objects.filter(cooperative__in=cooperatives).delete()
        Order.objects.filter(shipments__in=shipments).delete()
        photos.delete()  # one DELETE: photos have no delete signals or children
        # Certificates go with their holders; one DELETE each spares collecting them.
        ProductLabel.objects.filter(product__cooperative__in=cooperatives).delete()
        CooperativeLabel.objects.filter(cooperative__in=cooperatives).delete()
        deleted, _ = Product.objects.filter(cooperative__in=cooperatives).delete()
        cooperatives.delete()
        User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}").delete()
    delete_unused_image_files(sorted(names))
    delete_files(review_files)
    storage = Cooperative._meta.get_field("logo").storage
    for name in logos:
        storage.delete(name)
    return deleted


def create_demo_people(password: str) -> dict[str, User]:
    """Create (or reset the password of) the admin and the buyer; both may log in at once."""
    hashed = make_password(password)
    admin = _demo_user(ADMIN_EMAIL, hashed, first_name="Amina", last_name="Admin")
    admin.is_staff = admin.is_superuser = True
    admin.save(update_fields=["is_staff", "is_superuser"])
    buyer = _demo_user(BUYER_EMAIL, hashed, first_name="Claire", last_name="Martin", language="fr")
    # The artisan's team: seeding gives them their roles in the artisan's cooperative.
    manager = _demo_user(MANAGER_EMAIL, hashed, first_name="Itto", language="fr")
    member = _demo_user(MEMBER_EMAIL, hashed, first_name="Fadma", language="ar")
    return {"admin": admin, "buyer": buyer, "manager": manager, "member": member}


def _demo_user(email: str, hashed_password: str, **fields) -> User:
    user, _ = User.objects.update_or_create(
        email=email, defaults={"password": hashed_password, "is_active": True, **fields}
    )
    # allauth refuses an unverified address under mandatory verification.
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def create_cooperatives(count: int, *, password: str, rng: random.Random) -> list[Cooperative]:
    """Create count demo cooperatives with their logo and an owner who can log in."""
    regions = {region.code: region for region in Region.objects.all()}
    hashed = make_password(password)  # hashed once: the hasher is slow on purpose
    now = timezone.now()
    created = []
    for demo in itertools.islice(itertools.cycle(COOPERATIVES), count):
        suffix = (
            f"-{len(created) // len(COOPERATIVES) + 1}" if len(created) >= len(COOPERATIVES) else ""
        )
        cooperative = Cooperative.objects.create(
            name=demo.name + suffix.replace("-", " "),
            slug=slugify(demo.name) + suffix,
            legal_form=demo.legal_form,
            region=regions.get(demo.region) or next(iter(regions.values())),
            city=demo.city,
            founded_year=demo.founded,
            member_count=demo.members,
            women_member_count=demo.women,
            youth_led=demo.youth_led,
            story=demo.story,
            email=f"{demo.key}{suffix}@{DEMO_DOMAIN}",
            phone=f"+212 5{rng.randint(20, 39)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
            status=demo.status,
            status_changed_at=now if demo.status != CooperativeStatus.PENDING else None,
            status_reason="Unpaid membership dues, pending review."
            if demo.status == CooperativeStatus.SUSPENDED
            else "",
        )
        logo = logo_picture(_initials(demo.name), demo.colour, rng)
        content = reencode_logo(ContentFile(logo, name="logo.png"))
        cooperative.logo.save(f"{cooperative.slug}.png", content)
        owner = _demo_user(f"{demo.key}{suffix}@{DEMO_DOMAIN}", hashed, first_name=demo.city)
        Membership.objects.create(user=owner, cooperative=cooperative, role=MembershipRole.OWNER)
        created.append(cooperative)
    return created


def _initials(name: str) -> str:
    words = [word for word in name.replace("'", " ").split() if word[0].isupper()]
    return "".join(word[0] for word in words[-2:]).upper() or "S"


def create_products(cooperatives: list[Cooperative], count: int, *, rng: random.Random) -> int:
    """Create count products, each with one to three pictures of its own; return the photos."""
    photos = 0
    now = timezone.now()
    for plan in _plans(cooperatives, count, rng):
        with transaction.atomic():
            product = Product.objects.create(**plan.fields)
            # Spread over three months so "newest first" means something.
            Product.objects.filter(pk=product.pk).update(
                created_at=now - timedelta(days=rng.uniform(0, 90))
            )
        pictures = product_pictures(plan.kind, rng, rng.choices((1, 2, 3), (3, 4, 3))[0])
        for position, picture in enumerate(pictures):
            alt = product.title if position == 0 else f"{product.title} ({position + 1})"
            add_product_image(
                product, ContentFile(picture, name="demo.jpg"), alt_text=alt, position=position
            )
            photos += 1
    refresh_search_documents(Product.objects.filter(cooperative__in=cooperatives))
    return photos


def create_bulk_catalog(
    cooperatives: list[Cooperative], count: int, *, rng: random.Random, pool_size: int = 48
) -> int:
    """Create count products in batches; photos share a small pool of stored files."""
    plans = _plans(cooperatives, count, rng)
    kinds = sorted(
        {CRAFT_KINDS.get(slug, "textile") for demo in COOPERATIVES for slug in demo.crafts}
    )
    pool = {kind: [] for kind in kinds}
    for kind in itertools.islice(itertools.cycle(kinds), pool_size):
        picture = product_pictures(kind, rng, 1)[0]
        pool[kind].append(store_product_image_files(ContentFile(picture, name="demo.jpg")))
    stored_any = [stored for files in pool.values() for stored in files]
    pool = {kind: files or stored_any for kind, files in pool.items()}
    photos = 0
    while batch := list(itertools.islice(plans, BATCH)):
        with transaction.atomic():
            products = Product.objects.bulk_create([Product(**plan.fields) for plan in batch])
            images = [
                ProductImage(
                    product=product,
                    image=stored.image,
                    card=stored.card,
                    thumbnail=stored.thumbnail,
                    width=stored.width,
                    height=stored.height,
                    alt_text=product.title,
                    position=position,
                )
                for product, plan in zip(products, batch, strict=True)
                for position, stored in enumerate(_pick(pool[plan.kind], rng))
            ]
            ProductImage.objects.bulk_create(images)
        photos += len(images)
    # Fresh statistics let the planner drive selective searches from the full-text index.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return photos


def _pick(pool: list, rng: random.Random) -> list:
    """One or two pictures of the kind (kinds missing from a tiny pool fall back to any)."""
    return rng.sample(pool, min(len(pool), rng.choice((1, 2))))


@dataclass(frozen=True)
class _Plan:
    kind: str
    fields: dict


def _plans(cooperatives: list[Cooperative], count: int, rng: random.Random) -> Iterator[_Plan]:
    """Yield the fields of count products, spread over the cooperatives' crafts."""
    crafts = {craft.slug: craft for craft in Craft.objects.select_related("branch", "hs_code")}
    fallback = list(crafts.values())
    by_email = {f"{demo.key}@{DEMO_DOMAIN}": demo for demo in COOPERATIVES}
    offers = []
    for cooperative in cooperatives:
        demo = by_email.get(cooperative.email) or _demo_for(cooperative)
        own = [crafts[slug] for slug in demo.crafts if slug in crafts] or fallback[:3]
        offers.append((cooperative, own))
    featured_left = 12
    for index in range(count):
        cooperative, own = offers[index % len(offers)]
        craft = own[rng.randrange(len(own))]
        kind = CRAFT_KINDS.get(craft.slug, "textile")
        fields = _product_fields(kind, craft, cooperative, rng, index)
        visible = fields["status"] == ProductStatus.PUBLISHED and cooperative.is_verified
        if featured_left and visible and rng.random() < 0.15:
            fields["is_featured"] = True
            featured_left -= 1
        yield _Plan(kind, fields)


def _demo_for(cooperative: Cooperative) -> DemoCooperative:
    """The demo entry a copied cooperative (`artisan-2@souk.test`) was made from."""
    key = cooperative.email.split("@")[0].rsplit("-", 1)[0]
    return next((demo for demo in COOPERATIVES if demo.key == key), COOPERATIVES[0])


def _product_fields(
    kind: str, craft: Craft, cooperative: Cooperative, rng: random.Random, index: int
) -> dict:
    line = LINES[kind.split("_")[0]]
    # A craft made otherwise than the rest of its line has its own description and materials.
    made = line.makings.get(craft.slug, line)
    colour = rng.choice(line.colours)
    language, title, _ = rng.choice(line.titles_for(craft.slug))
    title = title.format(colour=COLOURS_FR.get(colour, colour) if language == "fr" else colour)
    title = title[0].upper() + title[1:]
    template = {"fr": made.description_fr, "ar": DESCRIPTION_AR}.get(language, made.description)
    description = template.format(coop=cooperative.name, city=cooperative.city)
    (w_min, w_max), (h_min, h_max) = line.size_cm
    width, height = rng.randint(w_min, w_max), rng.randint(h_min, h_max)
    grams = rng.randint(*line.grams)
    price = Decimal(
        round(rng.randint(*line.price_mad), -1 if line.price_mad[1] < 1000 else -2)
    ) or Decimal(50)
    made_to_order = rng.random() < line.made_to_order
    one_of_a_kind = not made_to_order and rng.random() < line.one_of_a_kind
    status = rng.choices(
        [
            ProductStatus.PUBLISHED,
            ProductStatus.PENDING,
            ProductStatus.DRAFT,
            ProductStatus.REJECTED,
        ],
        [85, 6, 5, 4],
    )[0]
    hs_code = craft.hs_code if len(craft.hs_code.code) == 6 else None
    return {
        "cooperative": cooperative,
        "craft": craft,
        "hs_code": hs_code,
        "title": title[:150],
        "slug": f"{slugify(title)[:160] or craft.slug}-{index + 1}",
        "description": description,
        "materials": made.materials,
        "dimensions": f"{width} × {height} cm",
        "weight_grams": grams,
        "price": price,
        "stock": 0
        if made_to_order
        else 1
        if one_of_a_kind
        else rng.choice((0, 2, 3, 5, 8, 12, 20, 40)),
        "made_to_order": made_to_order,
        "lead_time_days": rng.choice((7, 14, 21, 30, 45)) if made_to_order else None,
        "status": status if hs_code or status != ProductStatus.PUBLISHED else ProductStatus.DRAFT,
        "rejection_reason": "The photos do not show the piece clearly; please add one in daylight."
        if status == ProductStatus.REJECTED
        else "",
        "search_document": _document(title, description, made.materials, craft, cooperative),
    }


@functools.lru_cache(maxsize=4096)
def _document(
    title: str, description: str, materials: str, craft: Craft, cooperative: Cooperative
) -> str:
    # Titles repeat across a large catalog: normalising each distinct text once saves minutes.
    return search_document_for(
        title=title,
        description=description,
        materials=materials,
        craft=craft,
        cooperative=cooperative,
    )


def demo_logins() -> list[DemoLogin]:
    """Return the logins the command prints."""
    return [
        DemoLogin("admin (Django admin, moderation)", ADMIN_EMAIL),
        DemoLogin("cooperative owner (Coopérative Tifaout n'Azilal)", ARTISAN_EMAIL),
        DemoLogin("its manager (sees sales and payouts)", MANAGER_EMAIL),
        DemoLogin("its member (lists products, ships)", MEMBER_EMAIL),
        DemoLogin("buyer", BUYER_EMAIL),
    ]


def artisan_cooperative() -> Cooperative | None:
    """The demo artisan's cooperative, whose workspace the demo fills."""
    return Cooperative.objects.filter(memberships__user__email=ARTISAN_EMAIL).first()


def demo_product_count() -> int:
    return Product.objects.filter(cooperative__in=demo_cooperatives()).count()
