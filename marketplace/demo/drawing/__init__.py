"""Pictures of crafts for the demo catalog, drawn with Pillow so the site looks alive."""

import random
from collections.abc import Callable
from io import BytesIO

from PIL import Image, ImageDraw, ImageFont

from marketplace.demo.drawing.canvas import finish, star
from marketplace.demo.drawing.flat import draw_carpet, draw_textile, draw_zellige
from marketplace.demo.drawing.objects import (
    draw_babouche,
    draw_cosmetics,
    draw_jewellery,
    draw_lantern,
    draw_leather,
    draw_wood,
)
from marketplace.demo.drawing.vessels import draw_basket, draw_metal, draw_pottery

DRAWERS: dict[str, Callable[[random.Random], Image.Image]] = {
    "carpet": draw_carpet,
    "zellige": draw_zellige,
    "stone": lambda rng: draw_zellige(rng, carved=True),
    "textile": draw_textile,
    "pottery": draw_pottery,
    "pottery_fes": lambda rng: draw_pottery(rng, glaze="fes"),
    "pottery_safi": lambda rng: draw_pottery(rng, glaze="safi"),
    "pottery_tamegroute": lambda rng: draw_pottery(rng, glaze="tamegroute"),
    "pottery_terracotta": lambda rng: draw_pottery(rng, glaze="terracotta"),
    "tadelakt": lambda rng: draw_pottery(rng, glaze="tadelakt"),
    "basket": draw_basket,
    "babouche": draw_babouche,
    "lantern": draw_lantern,
    "metal": draw_metal,
    "wood": draw_wood,
    "leather": draw_leather,
    "jewellery": draw_jewellery,
    "cosmetics": draw_cosmetics,
}
KINDS = tuple(DRAWERS)


def product_pictures(kind: str, rng: random.Random, count: int) -> list[bytes]:
    """Return count JPEG pictures of one piece: the whole piece, then close-ups."""
    picture = finish(DRAWERS.get(kind, draw_textile)(rng))
    pictures = [picture]
    for _ in range(count - 1):
        # A close-up of the same piece, as a seller's second and third photos usually are.
        zoom = rng.uniform(0.45, 0.65)
        width, height = int(picture.width * zoom), int(picture.height * zoom)
        # Near the middle, where the piece is.
        left = int((picture.width - width) * rng.uniform(0.3, 0.7))
        top = int((picture.height - height) * rng.uniform(0.35, 0.75))
        crop = picture.crop((left, top, left + width, top + height))
        pictures.append(crop.resize(picture.size, Image.Resampling.BICUBIC))
    return [_jpeg(image) for image in pictures]


def logo_picture(initials: str, colour: tuple[int, int, int], rng: random.Random) -> bytes:
    """Return a round PNG badge with the cooperative's initials over an eight-point star."""
    size = 1024
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    pen.ellipse([16, 16, size - 16, size - 16], fill=(*colour, 255))
    pen.ellipse([60, 60, size - 60, size - 60], outline=(246, 238, 220, 255), width=18)
    light = (*tuple(min(255, c + 40) for c in colour), 255)
    pen.polygon(star(size / 2, size / 2, 360, 250, 8, rng.choice([0.0, 0.39])), fill=light)
    font = ImageFont.load_default(size=300)
    pen.text((size / 2, size / 2), initials, font=font, anchor="mm", fill=(252, 248, 238, 255))
    buffer = BytesIO()
    image.resize((512, 512), Image.Resampling.LANCZOS).save(buffer, "PNG")
    return buffer.getvalue()


def _jpeg(image: Image.Image) -> bytes:
    buffer = BytesIO()
    image.save(buffer, "JPEG", quality=92)
    return buffer.getvalue()
