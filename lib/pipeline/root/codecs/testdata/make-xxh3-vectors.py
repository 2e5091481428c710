#!/usr/bin/python3
"""Reference XXH3-64 (seed 0) digests from Debian's python3-xxhash, for xxhash3.test.ts.

Inputs are generated, not stored: byte i of an input of length n is (i * 131 + n * 7 + 11) mod 256. The lengths
cover every branch of XXH3 (0, 1-3, 4-8, 9-16, 17-128, 129-240, and the long loop with its stripes and blocks).
Run: /usr/bin/python3 lib/pipeline/root/codecs/testdata/make-xxh3-vectors.py > lib/pipeline/root/codecs/testdata/xxh3-vectors.json
"""
import json
import xxhash

LENGTHS = [0, 1, 2, 3, 4, 5, 8, 9, 15, 16, 17, 64, 100, 128, 129, 200, 240, 241, 255, 256, 1023, 1024, 1025, 4096, 65536, 100003]


def data(n):
    return bytes((i * 131 + n * 7 + 11) % 256 for i in range(n))


print(json.dumps({"rule": "byte i of length n = (i*131 + n*7 + 11) mod 256", "vectors": [{"length": n, "xxh3_64": xxhash.xxh3_64_hexdigest(data(n))} for n in LENGTHS]}, indent=1))
