#!/usr/bin/env bash
# Hash-set import at scale (docs/specs/HASH-SETS.md §1: streamed, target ≥ 100k hashes/s):
#   1. an NSRL RDSv3-shaped SQLite database of ROWS rows (FILE with uppercase sha256, sha1,
#      md5, file_name, file_size, package_id; VERSION; PKG), imported with --format nsrl;
#   2. a VICS JSON file (shape A) of MEDIA media records with MD5 and SHA1 each, imported
#      with --format vics.
# Each is compared with a reference measured in the same run: for NSRL, Python's sqlite3
# copying the same rows into an indexed table of a fresh database (what an importer must
# at least do); for VICS, Python's json.load of the whole file (the non-streaming way).
# Wall time and peak resident memory come from /usr/bin/time -v, for the whole process.
# Last, `imprint verify --skip-evidence` on the resulting case (it recomputes the SHA-256
# over every imported entry).
#
#   scripts/bench-hashsets.sh [ROWS] [MEDIA]     default 1000000 1000000
#   SCRATCH=.build-x scripts/bench-hashsets.sh   to use another build folder
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
media=${2:-1000000}
scratch=${SCRATCH:-.build}
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time (GNU time) is required for peak memory" >&2; exit 1; }
swift build -c release --scratch-path "$scratch" --product imprint >/dev/null
bin="$(swift build -c release --scratch-path "$scratch" --show-bin-path)/imprint"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "== generating $rows NSRL rows and $media VICS media records"
python3 - "$tmp" "$rows" "$media" <<'PY'
import os, random, sqlite3, sys
tmp, rows, media = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rnd = random.Random(20260314)
def hexs(n): return "%0*X" % (n * 2, rnd.getrandbits(n * 8))
db = sqlite3.connect(os.path.join(tmp, "nsrl.db"))
db.executescript("""
CREATE TABLE VERSION (version TEXT, build_set TEXT, build_date TEXT, release_date TEXT, description TEXT);
INSERT INTO VERSION VALUES ('2024.03.1', 'Modern', '2024-03-01', '2024-03-15', 'benchmark');
CREATE TABLE PKG (package_id INTEGER PRIMARY KEY, name TEXT, version TEXT);
CREATE TABLE FILE (sha256 TEXT, sha1 TEXT, md5 TEXT, crc32 TEXT, file_name TEXT, file_size INTEGER, package_id INTEGER);
""")
batch = []
for i in range(rows):
    batch.append((hexs(32), hexs(20), hexs(16), "%08X" % rnd.getrandbits(32), "file%07d.dll" % i, rnd.randrange(1, 1 << 24), rnd.randrange(1, 5000)))
    if len(batch) == 50000:
        db.executemany("INSERT INTO FILE VALUES (?, ?, ?, ?, ?, ?, ?)", batch); batch = []
db.executemany("INSERT INTO FILE VALUES (?, ?, ?, ?, ?, ?, ?)", batch)
db.commit(); db.close()
with open(os.path.join(tmp, "vics.json"), "w") as f:
    f.write('{"@odata.context":"http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/Default/$metadata#Media","value":[\n')
    for i in range(media):
        f.write('%s{"MediaID":%d,"Category":%d,"MD5":"%s","SHA1":"%s","MediaSize":%d,"IsDistributed":"false","Series":{"Name":"S%d"},"DateUpdated":"2024-03-01T10:00:00+00:00"}\n'
                % ("," if i else "", i + 1, rnd.randrange(0, 6), hexs(16), hexs(20), rnd.randrange(1, 1 << 22), i % 977))
    f.write("]}\n")
PY
ls -l "$tmp/nsrl.db" "$tmp/vics.json" | awk '{printf "  %s: %.0f MB\n", $NF, $5 / 1048576}'

measure() {  # label command... → wall seconds and peak RSS (MB) on one line
    local label=$1; shift
    /usr/bin/time -v "$@" >"$tmp/out" 2>"$tmp/time" || { cat "$tmp/out" "$tmp/time" >&2; exit 1; }
    awk -F': ' -v label="$label" '
        /Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i] }
        /User time|System time/ { cpu += $2 }
        /Maximum resident set size/ { rss = $2 / 1024 }
        END { printf "%s %.2f %.0f %.2f\n", label, s, rss, cpu }' "$tmp/time"
}

"$bin" case create "$tmp/case.imprint" --case-number BENCH --examiner bench >/dev/null
read -r _ nsrl_s nsrl_mb nsrl_cpu < <(measure imprint-nsrl "$bin" hashset import "$tmp/case.imprint" "$tmp/nsrl.db" --name NSRL --format nsrl --quiet)
read -r _ ref_s ref_mb ref_cpu < <(measure python-sqlite3 python3 -c '
import sqlite3, sys
src = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
dst = sqlite3.connect(sys.argv[2])
dst.execute("CREATE TABLE e (algorithm TEXT, value BLOB, meta TEXT)")
dst.execute("CREATE INDEX e_lookup ON e (algorithm, value)")
cur = src.execute("SELECT sha256, file_name, file_size, package_id FROM FILE")
while True:
    rows = cur.fetchmany(50000)
    if not rows: break
    dst.executemany("INSERT INTO e VALUES (?, ?, ?)",
        [("sha256", bytes.fromhex(h), "{\"fileName\":\"%s\",\"fileSize\":%d,\"packageId\":%d}" % (n, s, p)) for h, n, s, p in rows])
    dst.commit()
' "$tmp/nsrl.db" "$tmp/ref.db")
read -r _ vics_s vics_mb vics_cpu < <(measure imprint-vics "$bin" hashset import "$tmp/case.imprint" "$tmp/vics.json" --name VICS --format vics --quiet)
read -r _ json_s json_mb json_cpu < <(measure python-json.load python3 -c '
import json, sys
doc = json.load(open(sys.argv[1]))
print(len(doc["value"]))' "$tmp/vics.json")
read -r _ verify_s verify_mb verify_cpu < <(measure imprint-verify "$bin" verify "$tmp/case.imprint" --skip-evidence --quiet)
entries=$(sqlite3 "$tmp/case.imprint" "SELECT group_concat(record_count, ' ') FROM hash_sets ORDER BY id")
read -r nsrl_entries vics_entries <<<"$entries"

echo "== NSRL RDSv3: $rows rows -> $nsrl_entries entries"
printf "  imprint hashset import --format nsrl: %6.2f s wall, %6.2f s CPU, %5.0f MB peak, %8.0f rows/s wall\n" "$nsrl_s" "$nsrl_cpu" "$nsrl_mb" "$(awk "BEGIN{print $rows/$nsrl_s}")"
printf "  python sqlite3 copy into indexed table: %6.2f s wall, %6.2f s CPU, %5.0f MB peak\n" "$ref_s" "$ref_cpu" "$ref_mb"
printf "  ratio imprint / reference: %.2f× wall, %.2f× CPU\n" "$(awk "BEGIN{print $nsrl_s/$ref_s}")" "$(awk "BEGIN{print $nsrl_cpu/$ref_cpu}")"
echo "== VICS: $media media records -> $vics_entries entries (MD5 + SHA1 each)"
printf "  imprint hashset import --format vics: %6.2f s wall, %6.2f s CPU, %5.0f MB peak, %8.0f hashes/s wall\n" "$vics_s" "$vics_cpu" "$vics_mb" "$(awk "BEGIN{print $vics_entries/$vics_s}")"
printf "  python json.load (whole file, no import): %6.2f s wall, %6.2f s CPU, %5.0f MB peak\n" "$json_s" "$json_cpu" "$json_mb"
printf "  ratio imprint / json.load: %.2f× wall, %.2f× CPU, %.2f× peak memory\n" "$(awk "BEGIN{print $vics_s/$json_s}")" "$(awk "BEGIN{print $vics_cpu/$json_cpu}")" "$(awk "BEGIN{print $vics_mb/$json_mb}")"
echo "== imprint verify --skip-evidence (recomputes both sets' entry SHA-256): $verify_s s wall, $verify_cpu s CPU, $verify_mb MB peak"
echo "   (load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); wall times stretch on a shared machine, CPU times less)"
