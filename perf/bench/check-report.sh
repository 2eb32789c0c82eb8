#!/usr/bin/env bash
# Loads an `embed bench quality` report.html in headless Chromium (Debian: apt-get install chromium) and checks that
# it renders: the rendered DOM holds the tables and the charts' SVG shapes, and a screenshot of the page is not blank.
# Usage: perf/bench/check-report.sh report/   (exit 0 when it renders, 1 with the reason otherwise)
set -euo pipefail
report=$(realpath "${1:?usage: check-report.sh REPORT_DIR}")/report.html
[ -f "$report" ] || { echo "no $report" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
flags=(--headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,2400)
chromium "${flags[@]}" --dump-dom "file://$report" > "$work/dom.html" 2>/dev/null
chromium "${flags[@]}" --screenshot="$work/page.png" "file://$report" >/dev/null 2>&1
/usr/bin/python3 - "$work/dom.html" "$work/page.png" <<'PY'
import re, struct, sys, zlib
dom = open(sys.argv[1], encoding="utf-8").read()
tables, rows = dom.count("<table"), dom.count("<tr")
svgs = re.findall(r"<svg[\s\S]*?</svg>", dom)
drawn = [s for s in svgs if re.search(r"<(rect|path|line|polyline)\b", s)]
png = open(sys.argv[2], "rb").read()
assert png[:8] == b"\x89PNG\r\n\x1a\n", "the screenshot is not a PNG"
chunks, i = [], 8
while i < len(png):
    length, kind = struct.unpack(">I4s", png[i:i + 8])
    if kind == b"IDAT": chunks.append(png[i + 8:i + 8 + length])
    i += 12 + length
pixels = zlib.decompress(b"".join(chunks))
distinct = len(set(pixels))
print(f"rendered DOM: {tables} tables, {rows} rows, {len(svgs)} charts ({len(drawn)} with shapes); screenshot {len(png):,} bytes, {distinct} distinct byte values")
problems = []
if tables < 2 or rows < 10: problems.append("the tables did not render")
if len(drawn) < 2: problems.append("the charts did not render")
if distinct < 16: problems.append("the screenshot is blank")
if problems: sys.exit("report does not render: " + "; ".join(problems))
print("report renders")
PY
