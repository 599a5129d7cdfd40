"""Other crafts: babouches, lanterns, thuya boxes, leather, jewellery, argan cosmetics."""

import math
import random

from PIL import Image, ImageDraw

from marketplace.demo.drawing.canvas import (
    H,
    W,
    glow,
    jitter,
    layer,
    shade,
    soft_shadow,
    star,
    steps,
    studio,
    woven,
)


def draw_babouche(rng: random.Random) -> Image.Image:
    """A pair of pointed leather babouches seen from above, embroidered at the toe."""
    leather = jitter(
        rng.choice([(226, 180, 60), (150, 30, 36), (210, 170, 120), (40, 34, 32), (40, 70, 130)]),
        rng,
    )
    thread = rng.choice([(236, 200, 90), (240, 236, 226), (30, 120, 90)])
    image = studio(rng, jitter((230, 222, 210), rng), jitter((200, 188, 170), rng), horizon=0.0)
    for offset, tilt in ((-0.2, 6), (0.2, -6)):
        slipper, pen = layer()
        cx, top, length, half = W * (0.5 + offset), H * 0.15, H * 0.7, W * 0.15
        outline = []
        for t in steps(40):
            width = (
                half * (math.sin(math.pi * min(t, 0.92) / 1.84) ** 0.8)
                if t < 0.5
                else half * (1 - 0.3 * (t - 0.5))
            )
            outline.append((cx + width, top + t * length))
        outline += [(2 * cx - x, y) for x, y in reversed(outline)]
        pen.polygon(outline, fill=(*leather, 255))
        pen.ellipse(
            [cx - half * 0.72, top + length * 0.42, cx + half * 0.72, top + length * 0.98],
            fill=(*shade(leather, 0.55), 255),
        )
        for i in range(6):
            y = top + length * (0.12 + 0.045 * i)
            pen.ellipse([cx - 9, y - 9, cx + 9, y + 9], fill=(*thread, 255))
        pen.line(
            [
                (cx - half * 0.5, top + length * 0.4),
                (cx, top + length * 0.3),
                (cx + half * 0.5, top + length * 0.4),
            ],
            fill=(*thread, 255),
            width=8,
        )
        box = slipper.getbbox()
        piece = slipper.crop(box).rotate(tilt, expand=True, resample=Image.Resampling.BICUBIC)
        soft_shadow(image, (cx - half, top + 40, cx + half + 30, top + length + 40), 70)
        corner = (
            int((box[0] + box[2] - piece.width) / 2),
            int((box[1] + box[3] - piece.height) / 2),
        )
        image.paste(piece, corner, piece)
    return woven(image, rng, 0.2)


def draw_lantern(rng: random.Random) -> Image.Image:
    """A pierced metal lantern hanging in the dark, lit from inside."""
    metal = jitter(rng.choice([(184, 115, 51), (181, 150, 70), (90, 86, 80)]), rng)
    image = studio(rng, jitter((44, 34, 30), rng, 6), (30, 24, 22), horizon=1.0)
    cx, top, bottom = W / 2, H * 0.25, H * 0.85
    glow(image, (cx, (top + bottom) / 2), W * 0.45, (236, 170, 80))
    pen = ImageDraw.Draw(image)
    body_mask = Image.new("L", (W, H), 0)
    pen.line([(cx, 0), (cx, top - 80)], fill=shade(metal, 0.7), width=10)
    pen.polygon([(cx - 60, top), (cx, top - 110), (cx + 60, top)], fill=metal)
    half = W * rng.uniform(0.2, 0.26)
    body = [
        (cx - half * 0.6, top),
        (cx + half * 0.6, top),
        (cx + half, top + 140),
        (cx + half, bottom - 160),
        (cx + half * 0.5, bottom),
        (cx - half * 0.5, bottom),
        (cx - half, bottom - 160),
        (cx - half, top + 140),
    ]
    pen.polygon(body, fill=metal, outline=shade(metal, 0.6), width=10)
    ImageDraw.Draw(body_mask).polygon(body, fill=255)
    light = (255, 214, 120)
    step = 46
    for y in range(int(top + 40), int(bottom - 30), step):
        for x in range(int(cx - half) + 30, int(cx + half) - 20, step):
            if body_mask.getpixel((x, y)) and body_mask.getpixel((x + 20, y + 20)):
                if (x // step + y // step) % 3 == 0:
                    pen.polygon(star(x, y, 16, 7, 8), fill=light)
                else:
                    pen.ellipse([x - 7, y - 7, x + 7, y + 7], fill=light)
    for y in (top + 140, bottom - 160):
        pen.line([(cx - half, y), (cx + half, y)], fill=shade(metal, 0.6), width=12)
    return image


def draw_wood(rng: random.Random) -> Image.Image:
    """A thuya or cedar box in three-quarter view, inlaid with lemonwood."""
    wood = jitter(rng.choice([(150, 86, 46), (170, 110, 70), (120, 70, 40)]), rng)
    inlay = jitter((232, 204, 146), rng, 8)
    image = studio(rng, jitter((230, 224, 214), rng), jitter((200, 196, 188), rng))
    pen = ImageDraw.Draw(image)
    left, right, front_top, bottom, depth = W * 0.14, W * 0.78, H * 0.5, H * 0.78, W * 0.14
    soft_shadow(image, (left, bottom - 40, right + depth, bottom + 50))
    top_face = [
        (left, front_top),
        (right, front_top),
        (right + depth, front_top - depth),
        (left + depth, front_top - depth),
    ]
    pen.polygon(top_face, fill=shade(wood, 1.12))
    pen.polygon(
        [
            (right, front_top),
            (right + depth, front_top - depth),
            (right + depth, bottom - depth),
            (right, bottom),
        ],
        fill=shade(wood, 0.7),
    )
    pen.rectangle([left, front_top, right, bottom], fill=wood)
    for i in range(14):  # grain: gentle waves across the front
        y = front_top + 70 + i * (bottom - front_top - 80) / 14
        phase, amplitude = rng.uniform(0, math.tau), rng.uniform(4, 12)
        wave = [
            (x, y + amplitude * math.sin(phase + x / 60)) for x in range(int(left), int(right), 16)
        ]
        pen.line(wave, fill=shade(wood, 0.82), width=4)
    pen.line([(left, front_top + 60), (right, front_top + 60)], fill=shade(wood, 0.6), width=6)
    cx, cy = (left + right + depth) / 2, front_top - depth / 2
    pen.polygon(
        [(x, cy + (y - cy) * 0.35) for x, y in star(cx, cy, depth * 1.4, depth * 0.7, 8)],
        fill=inlay,
    )
    pen.polygon(
        [
            (left + 20, front_top - 6),
            (right - 10, front_top - 6),
            (right + depth - 16, front_top - depth + 8),
            (left + depth + 10, front_top - depth + 8),
        ],
        outline=inlay,
        width=6,
    )
    return woven(image, rng, 0.2)


def draw_leather(rng: random.Random) -> Image.Image:
    """A stitched leather bag with a flap, or a round embroidered pouf."""
    leather = jitter(
        rng.choice([(176, 112, 60), (120, 60, 34), (150, 30, 36), (204, 160, 100)]), rng
    )
    thread = rng.choice([(236, 214, 160), (240, 236, 226), (226, 180, 60)])
    image = studio(rng, jitter((232, 226, 216), rng), jitter((190, 176, 160), rng))
    pen = ImageDraw.Draw(image)
    cx = W / 2
    if rng.random() < 0.4:
        top, bottom = H * 0.5, H * 0.85
        soft_shadow(image, (W * 0.08, bottom - 40, W * 0.92, bottom + 50))
        pen.rounded_rectangle(
            [W * 0.1, top + 60, W * 0.9, bottom], radius=90, fill=shade(leather, 0.85)
        )
        pen.ellipse([W * 0.1, top - 30, W * 0.9, top + 150], fill=leather)
        pen.polygon(star(cx, top + 60, 180, 80, 8), outline=thread, width=12)
        pen.polygon(
            [(x, top + 60 + (y - top - 60) * 0.45) for x, y in star(cx, top + 60, 330, 230, 16)],
            outline=thread,
            width=8,
        )
        return woven(image, rng, 0.25)
    top, bottom = H * 0.36, H * 0.8
    soft_shadow(image, (W * 0.12, bottom - 40, W * 0.88, bottom + 50))
    pen.arc([W * 0.22, H * 0.1, W * 0.78, top + 140], 180, 360, fill=shade(leather, 0.8), width=30)
    pen.rounded_rectangle([W * 0.14, top, W * 0.86, bottom], radius=50, fill=leather)
    pen.rounded_rectangle(
        [W * 0.18, top + 24, W * 0.82, bottom - 24], radius=40, outline=thread, width=4
    )
    flap = [
        (W * 0.14, top),
        (W * 0.86, top),
        (W * 0.86, top + 160),
        (cx, top + 300),
        (W * 0.14, top + 160),
    ]
    pen.polygon(flap, fill=shade(leather, 0.9))
    pen.polygon([(x, y) for x, y in flap], outline=thread, width=4)
    pen.ellipse([cx - 22, top + 250, cx + 22, top + 294], fill=(200, 170, 90))
    for i in range(4):
        y = top + 420 + i * 50
        pen.polygon(
            [(cx - 80, y), (cx, y - 22), (cx + 80, y), (cx, y + 22)],
            outline=shade(leather, 0.7),
            width=6,
        )
    return woven(image, rng, 0.25)


def draw_jewellery(rng: random.Random) -> Image.Image:
    """A silver necklace with amber and coral beads and an enamelled pendant, on velvet."""
    velvet = jitter(rng.choice([(40, 34, 70), (80, 24, 36), (24, 52, 48)]), rng, 8)
    image = studio(rng, velvet, shade(velvet, 0.8), horizon=1.0)
    pen = ImageDraw.Draw(image)
    silver = (206, 206, 212)
    beads = [(214, 130, 30), (190, 50, 40), silver, (30, 120, 110)]
    cx, cy, rx, ry = W / 2, H * 0.22, W * 0.38, H * 0.42
    for i in range(34):
        angle = math.pi * (0.08 + 0.84 * i / 33)
        x, y = cx - rx * math.cos(angle), cy + ry * math.sin(angle)
        r = 24 if i % 3 else 34
        colour = jitter(beads[i % len(beads)], rng, 10)
        pen.ellipse([x - r, y - r, x + r, y + r], fill=colour)
        pen.ellipse([x - r * 0.5, y - r * 0.6, x - r * 0.1, y - r * 0.2], fill=shade(colour, 1.4))
    py = cy + ry + 40
    pen.polygon(
        [(cx - 110, py), (cx + 110, py), (cx, py + 240)],
        fill=silver,
        outline=(150, 150, 156),
        width=8,
    )
    for i, colour in enumerate([(30, 120, 70), (220, 170, 40), (30, 80, 160)]):
        y = py + 40 + i * 50
        pen.ellipse([cx - 16, y - 16, cx + 16, y + 16], fill=colour)
    return image


def draw_cosmetics(rng: random.Random) -> Image.Image:
    """A bottle of argan oil with its label, soap bars and a bowl of argan kernels."""
    image = studio(rng, jitter((238, 232, 220), rng), jitter((196, 170, 130), rng))
    pen = ImageDraw.Draw(image)
    oil = jitter((214, 160, 40), rng, 10)
    cx, bottom = W * 0.38, H * 0.8
    soft_shadow(image, (cx - 180, bottom - 30, W * 0.95, bottom + 50))
    pen.rounded_rectangle([cx - 150, H * 0.34, cx + 150, bottom], radius=40, fill=oil)
    pen.rectangle([cx - 50, H * 0.22, cx + 50, H * 0.35], fill=shade(oil, 0.9))
    pen.rectangle([cx - 58, H * 0.17, cx + 58, H * 0.23], fill=(60, 40, 30))
    pen.rectangle([cx - 120, H * 0.48, cx + 120, H * 0.66], fill=(244, 238, 222))
    for i in range(3):
        y = H * 0.52 + i * 40
        pen.line([(cx - 90, y), (cx + 90 - i * 40, y)], fill=(90, 70, 50), width=10)
    pen.ellipse([cx - 110, H * 0.36, cx - 70, H * 0.46], fill=shade(oil, 1.3))
    for i in range(2):
        x, y = W * 0.62, bottom - 90 - i * 90
        pen.rounded_rectangle(
            [x, y, x + 240, y + 80],
            radius=24,
            fill=jitter((226, 200, 150), rng, 8),
            outline=(190, 160, 110),
            width=4,
        )
    bowl_x = W * 0.72
    pen.chord([bowl_x - 130, H * 0.5, bowl_x + 130, H * 0.62], 0, 180, fill=(120, 80, 50))
    for _ in range(10):
        x, y = bowl_x + rng.uniform(-90, 90), H * 0.555 + rng.uniform(-24, 4)
        pen.ellipse([x - 18, y - 12, x + 18, y + 12], fill=jitter((150, 100, 50), rng))
    return woven(image, rng, 0.15)
