"""Shared helpers for the demo pictures: a 2x canvas, studio backgrounds, shadows, noise.

Demo pictures are drawn here with Pillow; uploaded photos are only ever handled by
catalog/images.py (the demo pictures go through it too, like any upload).
"""

import functools
import math
import random

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageOps

# Drawn at twice the final size and reduced once: cheap antialiasing for polygons.
SCALE = 2
W, H = 640 * SCALE, 800 * SCALE

Colour = tuple[int, int, int]


def jitter(colour: Colour, rng: random.Random, amount: int = 14) -> Colour:
    """Return the colour nudged a little, so no two pieces are dyed exactly alike."""
    return tuple(max(0, min(255, c + rng.randint(-amount, amount))) for c in colour)


def shade(colour: Colour, factor: float) -> Colour:
    """Return the colour darker (factor < 1) or lighter (factor > 1)."""
    return tuple(max(0, min(255, round(c * factor))) for c in colour)


def gradient(size: tuple[int, int], top: Colour, bottom: Colour) -> Image.Image:
    """Return a vertical gradient from top to bottom colour."""
    grey = Image.linear_gradient("L").resize(size, Image.Resampling.BILINEAR)
    return ImageOps.colorize(grey, top, bottom)


def studio(rng: random.Random, wall: Colour, floor: Colour, horizon: float = 0.72) -> Image.Image:
    """Return a plain photo-studio background: a wall and the surface the piece stands on."""
    wall = jitter(wall, rng, 4)
    image = Image.new("RGB", (W, H))
    split = int(H * horizon)
    if split > 0:
        image.paste(gradient((W, split), shade(wall, 1.08), shade(wall, 0.9)), (0, 0))
    if split < H:
        image.paste(gradient((W, H - split), shade(floor, 0.95), shade(floor, 1.1)), (0, split))
    return image


def soft_shadow(image: Image.Image, box: tuple[float, float, float, float], strength: int = 110):
    """Darken an ellipse under an object, blurred at a small size to stay fast."""
    small = Image.new("L", (W // 8, H // 8), 0)
    ImageDraw.Draw(small).ellipse([v / 8 for v in box], fill=strength)
    mask = small.filter(ImageFilter.GaussianBlur(3)).resize((W, H), Image.Resampling.BILINEAR)
    image.paste((30, 24, 20), (0, 0), mask)


def glow(image: Image.Image, centre: tuple[float, float], radius: float, colour: Colour):
    """Add a warm blurred light around a point (lanterns)."""
    small = Image.new("L", (W // 8, H // 8), 0)
    x, y, r = centre[0] / 8, centre[1] / 8, radius / 8
    ImageDraw.Draw(small).ellipse([x - r, y - r, x + r, y + r], fill=150)
    mask = small.filter(ImageFilter.GaussianBlur(r / 2)).resize((W, H), Image.Resampling.BILINEAR)
    image.paste(colour, (0, 0), mask)


def woven(image: Image.Image, rng: random.Random, strength: float = 0.35) -> Image.Image:
    """Return the image with a fine grain, like wool, straw or clay."""
    grain = _grain(round(strength * 20)).crop((0, 0, *image.size))
    return ImageChops.add(image, grain, 1.0, -128)


@functools.cache
def _grain(level: int) -> Image.Image:
    """Zero-centred noise (128 = no change), made once per strength: it is the slow part."""
    noise = Image.effect_noise((W // 2, H // 2), 40).resize((W, H))
    noise = noise.point(lambda value: 128 + round((value - 128) * level / 40))
    return noise.convert("RGB")


def star(
    cx: float, cy: float, outer: float, inner: float, points: int = 8, turn: float = 0.0
) -> list[tuple[float, float]]:
    """Return the polygon of a star with that many points."""
    vertices = []
    for i in range(points * 2):
        radius = outer if i % 2 == 0 else inner
        angle = turn + math.pi * i / points
        vertices.append((cx + radius * math.sin(angle), cy - radius * math.cos(angle)))
    return vertices


def steps(count: int = 60) -> list[float]:
    """Return count + 1 evenly spaced fractions from 0 to 1."""
    return [i / count for i in range(count + 1)]


def layer() -> tuple[Image.Image, ImageDraw.ImageDraw]:
    """Return a transparent layer the size of the canvas and its pen."""
    image = Image.new("RGBA", (W, H), (0, 0, 0, 0))
    return image, ImageDraw.Draw(image)


def side_light(image: Image.Image, body: Image.Image) -> None:
    """Darken the right of a round body, lit from the left, inside the body's alpha."""
    ramp = Image.linear_gradient("L").rotate(90).transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    ramp = ramp.resize(image.size).point(lambda v: max(0, v - 120) // 2)
    image.paste((0, 0, 0), (0, 0), ImageChops.multiply(ramp, body.getchannel("A")))


def finish(image: Image.Image) -> Image.Image:
    """Return the picture at its final size (640 x 800, the 4:5 of product cards)."""
    return image.convert("RGB").reduce(SCALE)
