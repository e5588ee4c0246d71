#!/usr/bin/env bash
# Front-end assets come from npm, pinned by package.json and package-lock.json: install them
# exactly (npm ci) and copy what the pages load into web/static (git-ignored, made here).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v npm >/dev/null 2>&1; then
  echo "npm not found: installing Debian's nodejs and npm with apt" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q nodejs npm
fi
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error  # no install scripts: none is needed, and @scarf/scarf (of swagger-ui-dist) would phone home

STATIC=web/static
GOVUK=node_modules/govuk-frontend/dist/govuk
BPMN=node_modules/bpmn-js/dist
SWAGGER=node_modules/swagger-ui-dist
rm -rf "$STATIC/govuk-frontend" "$STATIC/bpmn-js" "$STATIC/swagger-ui"
mkdir -p "$STATIC/govuk-frontend" "$STATIC/bpmn-js" "$STATIC/swagger-ui"
cp "$GOVUK/govuk-frontend.min.css" "$GOVUK/govuk-frontend.min.js" "$STATIC/govuk-frontend/"
cp -R "$GOVUK/assets" "$STATIC/govuk-frontend/assets"
cp "$BPMN/bpmn-navigated-viewer.production.min.js" "$BPMN/bpmn-modeler.production.min.js" "$STATIC/bpmn-js/"
cp -R "$BPMN/assets" "$STATIC/bpmn-js/assets"
# The API's browsable page (/api/v1/docs) loads Swagger UI from here, never from a CDN.
cp "$SWAGGER/swagger-ui-bundle.js" "$SWAGGER/swagger-ui-standalone-preset.js" "$SWAGGER/swagger-ui.css" "$SWAGGER/favicon-32x32.png" "$STATIC/swagger-ui/"
echo "front-end assets copied into $STATIC (govuk-frontend, bpmn-js, swagger-ui)"
