#!/usr/bin/env bash
# The matrix's HTML page in a real browser: test_report_html writes the page
# of a made-up matrix, xmllint checks it parses (as XML and as HTML), and
# headless chromium renders it offline to a PNG that must be a real picture:
# a PNG of the window's size, many colours rather than one flat one, and the
# table's cell colours (risk, outcome, FAIL, grey) among them.
# Without chromium (or chromium-headless-shell) the file is skipped.
TEST_REPORT_HTML=${1:?usage: html_screenshot.sh path/to/test_report_html}
. "$(dirname "$0")/tap.sh"

browser=
for b in chromium chromium-headless-shell chromium-browser; do
	if command -v "$b" >/dev/null 2>&1; then
		browser=$(command -v "$b")
		break
	fi
done
[ -n "$browser" ] || skip_all "chromium not installed"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
html=$tmp/report.html
png=$tmp/report.png

"$TEST_REPORT_HTML" "$html" >"$tmp/unit.tap" 2>&1
ok $? "test_report_html writes the page"
[ -s "$html" ]
ok $? "the page is not empty"

if command -v xmllint >/dev/null 2>&1; then
	out=$(xmllint --noout "$html" 2>&1)
	ok $? "xmllint: well-formed XML"
	[ -z "$out" ] || diag "$out"
	# libxml2's HTML parser is HTML 4: it knows no SVG element, and says
	# so ("Tag svg invalid"); anything else is a real complaint.
	out=$(xmllint --html --noout "$html" 2>&1 | grep -E '^[^ ].*(error|warning)' |
		grep -Ev 'HTML parser error : Tag (svg|g|title|text|line|path|rect|circle|main|header|section) invalid')
	is "$out" "" "xmllint --html: no complaint but SVG and HTML5 tags it does not know"
fi

# A throwaway profile and HOME: nothing of the machine's own, nothing left.
# A network namespace of its own (loopback only, when unshare can make one):
# the page is a file, and a browser's background requests must not reach the
# host's network (host_quiet, running alongside, counts what does).
mkdir -p "$tmp/home" "$tmp/profile"
isolate=()
unshare --net true 2>/dev/null && isolate=(unshare --net)
HOME=$tmp/home timeout 60 "${isolate[@]}" "$browser" --headless --no-sandbox --disable-gpu \
	--disable-background-networking --disable-component-update --disable-sync \
	--disable-dev-shm-usage --no-first-run --disable-extensions --hide-scrollbars \
	--user-data-dir="$tmp/profile" --window-size=1280,900 \
	--screenshot="$png" "file://$html" >"$tmp/chromium.log" 2>&1
rc=$?
ok $rc "chromium renders the page (exit $rc)"
[ $rc -eq 0 ] || tail -n 20 "$tmp/chromium.log" | sed 's/^/#   /'

[ -s "$png" ]
ok $? "the screenshot exists and is not empty"
magic=$(head -c 8 "$png" 2>/dev/null | od -An -tx1 | tr -d ' \n')
is "$magic" "89504e470d0a1a0a" "it is a PNG"

if ! command -v python3 >/dev/null 2>&1; then
	size=$(stat -c %s "$png" 2>/dev/null || echo 0)
	[ "$size" -gt 20000 ]
	ok $? "no python3: at least the PNG is larger than 20 kB ($size bytes)"
	done_testing
	exit
fi

# Decode the PNG (8-bit RGB or RGBA, not interlaced, as chromium writes it)
# and say its size, how many colours it has and whether the cells' colours
# are there.
stats=$(python3 - "$png" <<'EOF' 2>&1
import struct, sys, zlib

data = open(sys.argv[1], "rb").read()
pos, idat, ihdr = 8, b"", None
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    pos += 12 + n
    if kind == b"IHDR":
        ihdr = struct.unpack(">IIBBBBB", body)
    elif kind == b"IDAT":
        idat += body
    elif kind == b"IEND":
        break
w, h, depth, ctype, _, _, interlace = ihdr
print("size=%dx%d" % (w, h))
if depth != 8 or ctype not in (2, 6) or interlace:
    print("format=unsupported depth %d type %d interlace %d" % (depth, ctype, interlace))
    sys.exit(0)
bpp = 3 if ctype == 2 else 4
stride = w * bpp
raw = zlib.decompress(idat)
prev = bytearray(stride)
colours = {}
i = 0
for y in range(h):
    f = raw[i]
    line = bytearray(raw[i + 1:i + 1 + stride])
    i += 1 + stride
    if f == 1:
        for x in range(bpp, stride):
            line[x] = (line[x] + line[x - bpp]) & 255
    elif f == 2:
        for x in range(stride):
            line[x] = (line[x] + prev[x]) & 255
    elif f == 3:
        for x in range(stride):
            left = line[x - bpp] if x >= bpp else 0
            line[x] = (line[x] + ((left + prev[x]) >> 1)) & 255
    elif f == 4:
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            pr = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
            line[x] = (line[x] + pr) & 255
    for x in range(0, stride, bpp):
        k = bytes(line[x:x + 3])
        colours[k] = colours.get(k, 0) + 1
    prev = line
print("colours=%d" % len(colours))
top = max(colours.values())
print("flat_percent=%d" % (100 * top // (w * h)))
# The table's backgrounds (src/report/html.c): risk, ok, fail, grey.
want = {"risk": (0xf6, 0xc1, 0xbb), "ok": (0xcd, 0xeb, 0xd3),
        "fail": (0xfb, 0xd6, 0xa0), "grey": (0xe3, 0xe6, 0xe9)}
for name, rgb in sorted(want.items()):
    n = sum(c for k, c in colours.items()
            if all(abs(k[j] - rgb[j]) <= 3 for j in range(3)))
    print("%s=%d" % (name, n))
EOF
)
diag "$stats"
get() { printf '%s\n' "$stats" | sed -n "s/^$1=//p"; }
is "$(get size)" "1280x900" "the screenshot has the window's size"
n=$(get colours)
[ "${n:-0}" -ge 16 ]
ok $? "not a flat picture: ${n:-0} colours"
n=$(get flat_percent)
[ "${n:-100}" -lt 98 ]
ok $? "no colour covers (nearly) all of it: the most common has ${n:-100}%"
for cls in risk ok fail grey; do
	n=$(get $cls)
	[ "${n:-0}" -ge 200 ]
	ok $? "the '$cls' cell colour is drawn (${n:-0} pixels)"
done
done_testing
