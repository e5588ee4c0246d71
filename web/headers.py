"""Headers on every response: a Content Security Policy with a fresh nonce per request (the
one inline script, GOV.UK Frontend's `js-enabled` line in the base template, carries it;
everything else is a file from this site), no framing, no MIME sniffing, no referrer
leaving the site, HSTS when the session cookie is Secure, and `no-store` on every response
but the design system's and our own static files, since almost every page and download
shows a child."""
import secrets

from flask import Flask, current_app, g, request

STATIC_ENDPOINTS = frozenset({"static", "assets"})
HSTS = "max-age=31536000; includeSubDomains"


def nonce() -> str:
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    return g.csp_nonce


def policy(script_nonce: str) -> str:
    return "; ".join([
        "default-src 'self'",
        f"script-src 'self' 'nonce-{script_nonce}' 'report-sample'",
        "style-src 'self'",
        # bpmn-js positions its canvas, overlays and palette with style attributes.
        "style-src-attr 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


def _secure_headers(response):
    headers = response.headers
    headers["Content-Security-Policy"] = policy(nonce())
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    headers["Referrer-Policy"] = "same-origin"
    if current_app.config.get("SESSION_COOKIE_SECURE") and not current_app.debug:
        headers["Strict-Transport-Security"] = HSTS
    if request.endpoint not in STATIC_ENDPOINTS and "no-store" not in headers.get("Cache-Control", ""):
        headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    app.after_request(_secure_headers)

    @app.context_processor
    def _csp_nonce():
        return {"cspNonce": nonce()}
