#!/usr/bin/env bash
# Documents (and reproduces) where the vendored fonts come from.
# NOT run at install or test time: its output is committed under assets/fonts/.
#
#   assets/fonts/Amiri-Regular.ttf  <- Debian's fonts-hosny-amiri, Amiri-Regular.ttf
#   assets/fonts/Amiri-Bold.ttf     <- Debian's fonts-hosny-amiri, Amiri-Bold.ttf
#   assets/fonts/Amiri-OFL.txt      <- its copyright notice and SIL Open Font License 1.1
#
# Amiri has Arabic (with the Presentation Forms the PDF brief's shaping writes)
# and Latin (digits, partners' names and acronyms in an Arabic brief), so the
# Arabic files never depend on a font of the machine: the PDF brief embeds it
# (components/brief_pdf.py), and the chart renderer's chromium is given its
# folder (components/export_render.py).
#
# Usage: scripts/vendor_fonts.sh [OUT_DIR]   (default: the repo's assets/fonts/)
# Needs: bash, apt-get (Debian's package lists: run apt-get update first), dpkg-deb, awk, sed.
set -euo pipefail

PACKAGE=fonts-hosny-amiri
VERSION=0.113-1   # Debian bookworm/trixie's when vendored

OUT_DIR=${1:-"$(cd "$(dirname "$0")/.." && pwd)/assets/fonts"}
mkdir -p "$OUT_DIR"
OUT_DIR=$(cd "$OUT_DIR" && pwd)

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
cd "$TMP"

apt-get download "$PACKAGE=$VERSION" >/dev/null   # apt verifies the package's hash
dpkg-deb -x "${PACKAGE}_${VERSION}_all.deb" x
FONTS=x/usr/share/fonts/opentype/$PACKAGE
cp "$FONTS/Amiri-Regular.ttf" "$FONTS/Amiri-Bold.ttf" "$OUT_DIR/"

# The licence: the last "License: OFL" paragraph of Debian's machine-readable
# copyright file, its one-space indent and "." blank-line markers undone.
{
  echo "Amiri: Copyright 2010-2017 Khaled Hosny <khaledhosny@eglug.org>"
  echo "Amiri-Regular.ttf and Amiri-Bold.ttf, version ${VERSION%-*}, from Debian's $PACKAGE $VERSION (scripts/vendor_fonts.sh)."
  echo "Licensed under the SIL Open Font License, Version 1.1 (below). Upstream: https://www.amirifont.org"
  echo
  awk '/^License: OFL$/ { n = NR } { line[NR] = $0 } END { for (i = n + 1; i <= NR; i++) print line[i] }' \
    "x/usr/share/doc/$PACKAGE/copyright" | sed -e 's/^ //' -e 's/^\.$//'
} > "$OUT_DIR/Amiri-OFL.txt"

ls -l "$OUT_DIR"
