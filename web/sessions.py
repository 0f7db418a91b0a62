"""Flask's signed-cookie sessions, without rebuilding the signer on every request.

Only signed-in staff have a session (web/auth.py: their account's id and stamp);
Flask still opens one on every request, building its signing serializer and
parsing the cookies each time:
about 100 µs, a fifth of a cached callback's whole cost. Here the serializer is
built once per secret key (and fallbacks), and a request without any cookie gets
an empty session at once. Cookies are signed and checked exactly as by Flask's
own interface, with the SECRET_KEY every host shares.
"""

from __future__ import annotations

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer


class ReusedSignerSessionInterface(SecureCookieSessionInterface):
    """SecureCookieSessionInterface with its serializer built once per key set,
    and no cookie parsing for a request that sends no cookie at all."""

    def __init__(self) -> None:
        self._serializers: dict[tuple, URLSafeTimedSerializer | None] = {}

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        if keys not in self._serializers:
            self._serializers[keys] = super().get_signing_serializer(app)
        return self._serializers[keys]

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if "HTTP_COOKIE" not in request.environ and app.secret_key:
            return self.session_class()  # what Flask returns when the cookie is absent
        return super().open_session(app, request)


def install_session_interface(server: Flask) -> None:
    """Use the reusing interface on `server` (called by the app factory)."""
    server.session_interface = ReusedSignerSessionInterface()
