#!/usr/bin/env bash
# Regenerates test/extract/fixtures/ from the sources in test/extract/fixtures/src/
# with real tools: LibreOffice (soffice) for the Office, OpenDocument, RTF and PDF
# files, Info-ZIP (zip) for archives, base64 for the e-mail. CI has none of these,
# so the outputs are committed and the tests only read them.
#
#   apt-get install -y libreoffice-writer-nogui libreoffice-calc-nogui libreoffice-impress-nogui zip
#   scripts/make-extract-fixtures.sh
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
out="$here/test/extract/fixtures"
src="$out/src"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# A private profile, so a running LibreOffice or another user's settings cannot interfere.
profile="-env:UserInstallation=file://$work/profile"

convert() { # convert <target[:filter[:options]]> <file>...
  local target="$1"
  shift
  soffice "$profile" --headless --convert-to "$target" --outdir "$work" "$@" >/dev/null 2>&1
}

cp "$src"/roster.csv "$src"/letter.html "$src"/claims.fods "$src"/slides.fodp "$work"/

# Documents from the HTML letter (Writer), spreadsheets from the CSV and the flat ODS, slides from the flat ODP.
convert 'docx:MS Word 2007 XML' "$work/letter.html"
convert 'odt:writer8' "$work/letter.html"
convert 'rtf:Rich Text Format' "$work/letter.html"
convert 'doc:MS Word 97' "$work/letter.html"
# CSV import: comma-separated, UTF-8, first line as is; dates are recognised as dates (US locale).
convert 'xlsx:Calc MS Excel 2007 XML' --infilter='CSV:44,34,76,1' "$work/roster.csv"
convert 'ods:calc8' --infilter='CSV:44,34,76,1' "$work/roster.csv"
convert 'xlsx:Calc MS Excel 2007 XML' "$work/claims.fods"
convert 'pptx:Impress MS PowerPoint 2007 XML' "$work/slides.fodp"
convert 'pdf:writer_pdf_Export' "$work/letter.docx"
convert 'png:writer_png_Export' "$work/letter.odt"

# A password-protected PDF (password "secret"): the extractor must say "encrypted", not fail.
mkdir -p "$work/locked"
soffice "$profile" --headless --convert-to \
  'pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},"DocumentOpenPassword":{"type":"string","value":"secret"}}' \
  --outdir "$work/locked" "$work/letter.odt" >/dev/null 2>&1

for f in letter.docx letter.odt letter.rtf letter.doc letter.pdf letter.png roster.xlsx roster.ods claims.xlsx slides.pptx; do
  cp "$work/$f" "$out/$f"
done
cp "$work/locked/letter.pdf" "$out/letter-locked.pdf"
cp "$src/roster.csv" "$src/letter.html" "$out/"

# Archives: a plain one with a nested archive and an image, and a ZipCrypto one.
(
  cd "$work"
  rm -f inner.zip bundle.zip secret.zip
  zip -q -X inner.zip roster.csv
  zip -q -X bundle.zip letter.docx roster.xlsx inner.zip letter.png
  zip -q -X -P secret secret.zip roster.csv
)
cp "$work/bundle.zip" "$work/secret.zip" "$out/"

# An e-mail as a mail client writes it: a text body, the spreadsheet in base64, and a forwarded message.
{
  printf 'From: Rep <rep@plan.example>\r\nTo: Desk <desk@clinic.example>\r\n'
  printf 'Subject: Roster for review\r\nDate: Tue, 03 Mar 2026 10:00:00 +0000\r\n'
  printf 'Message-ID: <fixture-1@plan.example>\r\nMIME-Version: 1.0\r\n'
  printf 'Content-Type: multipart/mixed; boundary="outer-boundary"\r\n\r\n'
  printf -- '--outer-boundary\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n'
  printf 'Please see the attached roster. Member ID MBR4471920.\r\n\r\n'
  printf -- '--outer-boundary\r\n'
  printf 'Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet; name="roster.xlsx"\r\n'
  printf 'Content-Disposition: attachment; filename="roster.xlsx"\r\nContent-Transfer-Encoding: base64\r\n\r\n'
  base64 -w 76 "$work/roster.xlsx" | sed 's/$/\r/'
  printf '\r\n--outer-boundary\r\nContent-Type: message/rfc822\r\n'
  printf 'Content-Disposition: attachment; filename="earlier.eml"\r\n\r\n'
  printf 'From: Desk <desk@clinic.example>\r\nTo: Rep <rep@plan.example>\r\nSubject: Earlier question\r\n'
  printf 'MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n'
  printf '<p>Patient DOB 07/30/1988, SSN 471-38-2290</p>\r\n'
  printf '\r\n--outer-boundary--\r\n'
} >"$out/message.eml"

echo "fixtures written to $out"
ls -l "$out"
