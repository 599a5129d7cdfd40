"""Vessels: glazed pottery and tagines, coiled baskets, engraved trays and teapots."""

import math
import random

from PIL import Image, ImageChops, ImageDraw

from marketplace.demo.drawing.canvas import (
    Colour,
    H,
    W,
    jitter,
    layer,
    shade,
    side_light,
    soft_shadow,
    star,
    steps,
    studio,
    woven,
)

GLAZES = {
    "fes": ((236, 232, 220), [(26, 62, 150), (30, 90, 170)]),
    "safi": ((232, 220, 196), [(30, 96, 72), (180, 60, 40), (36, 60, 140)]),
    "tamegroute": ((58, 110, 56), [(40, 80, 40), (90, 140, 70)]),
    "terracotta": ((182, 98, 62), [(240, 230, 210), (40, 34, 30)]),
    "tadelakt": ((196, 120, 90), []),
}


def _profile(rng: random.Random) -> list[tuple[float, float]]:
    """Return (height fraction, half width) pairs of a vase, jar or bowl silhouette."""
    shape = rng.choice(["vase", "jar", "bowl"])
    if shape == "bowl":
        return [(t, 0.38 * math.sin(math.pi / 2 * (0.35 + 0.65 * t)) + 0.02) for t in steps()]
    neck = rng.uniform(0.09, 0.15)
    belly = rng.uniform(0.26, 0.36)
    where = rng.uniform(0.5, 0.7)
    return [
        (
            t,
            neck + (belly - neck) * math.sin(math.pi * min(1, t / where) / 2) ** 2
            if t < where
            else belly - (belly - 0.14) * ((t - where) / (1 - where)) ** 2,
        )
        for t in steps()
    ]


def draw_pottery(rng: random.Random, *, glaze: str | None = None) -> Image.Image:
    """A glazed vase, jar or bowl with painted bands, or a tagine."""
    glaze = glaze or rng.choice(["fes", "safi", "tamegroute", "terracotta"])
    body_colour, inks = GLAZES[glaze]
    image = studio(rng, jitter((226, 218, 204), rng), jitter((196, 176, 150), rng))
    if glaze != "tadelakt" and rng.random() < 0.25:
        return _tagine(image, jitter(body_colour, rng), inks, rng)
    profile = _profile(rng)
    top, bottom = H * 0.2, H * 0.8
    if profile[0][1] > 0.2:  # a bowl is shorter
        top = H * 0.45
    cx = W / 2
    left = [(cx - half * W, top + t * (bottom - top)) for t, half in profile]
    right = [(cx + half * W, top + t * (bottom - top)) for t, half in reversed(profile)]
    soft_shadow(image, (cx - W * 0.3, bottom - 40, cx + W * 0.34, bottom + 50))
    body, pen = layer()
    pen.polygon(left + right, fill=(*jitter(body_colour, rng), 255))
    paint, paint_pen = layer()
    for i, ink in enumerate(inks * 2):
        y = top + (bottom - top) * (0.12 + 0.2 * i + rng.uniform(-0.03, 0.03))
        paint_pen.rectangle([0, y, W, y + rng.randint(14, 30)], fill=(*jitter(ink, rng, 8), 255))
        if rng.random() < 0.6:
            for x in range(0, W, 60):
                paint_pen.line(
                    [(x, y + 40), (x + 30, y + 90), (x + 60, y + 40)], fill=(*ink, 255), width=8
                )
    rim = profile[0][1] * W
    pen.ellipse(
        [cx - rim, top - rim * 0.25, cx + rim, top + rim * 0.25],
        fill=(*shade(body_colour, 0.6), 255),
    )
    image.paste(body, (0, 0), body)
    inside = body.getchannel("A")
    image.paste(paint, (0, 0), ImageChops.multiply(paint.getchannel("A"), inside))
    _roundness(image, body, cx, rng)
    return woven(image, rng, 0.15)


def _roundness(image: Image.Image, body: Image.Image, cx: float, rng) -> None:
    """Give a round body a highlight on the left and a shadow on the right."""
    light, pen = layer()
    pen.ellipse([cx - W * 0.2, H * 0.3, cx - W * 0.14, H * 0.62], fill=(255, 255, 255, 50))
    image.paste(light, (0, 0), ImageChops.multiply(light.getchannel("A"), body.getchannel("A")))
    side_light(image, body)


def _tagine(image: Image.Image, colour: Colour, inks: list[Colour], rng) -> Image.Image:
    pen = ImageDraw.Draw(image)
    cx, base = W / 2, H * 0.72
    soft_shadow(image, (cx - W * 0.42, base - 30, cx + W * 0.42, base + 90))
    pen.ellipse([cx - W * 0.4, base - 50, cx + W * 0.4, base + 60], fill=shade(colour, 0.85))
    pen.polygon([(cx - W * 0.33, base), (cx, H * 0.3), (cx + W * 0.33, base)], fill=colour)
    for i, ink in enumerate(inks):
        y = base - (base - H * 0.3) * (0.2 + 0.25 * i)
        half = W * 0.33 * (y - H * 0.3) / (base - H * 0.3)
        pen.line([(cx - half, y), (cx + half, y)], fill=ink, width=18)
    pen.ellipse([cx - 28, H * 0.3 - 50, cx + 28, H * 0.3 + 6], fill=shade(colour, 0.9))
    return woven(image, rng, 0.15)


def draw_basket(rng: random.Random) -> Image.Image:
    """A coiled palm or straw basket with dyed bands and two handles."""
    straw = jitter((212, 180, 118), rng)
    dyes = rng.sample(
        [(170, 40, 50), (40, 70, 140), (30, 110, 70), (220, 150, 40), (40, 36, 34)], 2
    )
    image = studio(rng, jitter((234, 228, 216), rng), jitter((168, 140, 110), rng))
    top, bottom, cx = H * 0.4, H * 0.82, W / 2
    soft_shadow(image, (cx - W * 0.36, bottom - 40, cx + W * 0.4, bottom + 50))
    pen = ImageDraw.Draw(image)
    for side in (-1, 1):
        pen.arc(
            [
                cx + side * W * 0.2 - W * 0.12,
                top - H * 0.16,
                cx + side * W * 0.2 + W * 0.12,
                top + H * 0.06,
            ],
            180,
            360,
            fill=shade(straw, 0.8),
            width=26,
        )
    pen.polygon(
        [
            (cx - W * 0.38, top),
            (cx + W * 0.38, top),
            (cx + W * 0.28, bottom),
            (cx - W * 0.28, bottom),
        ],
        fill=straw,
    )
    y = top
    while y < bottom:  # coils
        half = W * (0.38 - 0.1 * (y - top) / (bottom - top))
        pen.line([(cx - half, y), (cx + half, y)], fill=shade(straw, 0.82), width=5)
        y += 24
    for band, dye in enumerate(dyes):
        y = top + (bottom - top) * (0.25 + 0.35 * band)
        half = W * (0.38 - 0.1 * (y - top) / (bottom - top)) - 10
        for x in range(int(cx - half), int(cx + half) - 40, 56):
            pen.polygon([(x, y + 50), (x + 28, y), (x + 56, y + 50)], fill=jitter(dye, rng, 8))
    pen.ellipse(
        [cx - W * 0.38, top - 30, cx + W * 0.38, top + 30],
        fill=shade(straw, 0.7),
        outline=shade(straw, 0.9),
        width=14,
    )
    return woven(image, rng, 0.5)


def draw_metal(rng: random.Random) -> Image.Image:
    """An engraved copper or brass tray seen from above, or a silver teapot."""
    metal = jitter(rng.choice([(184, 115, 51), (181, 150, 70), (196, 196, 200)]), rng)
    image = studio(rng, jitter((226, 216, 200), rng), jitter((120, 80, 60), rng))
    pen = ImageDraw.Draw(image)
    cx, cy = W / 2, H * 0.55
    if rng.random() < 0.5:
        base = H * 0.85
        soft_shadow(image, (cx - W * 0.3, base - 40, cx + W * 0.34, base + 40))
        pen.line([(cx + W * 0.16, cy), (cx + W * 0.36, cy - H * 0.18)], fill=metal, width=40)
        pen.arc(
            [cx - W * 0.42, cy - H * 0.2, cx - W * 0.05, cy + H * 0.12],
            90,
            270,
            fill=shade(metal, 0.8),
            width=26,
        )
        pen.polygon(
            [
                (cx - W * 0.2, base),
                (cx - W * 0.26, cy),
                (cx - W * 0.1, cy - H * 0.12),
                (cx + W * 0.1, cy - H * 0.12),
                (cx + W * 0.26, cy),
                (cx + W * 0.2, base),
            ],
            fill=metal,
        )
        pen.polygon(
            [(cx - W * 0.1, cy - H * 0.12), (cx, cy - H * 0.3), (cx + W * 0.1, cy - H * 0.12)],
            fill=shade(metal, 1.1),
        )
        pen.ellipse([cx - 26, cy - H * 0.3 - 40, cx + 26, cy - H * 0.3 + 10], fill=metal)
        for i in range(3):
            y = cy + H * 0.05 + i * 60
            pen.line([(cx - W * 0.22, y), (cx + W * 0.22, y)], fill=shade(metal, 0.75), width=6)
        pen.ellipse(
            [cx - W * 0.2, cy - H * 0.05, cx - W * 0.12, cy + H * 0.15], fill=shade(metal, 1.25)
        )
        return image
    radius = W * 0.42
    soft_shadow(image, (cx - radius + 20, cy - radius + 40, cx + radius + 40, cy + radius + 50))
    pen.ellipse(
        [cx - radius, cy - radius, cx + radius, cy + radius],
        fill=metal,
        outline=shade(metal, 0.7),
        width=20,
    )
    for ring in (0.85, 0.6, 0.3):
        r = radius * ring
        pen.ellipse([cx - r, cy - r, cx + r, cy + r], outline=shade(metal, 0.7), width=8)
    for i in range(32):
        angle = math.tau * i / 32
        pen.line(
            [
                (cx + radius * 0.6 * math.cos(angle), cy + radius * 0.6 * math.sin(angle)),
                (cx + radius * 0.85 * math.cos(angle), cy + radius * 0.85 * math.sin(angle)),
            ],
            fill=shade(metal, 0.75),
            width=5,
        )
    pen.polygon(star(cx, cy, radius * 0.28, radius * 0.14, 8), outline=shade(metal, 0.6), width=8)
    return image
