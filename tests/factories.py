"""factory-boy factories: each builds a valid row with what it needs, nothing shared."""

from decimal import Decimal

import factory
from allauth.account.models import EmailAddress
from django.utils.text import slugify

from artisans.models import Cooperative, CooperativeStatus, Membership, MembershipRole, Region
from catalog.models import (
    Craft,
    CraftBranch,
    HSCode,
    HSCodeLevel,
    Product,
    ProductImage,
    ProductStatus,
)
from marketplace.models import User


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
