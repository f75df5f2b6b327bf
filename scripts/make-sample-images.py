#!/usr/bin/env python3
"""Draws the sample article's images with the standard library only, so anyone can rebuild them
byte for byte: samples/sample-article/images/{tea-field.png,steps.png}."""
import math
import pathlib
import struct
import zlib

OUT = pathlib.Path(__file__).resolve().parent.parent / "samples" / "sample-article" / "images"


def write_png(path, width, height, pixel):
    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter: none
        for x in range(width):
            rows.extend(pixel(x, y))

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(rows), 9)) + chunk(b"IEND", b"")
    path.write_bytes(data)


def tea_field(x, y):
    """Terraced hills under a pale sky: a photograph-like gradient."""
    w, h = 480, 270
    ridge = [h * (0.45 + 0.12 * k) + 10 * math.sin(x / (37 + 11 * k) + k) for k in range(4)]
    if y < ridge[0]:
        t = y / ridge[0]
        return (int(200 + 40 * t), int(225 + 20 * t), 250)
    band = sum(1 for r in ridge if y >= r)
    stripe = 18 if (int(y + 6 * math.sin(x / 23)) // 6) % 2 else 0
    return (40 + 10 * band, 110 + 25 * band - stripe, 50 + 8 * band)


def steps(x, y):
    """Three boxes joined by arrows on white: a flat diagram."""
    w, h = 420, 120
    for i in range(3):
        left = 20 + i * 140
        if left <= x < left + 100 and 30 <= y < 90:
            edge = x in (left, left + 99) or y in (30, 89)
            return (30, 30, 30) if edge else ((230, 240, 250), (250, 240, 220), (225, 245, 225))[i]
        if i == 2:
            continue
        if left + 124 <= x < left + 138 and abs(y - 60) <= (left + 138 - x) // 2:
            return (90, 90, 90)  # arrowhead, pointing right
        if left + 100 <= x < left + 126 and abs(y - 60) <= 1:
            return (90, 90, 90)
    return (255, 255, 255)


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    write_png(OUT / "tea-field.png", 480, 270, tea_field)
    write_png(OUT / "steps.png", 420, 120, steps)
