"""Flat, patterned crafts: knotted and flat-woven carpets, zellige, carved plaster, textiles."""

import random

from PIL import Image, ImageDraw

from marketplace.demo.drawing.canvas import (
    Colour,
    H,
    W,
    jitter,
    layer,
    shade,
    soft_shadow,
    star,
    studio,
    woven,
)

WOOL = {
    "ivory": (236, 228, 210),
    "charcoal": (48, 42, 40),
    "brown": (98, 64, 42),
    "madder": (158, 40, 44),
    "saffron": (220, 158, 44),
    "indigo": (40, 54, 112),
    "henna": (194, 92, 42),
    "teal": (32, 110, 112),
    "rose": (212, 108, 128),
    "olive": (112, 120, 52),
}
ZELLIGE = {
    "cobalt": (24, 64, 146),
    "emerald": (12, 112, 82),
    "white": (240, 237, 228),
    "black": (28, 28, 30),
    "honey": (202, 142, 44),
    "turquoise": (40, 150, 162),
    "terracotta": (170, 72, 46),
}


def draw_carpet(rng: random.Random) -> Image.Image:
    """A carpet lying on a floor: Beni Ouarain lattice, Azilal motifs, or kilim bands."""
    image = studio(rng, (214, 204, 190), jitter((150, 112, 80), rng), horizon=0.0)
    left, top, right, bottom = W * 0.12, H * 0.08, W * 0.88, H * 0.92
    soft_shadow(image, (left + 20, top + 30, right + 30, bottom + 40), 90)
    style = rng.choice(["beni_ouarain", "azilal", "kilim"])
    field = jitter(WOOL["ivory"], rng, 10) if style != "kilim" else jitter(WOOL["madder"], rng)
    rug = Image.new("RGB", (int(right - left), int(bottom - top)), field)
    pen = ImageDraw.Draw(rug)
    width, height = rug.size
    if style == "beni_ouarain":
        _diamond_lattice(pen, width, height, jitter(WOOL["charcoal"], rng), rng)
    elif style == "azilal":
        _azilal_motifs(pen, width, height, rng)
    else:
        _kilim_bands(pen, width, height, rng)
    rug = woven(rug.resize((width, height)), rng, 0.55)
    image.paste(rug, (int(left), int(top)))
    _fringes(ImageDraw.Draw(image), left, right, top, bottom, shade(field, 0.97))
    return image


def _diamond_lattice(pen: ImageDraw.ImageDraw, width: int, height: int, ink: Colour, rng):
    columns = rng.choice([2, 3, 4])
    cell_w = width / columns
    cell_h = cell_w * rng.uniform(1.2, 1.6)
    line = rng.randint(10, 18)
    y = -cell_h / 2
    while y < height + cell_h:
        for col in range(columns + 1):
            cx = col * cell_w
            diamond = [(cx, y - cell_h / 2), (cx + cell_w / 2, y), (cx, y + cell_h / 2)]
            diamond += [(cx - cell_w / 2, y)]
            pen.polygon(diamond, outline=ink, width=line)
            if rng.random() < 0.5:
                r = cell_w * 0.08
                pen.polygon([(cx, y - r), (cx + r, y), (cx, y + r), (cx - r, y)], fill=ink)
        y += cell_h / 2 if rng.random() < 0.1 else cell_h


def _azilal_motifs(pen: ImageDraw.ImageDraw, width: int, height: int, rng):
    colours = rng.sample(list(WOOL.values())[1:], 5)
    for _ in range(rng.randint(14, 26)):
        cx, cy = rng.uniform(0, width), rng.uniform(0, height)
        size = rng.uniform(width * 0.05, width * 0.16)
        colour = jitter(rng.choice(colours), rng)
        shape = rng.random()
        if shape < 0.45:
            pen.polygon(
                [(cx, cy - size), (cx + size * 0.6, cy), (cx, cy + size), (cx - size * 0.6, cy)],
                outline=colour,
                width=12,
            )
        elif shape < 0.75:
            pen.rectangle([cx - size, cy - 8, cx + size, cy + 8], fill=colour)
        else:
            for step in range(4):
                x = cx + step * size * 0.4
                pen.line(
                    [(x, cy), (x + size * 0.2, cy - size * 0.3), (x + size * 0.4, cy)],
                    fill=colour,
                    width=10,
                )


def _kilim_bands(pen: ImageDraw.ImageDraw, width: int, height: int, rng):
    colours = rng.sample(list(WOOL.values()), 5)
    y = 0.0
    while y < height:
        band = rng.uniform(height * 0.03, height * 0.1)
        colour = jitter(rng.choice(colours), rng)
        pen.rectangle([0, y, width, y + band], fill=colour)
        if band > height * 0.06:
            teeth = rng.randint(6, 12)
            tooth = width / teeth
            accent = jitter(rng.choice(colours), rng)
            for i in range(teeth):
                x = i * tooth
                pen.polygon(
                    [(x, y + band), (x + tooth / 2, y + band * 0.25), (x + tooth, y + band)],
                    fill=accent,
                )
        y += band


def _fringes(pen: ImageDraw.ImageDraw, left, right, top, bottom, colour: Colour):
    for x in range(int(left) + 6, int(right) - 4, 14):
        pen.line([(x, top), (x + 3, top - 45)], fill=colour, width=5)
        pen.line([(x, bottom), (x - 3, bottom + 45)], fill=colour, width=5)


def draw_zellige(rng: random.Random, *, carved: bool = False) -> Image.Image:
    """A zellige panel or round table of eight-point stars; monochrome relief if carved."""
    if carved:
        base = jitter((226, 214, 190), rng, 8)
        colours = [shade(base, 0.82)]
    else:
        colours = rng.sample(list(ZELLIGE.values()), 3)
        base = jitter(ZELLIGE["white"], rng, 6)
    panel = Image.new("RGB", (W, H), base)
    pen = ImageDraw.Draw(panel)
    cell = W / rng.choice([4, 5, 6])
    grout = (214, 208, 196) if not carved else shade(base, 0.62)
    rows = int(H / cell) + 2
    for row in range(rows):
        for col in range(int(W / cell) + 2):
            cx, cy = col * cell, row * cell
            outer = star(cx, cy, cell * 0.48, cell * 0.3, 8, 0.0)
            fill = jitter(colours[(row + col) % len(colours)], rng, 6)
            pen.polygon(outer, fill=fill, outline=grout, width=6)
            pen.polygon(
                star(cx, cy, cell * 0.2, cell * 0.12, 8, 0.2),
                fill=jitter(colours[-1], rng, 6),
                outline=grout,
                width=4,
            )
            cross = star(cx + cell / 2, cy + cell / 2, cell * 0.16, cell * 0.07, 4, 0.785)
            pen.polygon(
                cross, fill=shade(colours[0], 0.8) if not carved else base, outline=grout, width=4
            )
            if carved:  # relief: light from the top left
                pen.line(outer[10:14], fill=shade(base, 1.06), width=5)
    if carved or rng.random() < 0.5:
        return woven(panel, rng, 0.2)
    # A round zellige table top on a wrought-iron stand, seen from above.
    image = studio(rng, (218, 206, 186), (190, 160, 130), horizon=0.0)
    mask, mask_pen = layer()
    box = (W * 0.1, H / 2 - W * 0.4, W * 0.9, H / 2 + W * 0.4)
    soft_shadow(image, (box[0] + 30, box[1] + 40, box[2] + 40, box[3] + 50))
    mask_pen.ellipse(box, fill=(0, 0, 0, 255))
    image.paste(panel, (0, 0), mask)
    ImageDraw.Draw(image).ellipse(box, outline=(36, 34, 34), width=26)
    return image


def draw_textile(rng: random.Random) -> Image.Image:
    """A cushion or a stack of folded blankets, striped and embroidered."""
    colours = rng.sample(list(WOOL.values()), 4)
    image = studio(rng, jitter((222, 214, 200), rng), jitter((176, 150, 120), rng))
    if rng.random() < 0.5:
        return woven(_blanket_stack(image, colours, rng), rng, 0.4)
    cushion, pen = layer()
    left, top, right, bottom = W * 0.15, H * 0.3, W * 0.85, H * 0.3 + W * 0.7
    soft_shadow(image, (left, bottom - 60, right, bottom + 60))
    bulge = 40
    pen.polygon(
        [
            (left, top),
            ((left + right) / 2, top + bulge),
            (right, top),
            (right - bulge, (top + bottom) / 2),
            (right, bottom),
            ((left + right) / 2, bottom - bulge),
            (left, bottom),
            (left + bulge, (top + bottom) / 2),
        ],
        fill=(*jitter(colours[0], rng), 255),
    )
    for i in range(rng.randint(3, 6)):
        y = top + (bottom - top) * (0.15 + 0.14 * i)
        pen.rectangle(
            [left + bulge, y, right - bulge, y + 22], fill=(*jitter(colours[1 + i % 3], rng), 255)
        )
    centre_y = (top + bottom) / 2
    for step in range(5):
        cx = left + (right - left) * (0.2 + 0.15 * step)
        pen.polygon(
            [(cx, centre_y - 50), (cx + 40, centre_y), (cx, centre_y + 50), (cx - 40, centre_y)],
            outline=(*jitter(colours[3], rng), 255),
            width=10,
        )
    for x, y in ((left, top), (right, top), (left, bottom), (right, bottom)):
        pen.line(
            [(x, y), (x + (18 if x < W / 2 else -18), y + 70)], fill=colours[2] + (255,), width=14
        )
    image.paste(cushion, (0, 0), cushion)
    return woven(image, rng, 0.3)


def _blanket_stack(image: Image.Image, colours: list[Colour], rng) -> Image.Image:
    pen = ImageDraw.Draw(image)
    bottom = H * 0.86
    soft_shadow(image, (W * 0.08, bottom - 50, W * 0.92, bottom + 50))
    for i in range(rng.randint(3, 5)):
        height = rng.uniform(110, 170)
        left, right = W * 0.12 + rng.uniform(-20, 20), W * 0.88 + rng.uniform(-20, 20)
        base = jitter(colours[i % len(colours)], rng)
        pen.rounded_rectangle([left, bottom - height, right, bottom], radius=40, fill=base)
        for stripe in range(rng.randint(1, 3)):
            y = bottom - height * (0.25 + 0.25 * stripe)
            pen.rectangle(
                [left + 10, y, right - 10, y + 14], fill=jitter(colours[(i + 2) % 4], rng)
            )
        bottom -= height + 4
    return image
