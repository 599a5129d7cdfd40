"""Forms of the seller workspace's product pages: the product itself, and its photos.

ProductForm turns what the seller typed into catalog.listing.ProductDetails; the rules about
what a change does (review, stock) are listing's. Photos are checked and re-encoded by
catalog.images when they are added, one by one, so a bad file is named with its reason.
"""

from decimal import Decimal
from itertools import groupby

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from artisans.digits import ascii_digits
from artisans.forms import MultiplePhotoField
from catalog.hs_codes import find_subheading
from catalog.listing import MAX_PRODUCT_PHOTOS, ProductDetails, ProductKind, kind_of
from catalog.models import Craft, HSCodeLevel, Product, ProductImage, ReportReason
from catalog.reviews import (
    MAX_REPLY_CHARS,
    MAX_REVIEW_PHOTOS,
    MAX_TEXT_CHARS,
    MIN_REPLY_CHARS,
    MIN_TEXT_CHARS,
    RATINGS,
)

# What order lines can hold (max_digits=10 there), with room to spare.
MAX_PRICE = 10_000_000
MAX_WEIGHT_GRAMS = 1_000_000  # a tonne: a carved cedar door with its frame is far below
MAX_QUANTITY = 10_000
MAX_LEAD_TIME_DAYS = 365
MAX_DESCRIPTION_CHARS = 5000

# Phone keyboards type Arabic-Indic digits and separators; people write 1 500,50 or 1,500.50.
# The Arabic decimal separator is a dot; spaces, apostrophes and "٬" only group thousands.
_SEPARATORS = str.maketrans("٫", ".", " \u00a0\u202f\u2009'٬")


def _max_length(name: str) -> int:
    return Product._meta.get_field(name).max_length


class PriceField(forms.DecimalField):
    """A price in dirhams as sellers type it: "1500", "1 500,50", "1,500.50", "١٥٠٠"."""

    def to_python(self, value):
        if isinstance(value, str):
            value = ascii_digits(value.strip()).translate(_SEPARATORS)[:30]
            if "," in value and "." in value:
                # Both: the last one separates the decimals, the other groups thousands.
                grouping = "," if value.rfind(",") < value.rfind(".") else "."
                value = value.replace(grouping, "").replace(",", ".")
            elif value.count(",") == 1 and len(value.partition(",")[2]) <= 2:
                value = value.replace(",", ".")  # 1500,50
            else:
                value = value.replace(",", "")  # 1,500 or 1,500,000
        return super().to_python(value)


class _CraftsByBranch(ModelChoiceIterator):
    """The crafts in <optgroup>s by branch, in the branches' order, names in the page language."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        crafts = sorted(
            self.queryset.select_related("branch"),
            key=lambda craft: (craft.branch.position, craft.branch.slug, craft.name.casefold()),
        )
        for branch, group in groupby(crafts, key=lambda craft: craft.branch):
            yield (branch.name, [self.choice(craft) for craft in group])


class CraftChoiceField(forms.ModelChoiceField):
    iterator = _CraftsByBranch


class ProductForm(forms.Form):
    """A product as its seller describes it; `details` once valid."""

    title = forms.CharField(
        label=_("Title"),
        max_length=_max_length("title"),
        help_text=_("What the piece is, as a buyer would search for it."),
    )
    craft = CraftChoiceField(
        label=_("Craft"),
        queryset=Craft.objects.all(),
        empty_label=_("Choose the craft"),
    )
    hs_code = forms.CharField(
        label=_("HS customs code"),
        max_length=20,
        required=False,
        help_text=_(
            "6 digits, for example 5701.10. Type a number or words to search. "
            "Leave it empty to use the usual code of the craft."
        ),
    )
    price = PriceField(
        label=_("Price in dirhams (MAD)"),
        max_digits=10,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=MAX_PRICE,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        help_text=_("For example 1500 or 1500.50."),
    )
    weight_grams = forms.IntegerField(
        label=_("Weight in grams"),
        min_value=1,
        max_value=MAX_WEIGHT_GRAMS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_(
            "The piece alone, without packing: customs and shipping need it. 1 kg = 1000 g."
        ),
    )
    kind = forms.ChoiceField(
        label=_("How you sell it"),
        choices=ProductKind.choices,
        initial=ProductKind.ONE_OF_A_KIND,
        widget=forms.RadioSelect,
    )
    quantity = forms.IntegerField(
        label=_("Pieces in stock"),
        required=False,
        min_value=0,
        max_value=MAX_QUANTITY,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_("For “Several in stock”: how many you can send now."),
    )
    lead_time_days = forms.IntegerField(
        label=_("Days to make it"),
        required=False,
        min_value=1,
        max_value=MAX_LEAD_TIME_DAYS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_("For “Made to order”: days from the order to the parcel leaving."),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=MAX_DESCRIPTION_CHARS,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("How and by whom it is made, how to care for it."),
    )
    materials = forms.CharField(
        label=_("Materials"),
        required=False,
        max_length=_max_length("materials"),
        help_text=_("For example wool, natural dyes."),
    )
    dimensions = forms.CharField(
        label=_("Dimensions"),
        required=False,
        max_length=_max_length("dimensions"),
        help_text=_("For example 200 × 150 cm."),
    )
    # The stock the page showed: listing.update_product() does not undo a sale made since.
    stock_seen = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    # When the product was last saved, as the page showed it: another member's save since then
    # is not overwritten without a word (listing.update_product()).
    seen_at = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)

    def __init__(self, *args, hs_search_url: str = "", editing: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # An edit must say which stock its page showed; a new product has none yet.
        self.fields["stock_seen"].required = self.fields["seen_at"].required = editing
        self.details: ProductDetails | None = None
        self.fields["hs_code"].widget.attrs.update(
            {
                "list": "hs-code-suggestions",
                "autocomplete": "off",
                "spellcheck": "false",
                "dir": "ltr",  # a code reads left to right, in Arabic too
                "data-search-url": hs_search_url,
                "data-craft-codes": "craft-hs-codes",
            }
        )

    @staticmethod
    def initial_for(product: Product) -> dict:
        """The form's values for an existing product (hs_code selected with it)."""
        kind = kind_of(product)
        return {
            "title": product.title,
            "craft": product.craft_id,
            "hs_code": product.hs_code.dotted_code if product.hs_code else "",
            "price": product.price,
            "weight_grams": product.weight_grams,
            "kind": kind,
            "quantity": product.stock if kind == ProductKind.IN_STOCK else None,
            "lead_time_days": product.lead_time_days,
            "description": product.description,
            "materials": product.materials,
            "dimensions": product.dimensions,
            "stock_seen": product.stock,
            "seen_at": product.updated_at.isoformat(),
        }

    def clean_hs_code(self):
        text = self.cleaned_data["hs_code"]
        return find_subheading(text) if text else None

    def clean(self) -> dict:
        data = super().clean()
        kind = data.get("kind")
        if kind == ProductKind.IN_STOCK and data.get("quantity") is None:
            self.add_error(
                "quantity",
                ValidationError(gettext("Say how many pieces you have."), code="required"),
            )
        if kind == ProductKind.MADE_TO_ORDER and not data.get("lead_time_days"):
            self.add_error(
                "lead_time_days",
                ValidationError(
                    gettext("Say in how many days you make it and send it."), code="required"
                ),
            )
        craft = data.get("craft")
        if craft is not None and not data.get("hs_code") and "hs_code" not in self.errors:
            usual = craft.hs_code
            if usual.level == HSCodeLevel.SUBHEADING:
                data["hs_code"] = usual
            else:
                self.add_error(
                    "hs_code",
                    ValidationError(
                        gettext("This craft has no usual 6-digit code: type the product's."),
                        code="required",
                    ),
                )
        if not self.errors:
            self.details = ProductDetails(
                title=data["title"],
                description=data["description"],
                materials=data["materials"],
                dimensions=data["dimensions"],
                weight_grams=data["weight_grams"],
                price=data["price"],
                craft=craft,
                hs_code=data["hs_code"],
                kind=kind,
                quantity=data.get("quantity"),
                lead_time_days=data.get("lead_time_days"),
            )
        return data

    def craft_codes(self) -> dict[str, str]:
        """Each craft's usual code, dotted, by craft id: the page's script proposes it."""
        return {
            str(pk): f"{code[:4]}.{code[4:]}"
            for pk, code in Craft.objects.filter(hs_code__level=HSCodeLevel.SUBHEADING)
            .order_by()
            .values_list("pk", "hs_code__code")
        }


class AddPhotosForm(forms.Form):
    # The uploads as sent: listing.add_photos checks, counts and stores them one by one.
    photos = MultiplePhotoField(label=_("Add photos"), max_files=None, reencode=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["photos"].help_text = gettext(
            "JPEG, PNG or WebP; you can pick several at once, %(limit)d in all. "
            "The first photo is the one buyers see in the catalog."
        ) % {"limit": MAX_PRODUCT_PHOTOS}


class AltTextForm(forms.Form):
    alt_text = forms.CharField(
        label=_("What the photo shows"),
        required=False,
        max_length=ProductImage._meta.get_field("alt_text").max_length,
        help_text=_(
            "For buyers who cannot see it, for example “The carpet rolled out, seen from above”."
        ),
    )


class MovePhotoForm(forms.Form):
    direction = forms.ChoiceField(choices=[("earlier", _("earlier")), ("later", _("later"))])


# ---------------------------------------------------------------------------
# Reviews: the buyer's stars, text and photos; a reader's report; the cooperative's reply.
# The rules are catalog/reviews.py's: these forms only give the buyer their errors beside
# each field.
# ---------------------------------------------------------------------------
class ReviewForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Your rating"),
        choices=[(stars, stars) for stars in RATINGS],
        coerce=int,
        # Drawn as stars by catalog/review_form.html: a radio and a label per star.
        widget=forms.RadioSelect(attrs={"class": "star-input__radio"}),
        error_messages={
            "required": _("Choose from 1 to 5 stars."),
            "invalid_choice": _("Choose from 1 to 5 stars."),
        },
    )
    text = forms.CharField(
        label=_("Your review"),
        min_length=MIN_TEXT_CHARS,
        max_length=MAX_TEXT_CHARS,
        widget=forms.Textarea(attrs={"rows": 6, "dir": "auto"}),
        help_text=_(
            "What you received, its quality, how it looks at home. "
            "At least 10 characters; other buyers read it."
        ),
    )
    photos = MultiplePhotoField(
        label=_("Photos (optional)"),
        required=False,
        max_files=MAX_REVIEW_PHOTOS,
        reencode=False,  # catalog.reviews.submit_review checks and re-encodes them all
        help_text=_("Up to 3 photos of the piece at home: JPEG, PNG or WebP."),
    )


class ReviewEditForm(ReviewForm):
    photos = None  # the stars and the text only


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong with this review?"),
        choices=ReportReason.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose why the review breaks the rules."),
            "invalid_choice": _("Choose why the review breaks the rules."),
        },
    )


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Your reply"),
        min_length=MIN_REPLY_CHARS,
        max_length=MAX_REPLY_CHARS,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        help_text=_("Public, under the review, once: thank the buyer or answer their question."),
    )
