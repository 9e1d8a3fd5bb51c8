"""Agreement between imprint's normalised metadata and ExifTool's (-j -n -G).

Each field is compared on the files where either tool reports a value; a file where only
one tool has a value counts as a disagreement. Strings are compared after trimming
trailing white space; numbers within a relative tolerance of 1e-6; GPS within 1e-6 degrees.
Exit status 1 when any required field (marked *) agrees on fewer than 99 % of the files
compared; the others are shown for information.
"""
import json
import os
import sys


def exif_date(value):
    if not isinstance(value, str) or len(value) < 19:
        return None
    if value[4] != ":" or value[7] != ":":
        return None
    return value[0:4] + "-" + value[5:7] + "-" + value[8:10] + "T" + value[11:19]


# field: (imprint getter, exiftool keys in order of preference, kind)
FIELDS = [
    ("Make", lambda r: r["metadata"].get("make"), ["EXIF:Make"], "text"),
    ("Model", lambda r: r["metadata"].get("model"), ["EXIF:Model"], "text"),
    ("Software", lambda r: r["metadata"].get("software"), ["EXIF:Software"], "text"),
    ("DateTimeOriginal", lambda r: r["metadata"].get("dateTimeOriginal"), ["EXIF:DateTimeOriginal"], "date"),
    ("Orientation", lambda r: r["metadata"].get("orientation"), ["EXIF:Orientation"], "number"),
    ("ExposureTime", lambda r: r["metadata"].get("exposureTime"), ["EXIF:ExposureTime"], "number"),
    ("FNumber", lambda r: r["metadata"].get("fNumber"), ["EXIF:FNumber"], "number"),
    ("ISO", lambda r: r["metadata"].get("iso"), ["EXIF:ISO"], "number"),
    ("FocalLength", lambda r: r["metadata"].get("focalLength"), ["EXIF:FocalLength"], "number"),
    ("GPSLatitude", lambda r: r["metadata"].get("gpsLatitude"), ["Composite:GPSLatitude"], "gps"),
    ("GPSLongitude", lambda r: r["metadata"].get("gpsLongitude"), ["Composite:GPSLongitude"], "gps"),
    ("ImageWidth", lambda r: r.get("width"), ["File:ImageWidth", "PNG:ImageWidth"], "number"),
    ("ImageHeight", lambda r: r.get("height"), ["File:ImageHeight", "PNG:ImageHeight"], "number"),
]
REQUIRED = {"Make", "Model", "Software", "DateTimeOriginal", "Orientation", "ExposureTime", "FNumber", "ISO",
            "FocalLength", "GPSLatitude", "GPSLongitude", "ImageWidth", "ImageHeight"}
FIELDS += [
    ("GPSAltitude", lambda r: r["metadata"].get("gpsAltitude"), ["Composite:GPSAltitude"], "number"),
    ("ExifImageWidth", lambda r: r["metadata"].get("exifWidth"), ["EXIF:ExifImageWidth"], "number"),
    ("ExifImageHeight", lambda r: r["metadata"].get("exifHeight"), ["EXIF:ExifImageHeight"], "number"),
]


def normalise(value, kind):
    if value is None:
        return None
    if kind == "text":
        text = str(value).rstrip()
        return text or None
    if kind == "date":
        return exif_date(value) if ":" in str(value)[:8] else value
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return value
    return float(value)


def agree(a, b, kind):
    if a is None or b is None:
        return a is None and b is None
    if kind in ("number", "gps"):
        if not isinstance(a, float) or not isinstance(b, float):
            return a == b
        tolerance = 1e-6 if kind == "gps" else max(1e-9, 1e-6 * max(abs(a), abs(b)))
        return abs(a - b) <= tolerance
    return a == b


def main(imprint_path, exiftool_path, root):
    ours = {}
    with open(imprint_path) as handle:
        for line in handle:
            record = json.loads(line)
            if record.get("kind") == "file" and record.get("format") not in (None, "other", "empty"):
                record.setdefault("metadata", {})
                ours[os.path.realpath(record["path"])] = record
    theirs = {os.path.realpath(item["SourceFile"]): item for item in json.load(open(exiftool_path))}
    files = sorted(set(ours) & set(theirs))
    print(f"files compared: {len(files)} (imprint {len(ours)}, exiftool {len(theirs)}) under {root}")
    print(f"{'field':18} {'compared':>8} {'agree':>6} {'agreement':>10}")
    worst = 100.0
    disagreements = []
    for name, ours_get, their_keys, kind in FIELDS:
        compared = agreed = 0
        for path in files:
            mine = normalise(ours_get(ours[path]), kind)
            other = None
            for key in their_keys:
                if key in theirs[path]:
                    other = normalise(theirs[path][key], kind)
                    break
            if mine is None and other is None:
                continue
            compared += 1
            if agree(mine, other, kind):
                agreed += 1
            else:
                disagreements.append((name, os.path.relpath(path, root), mine, other))
        share = 100.0 * agreed / compared if compared else 100.0
        if name in REQUIRED:
            worst = min(worst, share)
        print(f"{name + (' *' if name in REQUIRED else ''):18} {compared:8} {agreed:6} {share:9.1f}%")
    for name, path, mine, other in disagreements:
        print(f"  differs: {name} {path}: imprint {mine!r}, exiftool {other!r}")
    return 0 if worst >= 99.0 else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
