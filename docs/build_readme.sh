#!/usr/bin/env bash
# Rebuild the documentation pages that come from each package's README-section.md
# (docs/ontwikkelaars/onderdelen/). README.md itself is written by hand; the name of this
# script stays because it is what everyone runs after editing a section.
set -euo pipefail
cd "$(dirname "$0")/.."
exec python3 docs/build_docs.py
