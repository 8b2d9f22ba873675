#!/usr/bin/env bash
# Assemble README.md from the head and each domain's section (each domain keeps its own text).
set -euo pipefail
cd "$(dirname "$0")/.."
{
  cat docs/README-head.md
  for section in api/matching/README-section.md api/core/README-section.md matcher/README-section.md matcher/rules/README-section.md matcher/simulate/README-section.md \
                 api/hosts/README-section.md api/storage/README-section.md maps/README-section.md \
                 api/auth/README-section.md api/shell/README-section.md api/offers/README-section.md \
                 api/stays/README-section.md; do
    echo
    cat "$section"
  done
} > README.md
