"""Browser security headers on every response: pages, Dash's routes, assets,
exports, /healthz, cached callback responses.

- Content-Security-Policy: everything from this origin only. The only inline
  scripts that run are the ones the index page carries, allowed by their hashes:
  Dash's renderer start and clientside callbacks (`app.csp_hashes()`, Dash's public
  API for them) and the skeleton's removal (components/skeleton.py). No
  'unsafe-eval': dash-renderer and our partial plotly.js (scatter, bar,
  choropleth) need none. Styles allow 'unsafe-inline': React and plotly.js set
  style attributes and plotly.js adds <style> rules. `frame-ancestors` comes from
  FRAME_ANCESTORS ('none' by default) for deployments that embed the dashboard.
- X-Content-Type-Options: nosniff; Referrer-Policy: strict-origin-when-cross-origin.
- Strict-Transport-Security only on HTTPS requests: behind the proxy, gunicorn
  sets the scheme from X-Forwarded-Proto only for FORWARDED_ALLOW_IPS
  (gunicorn.conf.py), so `request.is_secure` cannot be claimed by a client.

Why not flask-talisman: it redirects to HTTPS and marks the session cookie
Secure by default (each to be turned off here), sets headers we do not want
(the deprecated X-XSS-Protection / Feature-Policy), and the policy must be built
after Dash's renderer and clientside scripts are final, at the first request.
These are four headers in one `after_request`.
"""

from __future__ import annotations

import base64
import hashlib

from dash import Dash
from flask import Response, request

from components.skeleton import remove_script
from config import Settings
from web.dash_adapters import PAGES_CONTENT_ID

HSTS = "max-age=31536000"


def script_hash(text: str) -> str:
    """The CSP source of an inline script with exactly this text."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def content_security_policy(app: Dash, settings: Settings) -> str:
    """The policy for this app: call it once its renderer and callbacks are final."""
    scripts = ["'self'", *app.csp_hashes(), script_hash(remove_script(PAGES_CONTENT_ID))]
    directives = {
        "default-src": "'self'",
        "script-src": " ".join(dict.fromkeys(scripts)),
        "style-src": "'self' 'unsafe-inline'",
        "img-src": "'self' data:",
        "font-src": "'self'",
        "connect-src": "'self'",
        "frame-ancestors": settings.frame_ancestors,
        "base-uri": "'self'",
        "form-action": "'self'",
        "object-src": "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def install_security_headers(app: Dash, settings: Settings) -> None:
    """Add the headers to every response of `app.server`, cached ones included."""
    policy: list[str] = []  # built at the first response, once every script is registered

    def add_headers(response: Response) -> Response:
        if not policy:
            policy.append(content_security_policy(app, settings))
        headers = response.headers
        headers["Content-Security-Policy"] = policy[0]
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        if request.is_secure:
            headers["Strict-Transport-Security"] = HSTS
        return response

    app.server.after_request(add_headers)
