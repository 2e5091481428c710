#!/usr/bin/env python3
"""Writes app/favicon.ico: HEP Arena's icon (a white H and an orange dot on the accent blue) at 16, 32 and 48 px,
as PNG images inside one ICO file. Pure Python (zlib), so `python3 scripts/generate-favicon.py` needs nothing else."""
import math
import struct
import zlib
from pathlib import Path

ACCENT = (11, 92, 173)
WHITE = (255, 255, 255)
ORANGE = (240, 160, 40)


def pixel(size: int, x: int, y: int):
    """Colour and coverage of pixel (x, y), sampled 4×4 for smooth edges."""
    samples = []
    for sy in range(4):
        for sx in range(4):
            u = (x + (sx + 0.5) / 4) / size
            v = (y + (sy + 0.5) / 4) / size
            samples.append(shade(u, v))
    alpha = sum(1 for s in samples if s is not None) / len(samples)
    if alpha == 0:
        return (0, 0, 0, 0)
    colours = [s for s in samples if s is not None]
    r, g, b = (round(sum(c[i] for c in colours) / len(colours)) for i in range(3))
    return (r, g, b, round(255 * alpha))


def shade(u: float, v: float):
    """The drawing in unit coordinates: rounded square, the letter H, a dot in the corner."""
    radius = 0.2
    dx = max(radius - u, u - (1 - radius), 0)
    dy = max(radius - v, v - (1 - radius), 0)
    if dx * dx + dy * dy > radius * radius:
        return None
    if math.hypot(u - 0.78, v - 0.24) < 0.09:
        return ORANGE
    stroke = 0.13
    left = 0.2 <= u <= 0.2 + stroke and 0.2 <= v <= 0.8
    right = 0.8 - stroke <= u <= 0.8 and 0.2 <= v <= 0.8
    bar = 0.2 <= u <= 0.8 and 0.44 <= v <= 0.56
    if left or right or bar:
        return WHITE
    return ACCENT


def png(size: int) -> bytes:
    rows = b''.join(b'\x00' + b''.join(bytes(pixel(size, x, y)) for x in range(size)) for y in range(size))
    chunk = lambda kind, data: struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data) & 0xFFFFFFFF)
    header = struct.pack('>IIBBBBB', size, size, 8, 6, 0, 0, 0)
    return b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', header) + chunk(b'IDAT', zlib.compress(rows, 9)) + chunk(b'IEND', b'')


def ico(sizes) -> bytes:
    images = [png(s) for s in sizes]
    out = struct.pack('<HHH', 0, 1, len(images))
    offset = 6 + 16 * len(images)
    for size, data in zip(sizes, images):
        out += struct.pack('<BBBBHHII', size % 256, size % 256, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
    return out + b''.join(images)


if __name__ == '__main__':
    target = Path(__file__).resolve().parent.parent / 'app' / 'favicon.ico'
    target.write_bytes(ico([16, 32, 48]))
    print(f'wrote {target} ({target.stat().st_size} bytes)')
