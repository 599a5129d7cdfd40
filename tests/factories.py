"""factory-boy factories: each builds a valid row with what it needs, nothing shared."""

from datetime import timedelta
from decimal import Decimal

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone
from django.utils.text import slugify

from artisans.models import (
    Cooperative,
    CooperativeLabel,
    CooperativeStatus,
    Invitation,
    Label,
    LabelKind,
    Membership,
    MembershipRole,
    ProductLabel,
    Region,
)
from catalog.models import (
    Craft,
    CraftBranch,
    HSCode,
    HSCodeLevel,
    Product,
    ProductImage,
    ProductStatus,
    Review,
    ReviewStatus,
)
from marketplace.checkout import ShippingDetails
from marketplace.models import (
    Cart,
    CartLine,
    ExchangeRate,
    Order,
    OrderLine,
    Shipment,
    ShippingRate,
    User,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    password = factory.django.Password("souk-test-password")


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "marrakech-safi"
    name_en = "Marrakech-Safi"
    name_fr = "Marrakech-Safi"
    name_ar = "مراكش آسفي"


class CooperativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cooperative

    name = factory.Sequence(lambda n: f"Cooperative Atlas {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    region = factory.SubFactory(RegionFactory)
    city = "Marrakech"
    member_count = 12
    women_member_count = 9
    story = "Women weavers of the High Atlas."
    status = CooperativeStatus.VERIFIED


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    cooperative = factory.SubFactory(CooperativeFactory)
    role = MembershipRole.OWNER


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    cooperative = factory.SubFactory(CooperativeFactory)
    email = factory.Sequence(lambda n: f"invited{n}@example.com")
    role = MembershipRole.MEMBER
    token = factory.Sequence(lambda n: f"invitation-token-{n:04d}")


class HSCodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HSCode
        django_get_or_create = ("code",)

    code = "570110"
    level = HSCodeLevel.SUBHEADING
    description_en = (
        "Carpets and other textile floor coverings; knotted, of wool or fine animal hair"
    )


class CraftBranchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CraftBranch
        django_get_or_create = ("slug",)

    slug = "textiles"
    name_en = "Textiles and carpets"
    name_fr = "Textile et tapis"
    name_ar = "النسيج والزرابي"


class CraftFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Craft
        django_get_or_create = ("slug",)

    branch = factory.SubFactory(CraftBranchFactory)
    slug = "knotted-carpets"
    name_en = "Knotted carpets"
    name_fr = "Tapis noués"
    name_ar = "الزرابي المعقودة"
    hs_code = factory.SubFactory(HSCodeFactory)


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    cooperative = factory.SubFactory(CooperativeFactory)
    craft = factory.SubFactory(CraftFactory)
    hs_code = factory.LazyAttribute(lambda o: o.craft.hs_code)
    title = factory.Sequence(lambda n: f"Beni Ouarain carpet {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    description = "Hand-knotted wool carpet."
    materials = "wool"
    weight_grams = 8000
    price = Decimal("4500.00")
    stock = 1
    status = ProductStatus.PUBLISHED


class ProductImageFactory(factory.django.DjangoModelFactory):
    """A photo row naming its three files as catalog/images.py stores them; writes no file."""

    class Meta:
        model = ProductImage

    product = factory.SubFactory(ProductFactory)
    image = factory.Sequence(lambda n: f"products/photo-{n}.jpg")
    card = factory.LazyAttribute(lambda o: o.image.replace("products/", "products/card/"))
    thumbnail = factory.LazyAttribute(lambda o: o.image.replace("products/", "products/thumb/"))
    # Given dimensions keep Django from opening the (absent) file to measure it.
    width = 1600
    height = 1200
    alt_text = factory.Sequence(lambda n: f"Photo {n} of the piece, seen from above")
    position = factory.Sequence(int)


class EmailAddressFactory(factory.django.DjangoModelFactory):
    """allauth's record of a user's address, verified: with it the user can log in."""

    class Meta:
        model = EmailAddress

    user = factory.SubFactory(UserFactory)
    email = factory.LazyAttribute(lambda o: o.user.email)
    verified = True
    primary = True


class OrderFactory(factory.django.DjangoModelFactory):
    """An order awaiting payment, in dirhams; its amounts are the caller's to keep consistent."""

    class Meta:
        model = Order

    number = factory.Sequence(lambda n: f"SK-T{n:07d}")
    user = factory.SubFactory(UserFactory)
    email = factory.LazyAttribute(lambda o: o.user.email if o.user else "guest@example.com")
    language = "en"
    currency = "MAD"
    mad_per_unit = Decimal("1")
    subtotal_mad = Decimal("4500.00")
    shipping_mad = Decimal("120.00")
    total_mad = factory.LazyAttribute(lambda o: o.subtotal_mad + o.shipping_mad)
    total = factory.LazyAttribute(lambda o: o.total_mad)
    full_name = "Amina Buyer"
    address_line1 = "12 rue des Potiers"
    city = "Rabat"
    country = "MA"
    phone = "+212600000000"
    reserved_until = factory.LazyFunction(lambda: timezone.now() + timedelta(minutes=30))


class ShipmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Shipment

    order = factory.SubFactory(OrderFactory)
    cooperative = factory.SubFactory(CooperativeFactory)
    weight_grams = 8000
    subtotal_mad = Decimal("4500.00")
    shipping_mad = Decimal("120.00")
    # What checkout promises by default once the order is paid.
    ship_by = factory.LazyAttribute(
        lambda o: o.order.paid_at + timedelta(days=3) if o.order.paid_at else None
    )


class OrderLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrderLine

    shipment = factory.SubFactory(ShipmentFactory)
    product = factory.SubFactory(
        ProductFactory, cooperative=factory.SelfAttribute("..shipment.cooperative")
    )
    title = factory.LazyAttribute(lambda o: o.product.title if o.product else "A piece")
    quantity = 1
    unit_price_mad = Decimal("4500.00")
    unit_price = factory.LazyAttribute(lambda o: o.unit_price_mad)
    currency = "MAD"
    hs_code = "570110"
    weight_grams = 8000


class ExchangeRateFactory(factory.django.DjangoModelFactory):
    """A rate as the admin keeps it (migration 0003 installs EUR and USD already)."""

    class Meta:
        model = ExchangeRate
        django_get_or_create = ("currency",)

    currency = "EUR"
    mad_per_unit = Decimal("10.850000")


class ShippingRateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShippingRate
        django_get_or_create = ("zone", "max_weight_grams")

    zone = "morocco"
    max_weight_grams = 1000
    price = Decimal("45.00")


class CartFactory(factory.django.DjangoModelFactory):
    """A cart; a guest's unless given a user."""

    class Meta:
        model = Cart


class CartLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CartLine

    cart = factory.SubFactory(CartFactory)
    product = factory.SubFactory(ProductFactory)
    quantity = 1
    price_when_added = factory.LazyAttribute(lambda o: o.product.price)


class ShippingDetailsFactory(factory.Factory):
    """What the checkout form hands to place_order(): a buyer in Casablanca by default."""

    class Meta:
        model = ShippingDetails

    email = factory.Sequence(lambda n: f"buyer{n}@example.com")
    full_name = "Salma Benali"
    address_line1 = "12 rue des Orangers"
    city = "Casablanca"
    postal_code = "20250"
    country = "MA"
    phone = "+212 6 12 34 56 78"


class LabelFactory(factory.django.DjangoModelFactory):
    """A certification with levels, like Morocco Handmade; names in three languages."""

    class Meta:
        model = Label
        django_get_or_create = ("slug",)

    slug = "morocco-handmade"
    kind = LabelKind.CERTIFICATION
    has_levels = True
    name_en = "Morocco Handmade"
    name_fr = "Morocco Handmade"
    name_ar = "Morocco Handmade"
    issuer_en = "Ministry of Tourism, Handicrafts and Social and Solidarity Economy"
    issuer_fr = "Ministère du Tourisme, de l'Artisanat et de l'Économie Sociale et Solidaire"
    issuer_ar = "وزارة السياحة والصناعة التقليدية والاقتصاد الاجتماعي والتضامني"

    class Params:
        # LabelFactory(taznakht=True): a label without levels, of another kind.
        taznakht = factory.Trait(
            slug="tapis-taznakht",
            kind=LabelKind.GEOGRAPHICAL_INDICATION,
            has_levels=False,
            name_en="Taznakht carpet",
            name_fr="Tapis de Taznakht",
            name_ar="زربية تازناخت",
        )


class CooperativeLabelFactory(factory.django.DjangoModelFactory):
    """A cooperative's certificate, valid from a year ago to a year from now."""

    class Meta:
        model = CooperativeLabel

    cooperative = factory.SubFactory(CooperativeFactory)
    label = factory.SubFactory(LabelFactory)
    certificate_number = factory.Sequence(lambda n: f"MH-2025-{n:04d}")
    level = factory.LazyAttribute(lambda o: "Gold" if o.label.has_levels else "")
    valid_from = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=365))
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=365))


class ProductLabelFactory(factory.django.DjangoModelFactory):
    """A product's certificate, valid for a year from now."""

    class Meta:
        model = ProductLabel

    product = factory.SubFactory(ProductFactory)
    label = factory.SubFactory(LabelFactory)
    certificate_number = factory.Sequence(lambda n: f"P-{n:05d}")
    level = factory.LazyAttribute(lambda o: "Gold" if o.label.has_levels else "")
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=365))


class ReviewFactory(factory.django.DjangoModelFactory):
    """A published review of a delivered line of a paid order, by the order's buyer."""

    class Meta:
        model = Review

    order_line = factory.SubFactory(
        OrderLineFactory,
        shipment__status="delivered",
        shipment__order__status="paid",
    )
    product = factory.LazyAttribute(lambda o: o.order_line.product)
    # The product's: a line given a product of another cooperative still reviews that one.
    cooperative = factory.LazyAttribute(lambda o: o.order_line.product.cooperative)
    author = factory.LazyAttribute(lambda o: o.order_line.shipment.order.user)
    author_name = "Claire M."
    country = "FR"
    language = "en"
    rating = 5
    text = "Beautiful carpet, exactly as in the photos."
    status = ReviewStatus.PUBLISHED
