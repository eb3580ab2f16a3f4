#!/usr/bin/env bash
# Idempotent: Chromium and Debian's chromedriver (the same packages the tests use).
set -euo pipefail
cd "$(dirname "$0")/../.."
scripts/install-test-deps.sh
