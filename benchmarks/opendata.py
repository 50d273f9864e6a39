"""How long the /data/ zip takes to build from the database, and how big it is.

    DATABASE_URL=… .venv/bin/python benchmarks/opendata.py

Measures the database DATABASE_URL names as it is (seed it, or add
`manage.py generate_synthetic --scale 0.01` first). Builds twice with an empty cache, checks
both builds are the same bytes, and prints size, rows, build time, time to the first piece
handed to the client, and the time of a download served from the cache.
"""

import hashlib
import io
import json
import os
import sys
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.core.cache import caches  # noqa: E402

from ratings import opendata  # noqa: E402


def one_build():
    caches["casebook"].clear()
    started = time.perf_counter()
    first = None
    pieces = []
    for piece in opendata.stream():
        if first is None:
            first = time.perf_counter() - started
        pieces.append(piece)
    return b"".join(pieces), time.perf_counter() - started, first


data, elapsed, first = one_build()
again, elapsed_again, _ = one_build()
with zipfile.ZipFile(io.BytesIO(data)) as archive:
    package = json.loads(archive.read("datapackage.json"))
    uncompressed = sum(info.file_size for info in archive.infolist())
rows = sum(resource["rows"] for resource in package["resources"])
started = time.perf_counter()
hit = opendata.cached()
served = time.perf_counter() - started
print(f"database     {django.db.connection.vendor} {django.db.connection.settings_dict['NAME']}")
print(f"rows         {rows:,}")
print(f"zip          {len(data):,} bytes ({uncompressed:,} uncompressed)")
print(f"build        {elapsed:.2f} s and {elapsed_again:.2f} s (first piece after {first:.2f} s)")
print(f"same bytes   {data == again} (sha256 {hashlib.sha256(data).hexdigest()[:16]})")
kept = "yes" if hit else "no (over CASEBOOK_DATA_CACHE_BYTES)"
print(f"from cache   {kept}, {served * 1000:.1f} ms")
