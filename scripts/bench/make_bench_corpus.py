"""Writes the benchmark corpus described in scripts/make-bench-corpus.sh."""
import hashlib
import io
import os
import shutil
import sys
from multiprocessing import Pool

import numpy as np
from PIL import Image

count, out, corpus = int(sys.argv[1]), sys.argv[2], sys.argv[3]


def sources():
    """Colour photographs of at least 400 x 300 pixels, in a fixed order."""
    found = []
    for sub in ("camera", "pdq", "synthetic/real"):
        for root, _, names in sorted(os.walk(os.path.join(corpus, sub))):
            for name in sorted(names):
                if not name.lower().endswith((".jpg", ".jpeg", ".png")):
                    continue
                path = os.path.join(root, name)
                try:
                    with Image.open(path) as im:
                        if im.mode in ("RGB", "RGBA", "P") and im.width * im.height >= 120_000:
                            found.append(path)
                except Exception:
                    pass
    return found


SOURCES = sources()
if not SOURCES:
    sys.exit("make-bench-corpus: no photographs found under " + corpus)

_noise = {}


def noise(width, height, variant):
    """A fixed sensor-like noise field per size (4 variants), made once."""
    key = (width, height, variant)
    if key not in _noise:
        rng = np.random.default_rng(1000 + 7 * variant + width)
        _noise[key] = rng.normal(0, 3.0, size=(height, width, 1)).astype(np.int16)
    return _noise[key]


def base(source, width, height, seed):
    """The source upscaled to width x height (landscape or portrait as the source) plus noise."""
    with Image.open(source) as im:
        exif = im.info.get("exif")
        rgb = im.convert("RGB")
    if rgb.width < rgb.height:
        width, height = height, width
    scaled = np.asarray(rgb.resize((width, height), Image.LANCZOS), dtype=np.int16)
    return Image.fromarray(np.clip(scaled + noise(width, height, seed % 4), 0, 255).astype(np.uint8)), exif


def plan(index):
    """(kind draw, rng) for file `index`: everything about it follows from the index."""
    rng = np.random.default_rng(index)
    return rng.random(), rng


def write(index):
    kind, rng = plan(index)
    source = SOURCES[int(rng.integers(len(SOURCES)))]
    if kind < 0.42:
        width, height = ((4032, 3024) if rng.random() < 0.5 else (3264, 2448))
        image, exif = base(source, width, height, index)
        options = {"quality": int(rng.choice([85, 90, 92, 95])), "subsampling": 2}
        if exif:
            options["exif"] = exif
        name, fmt = f"IMG_{index:06d}.jpg", "JPEG"
    elif kind < 0.67:
        image, _ = base(source, 1600, 1200, index)
        options, name, fmt = {"quality": int(rng.integers(70, 86)), "subsampling": 2}, f"msg_{index:06d}.jpg", "JPEG"
    elif kind < 0.82:
        image, _ = base(source, 1024, 768, index)
        options, name, fmt = {"quality": int(rng.integers(75, 91))}, f"resized_{index:06d}.jpg", "JPEG"
    else:
        image, _ = base(source, 1024, 768, index)
        if rng.random() < 0.3:
            image = image.convert("RGBA")
        options, name, fmt = {"compress_level": 6}, f"shot_{index:06d}.png", "PNG"
    target = os.path.join(folder(index), name)
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    # Written under a temporary name and renamed, so an interrupted run never leaves a
    # truncated file that a resumed run would keep.
    with open(target + ".part", "wb") as handle:
        handle.write(buffer.getvalue())
    os.replace(target + ".part", target)
    return target


def existing(index):
    """The file an earlier run wrote for `index`, if any (a resumed or extended corpus)."""
    directory = os.path.join(out, f"{index // 500:03d}")
    if not os.path.isdir(directory):
        return None
    for name in os.listdir(directory):
        if name.endswith(f"_{index:06d}" + os.path.splitext(name)[1]) and not name.endswith(".part"):
            return os.path.join(directory, name)
    return None


def write_once(index):
    return existing(index) or write(index)


def folder(index):
    path = os.path.join(out, f"{index // 500:03d}")
    os.makedirs(path, exist_ok=True)
    return path


DUPLICATE = 0.90  # kind draws at or above this are byte-identical copies of an earlier file


if __name__ == "__main__":
    originals = [i for i in range(count) if plan(i)[0] < DUPLICATE]
    with Pool(min(os.cpu_count() or 1, 4)) as pool:
        paths = dict(zip(originals, pool.map(write_once, originals, chunksize=4)))
    written = list(paths.values())
    for index in range(count):
        if index in paths:
            continue
        _, rng = plan(index)
        earlier = [i for i in originals if i < index] or originals
        original = paths[earlier[int(rng.integers(len(earlier)))]]
        target = os.path.join(folder(index), f"dup_{index:06d}" + os.path.splitext(original)[1])
        if not os.path.exists(target):
            shutil.copyfile(original, target)
        written.append(target)
    total = sum(os.path.getsize(p) for p in written)
    print(f"make-bench-corpus: {count} files ({count - len(originals)} duplicates), {total / 1e6:.1f} MB in {out}")
