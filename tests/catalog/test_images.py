import time
from io import BytesIO

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import ExifTags, Image

from artisans.images import NewFiles, reencode_logo
from artisans.models import CooperativePhoto
from catalog.images import (
    CARD_SIZE,
    THUMBNAIL_SIZE,
    add_product_image,
    clean_image_upload,
    delete_product_image,
)
from catalog.models import ProductImage
from tests.images import encoded, files_under, oversized_png, phone_jpeg, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


# --- accepted files ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "name", "mode"),
    [("JPEG", "a.jpg", "RGB"), ("PNG", "a.png", "RGBA"), ("WEBP", "a.webp", "RGB")],
)
def test_add_product_image_stores_original_card_and_thumbnail(product, media_root, fmt, name, mode):
    photo = add_product_image(product, upload(encoded(fmt, mode=mode), name), alt_text="Carpet")

    photo.refresh_from_db()
    assert (photo.width, photo.height) == (640, 480)
    assert photo.alt_text == "Carpet"
    assert photo.position == 0
    for field, size in (("image", (640, 480)), ("card", CARD_SIZE), ("thumbnail", THUMBNAIL_SIZE)):
        stored = Image.open(media_root / getattr(photo, field).name)
        assert stored.format == "JPEG"
        assert stored.mode == "RGB"
        assert stored.size == size
    assert photo.image.name.startswith("products/")
    assert photo.card.name.startswith("products/card/")
    assert photo.thumbnail.name.startswith("products/thumb/")
    assert len(files_under(media_root)) == 3


def test_reencoding_drops_exif_and_gps_and_applies_the_orientation(product, media_root):
    original = phone_jpeg()
    assert Image.open(BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)

    photo = add_product_image(product, upload(original))

    stored_bytes = (media_root / photo.image.name).read_bytes()
    stored = Image.open(BytesIO(stored_bytes))
    assert stored.size == (600, 800)  # turned upright
    assert (photo.width, photo.height) == (600, 800)
    assert not stored.getexif()
    assert b"Exif" not in stored_bytes
    assert b"Souk test phone" not in stored_bytes


def test_large_photo_is_bounded_to_2000_pixels(product, media_root):
    photo = add_product_image(product, upload(encoded("JPEG", (4000, 3000))))

    assert (photo.width, photo.height) == (2000, 1500)
    assert Image.open(media_root / photo.image.name).size == (2000, 1500)


def test_png_with_html_appended_is_stored_without_the_tail(product, media_root):
    content = encoded("PNG") + b"<html><script>alert(1)</script></html>"

    photo = add_product_image(product, upload(content, "a.png"))

    assert b"<script>" not in (media_root / photo.image.name).read_bytes()


def test_transparent_png_is_flattened_on_white(product, media_root):
    buffer = BytesIO()
    Image.new("RGBA", (200, 200), (0, 0, 0, 0)).save(buffer, "PNG")

    photo = add_product_image(product, upload(buffer.getvalue(), "a.png"))

    pixel = Image.open(media_root / photo.image.name).getpixel((100, 100))
    assert all(channel > 245 for channel in pixel)


def test_sixteen_bit_grey_png_keeps_its_tones(product, media_root):
    buffer = BytesIO()
    Image.new("I;16", (100, 100), 32768).save(buffer, "PNG")

    photo = add_product_image(product, upload(buffer.getvalue(), "a.png"))

    pixel = Image.open(media_root / photo.image.name).getpixel((50, 50))
    assert all(120 < channel < 136 for channel in pixel)


def test_next_photo_goes_after_the_last(product):
    first = add_product_image(product, upload(encoded("JPEG")))
    second = add_product_image(product, upload(encoded("JPEG")))

    assert (first.position, second.position) == (0, 1)
    assert list(product.images.all()) == [first, second]


# --- refused files ----------------------------------------------------------------------


REFUSED = {
    "tiff renamed .jpg": (lambda: (encoded("TIFF"), "photo.jpg"), "invalid_image_format"),
    "bmp": (lambda: (encoded("BMP"), "photo.bmp"), "invalid_image_format"),
    "gif": (lambda: (encoded("GIF", mode="P"), "photo.gif"), "invalid_image_format"),
    "ico renamed .png": (lambda: (encoded("ICO", (64, 64)), "a.png"), "invalid_image_format"),
    "svg": (
        lambda: (b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>', "a.svg"),
        "invalid_image_format",
    ),
    "ppm": (lambda: (encoded("PPM"), "photo.jpg"), "invalid_image_format"),
    "text named .png": (
        lambda: (b"hello, this is not a picture\n" * 20, "a.png"),
        "invalid_image_format",
    ),
    "random bytes": (lambda: (bytes(range(256)) * 40, "a.jpg"), "invalid_image_format"),
    "empty": (lambda: (b"", "a.jpg"), "empty_file"),
    "truncated jpeg": (
        lambda: (encoded("JPEG", (800, 800), quality=95)[:6000], "a.jpg"),
        "corrupt_image",
    ),
    "11 MB": (lambda: (encoded("JPEG") + bytes(11 * 1024 * 1024), "a.jpg"), "file_too_large"),
    "12000x12000 png": (lambda: (oversized_png(12000, 12000), "a.png"), "too_many_pixels"),
    "20000x20000 png": (
        lambda: (oversized_png(20000, 20000, rows=False), "a.png"),
        "too_many_pixels",
    ),
}
MESSAGES = {
    "invalid_image_format": "This file is not a JPEG, PNG or WebP image.",
    "empty_file": "The file is empty.",
    "corrupt_image": "This image is damaged or incomplete and cannot be read.",
    "file_too_large": "a photo can be at most 10.0\xa0MB",
    "too_many_pixels": "the limit is 40",
}


@pytest.mark.parametrize("case", REFUSED)
def test_refused_upload_leaves_nothing_behind(product, media_root, case):
    make, code = REFUSED[case]
    content, name = make()

    with pytest.raises(ValidationError) as refused:
        add_product_image(product, upload(content, name))

    assert refused.value.code == code
    assert MESSAGES[code] in refused.value.messages[0]
    assert not ProductImage.objects.exists()
    assert files_under(media_root) == []


def test_pixel_bomb_is_refused_from_its_header_quickly_naming_size_and_limit():
    bomb = oversized_png(12000, 12000)
    assert len(bomb) < 100_000

    started = time.perf_counter()
    with pytest.raises(ValidationError) as refused:
        clean_image_upload(upload(bomb, "a.png"))
    elapsed = time.perf_counter() - started

    assert elapsed < 0.2
    assert refused.value.messages == [
        "This image is 12000 × 12000 pixels (144.0 megapixels); the limit is 40.0 megapixels. "
        "Resize it and upload it again."
    ]


def test_limits_are_read_from_settings_when_used(settings):
    settings.SOUK_MAX_UPLOAD_PIXELS = 20_000
    clean_image_upload(upload(encoded("PNG", (200, 100)), "a.png"))

    with pytest.raises(ValidationError, match="200 × 101 pixels"):
        clean_image_upload(upload(encoded("PNG", (200, 101)), "a.png"))

    settings.SOUK_MAX_UPLOAD_BYTES = 100
    with pytest.raises(ValidationError) as refused:
        clean_image_upload(upload(encoded("PNG", (200, 100)), "a.png"))
    assert refused.value.code == "file_too_large"


def test_clean_image_upload_works_as_a_form_validator():
    class LogoForm(forms.Form):
        logo = forms.FileField(validators=[clean_image_upload])

    good = LogoForm(files={"logo": upload(encoded("WEBP"), "logo.webp")})
    bad = LogoForm(files={"logo": upload(encoded("BMP"), "logo.jpg")})

    assert good.is_valid()
    assert not bad.is_valid()
    assert "This file is not a JPEG, PNG or WebP image." in bad.errors["logo"][0]


def test_failure_while_writing_the_row_removes_the_written_files(product, media_root):
    product.delete()  # the row insert fails on the missing product

    with pytest.raises(Exception):  # noqa: B017, PT011 - the database's own integrity error
        add_product_image(product, upload(encoded("JPEG")))

    assert not ProductImage.objects.exists()
    assert files_under(media_root) == []


def test_a_failed_write_removes_the_renditions_written_before_it(product, media_root, monkeypatch):
    storage = ProductImage._meta.get_field("thumbnail").storage
    save = storage.save

    def save_but_the_thumbnail(name, content, **kwargs):
        if name.startswith("products/thumb/"):
            raise OSError("No space left on device")
        return save(name, content, **kwargs)

    monkeypatch.setattr(storage, "save", save_but_the_thumbnail)

    with pytest.raises(OSError, match="No space left"):
        add_product_image(product, upload(encoded("JPEG")))

    assert not ProductImage.objects.exists()
    assert files_under(media_root) == []


def test_new_files_stay_when_their_block_succeeds(media_root):
    with NewFiles() as files:
        names = files.write(CooperativePhoto, {"image": ContentFile(encoded(), name="a.png")})

    assert names["image"].endswith(".png")
    assert files_under(media_root) == [media_root / names["image"]]


# --- deleting and logos -----------------------------------------------------------------


def test_delete_product_image_removes_row_and_files_after_commit(
    product, media_root, django_capture_on_commit_callbacks
):
    photo = add_product_image(product, upload(encoded("JPEG")))
    assert len(files_under(media_root)) == 3

    with django_capture_on_commit_callbacks(execute=True):
        delete_product_image(photo)

    assert not ProductImage.objects.exists()
    assert files_under(media_root) == []


def test_delete_keeps_files_another_photo_still_uses(
    product, media_root, django_capture_on_commit_callbacks
):
    photo = add_product_image(product, upload(encoded("JPEG")))
    sharing = ProductImage.objects.create(
        product=product,
        image=photo.image.name,
        card=photo.card.name,
        thumbnail=photo.thumbnail.name,
    )

    with django_capture_on_commit_callbacks(execute=True):
        delete_product_image(photo)

    assert list(ProductImage.objects.all()) == [sharing]
    assert len(files_under(media_root)) == 3


def test_reencode_logo_keeps_transparency_and_bounds_the_size():
    buffer = BytesIO()
    Image.new("RGBA", (1024, 800), (200, 30, 30, 0)).save(buffer, "PNG")

    logo = reencode_logo(upload(buffer.getvalue(), "logo.png"))

    assert logo.name == "logo.png"
    stored = Image.open(BytesIO(logo.read()))
    assert stored.format == "PNG"
    assert stored.mode == "RGBA"
    assert stored.size == (512, 400)


def test_reencode_logo_refuses_what_photos_refuse():
    with pytest.raises(ValidationError) as refused:
        reencode_logo(upload(encoded("TIFF"), "logo.jpg"))

    assert refused.value.code == "invalid_image_format"
