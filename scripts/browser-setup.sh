#!/usr/bin/env bash
# Browser tests need Debian's Chromium, axe-core (from npm, served locally to the test) and the
# chat page's fonts (npm @fontsource, which `make setup` installs too).
set -u
cd "$(dirname "$0")/.."
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Chromium for the browser tests (apt-get install chromium)..."
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
      || echo "Could not install Chromium; browser tests will be skipped."
  else
    echo "Chromium is not installed (/usr/bin/chromium): browser tests will be skipped. Install it with: sudo apt install chromium"
  fi
fi
if [ ! -f node_modules/axe-core/axe.min.js ] \
  || [ ! -f node_modules/@fontsource/noto-nastaliq-urdu/files/noto-nastaliq-urdu-arabic-400-normal.woff2 ] \
  || [ ! -f node_modules/@fontsource/noto-naskh-arabic/files/noto-naskh-arabic-arabic-400-normal.woff2 ]; then
  if command -v npm >/dev/null; then
    npm ci --silent --no-audit --no-fund || echo "npm ci failed; the accessibility and font tests will be skipped."
  else
    echo "npm is not installed: the accessibility test will be skipped."
  fi
fi
exit 0
