"""`flask --app app share create|list|revoke`: donor links from the command line.

    flask --app app share create '/countries/LBY?year=2022' --expires 30d [--internal] [--note TEXT]
    flask --app app share list
    flask --app app share revoke ID

`create` validates the view as its page does (pages/locked_view.py: an unknown
page or a query with a notice is refused, saying why), stores it as the
view's pinned link writes it, and prints the full link (PUBLIC_BASE_URL when
set, else this server's HOST:PORT).
"""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import AppGroup

from config import Settings
from data_access import share_links
from data_access.db import get_engine
from pages.locked_view import BadView, canonical_view
from web.donor_links import base_url, link_url

WHEN = "%Y-%m-%d %H:%M UTC"


def _when(moment) -> str:
    return moment.strftime(WHEN) if moment is not None else "-"


def share_group(settings: Settings) -> click.Group:
    """The `share` command group, bound to the app's settings."""

    @click.group("share", cls=AppGroup)
    def share() -> None:
        """Donor links: signed, expiring, revocable links to one view."""

    @share.command("create")
    @click.argument("view")
    @click.option(
        "--expires",
        default=share_links.DEFAULT_EXPIRY,
        show_default=True,
        help="How long the link works: 1d to 1y (e.g. 1d, 30d, 12w, 6m, 1y).",
    )
    @click.option("--internal", is_flag=True, help="Include internal (unpublished) figures.")
    @click.option("--note", default="", help="What the link is for (shown in `share list`).")
    @click.option("--by", "created_by", default="", help="Who makes the link (recorded).")
    def create(view: str, expires: str, internal: bool, note: str, created_by: str) -> None:
        """Make a link to VIEW ('PATH?QUERY', e.g. '/countries/LBY?year=2022') and print it."""
        try:
            duration = share_links.parse_expiry(expires)
            canonical = canonical_view(view)
            link = share_links.create(
                get_engine(), canonical, duration, internal=internal, note=note, created_by=created_by
            )
        except (share_links.ShareLinkError, BadView) as refused:
            click.echo(f"Refused: {refused}. No link was made.", err=True)
            sys.exit(1)
        click.echo(link_url(base_url(settings), current_app.secret_key, link.id))
        audience = "with internal figures" if link.internal else "published figures only"
        click.echo(f"Link {link.id} to {link.view} ({audience}), expires {_when(link.expires_at)}.", err=True)

    @share.command("list")
    def list_command() -> None:
        """Every link: id, view, internal, expiry, revoked, opens, last opened, note."""
        links = share_links.list_links(get_engine())
        if not links:
            click.echo("No donor links yet.")
            return
        header = ("id", "view", "internal", "expires", "revoked", "opens", "last opened", "note")
        rows = [
            (
                link.id,
                link.view,
                "yes" if link.internal else "no",
                _when(link.expires_at) + (" (expired)" if link.expired() else ""),
                _when(link.revoked_at),
                str(link.opens),
                _when(link.last_opened_at),
                link.note,
            )
            for link in links
        ]
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header) - 1)]
        for row in [header, *rows]:
            cells = [cell.ljust(width) for cell, width in zip(row[:-1], widths, strict=True)]
            click.echo("  ".join([*cells, row[-1]]).rstrip())

    @share.command("revoke")
    @click.argument("link_id")
    def revoke(link_id: str) -> None:
        """Withdraw the link LINK_ID at once (its readers get 'withdrawn' within seconds)."""
        link = share_links.revoke(get_engine(), link_id)
        if link is None:
            click.echo(f"Refused: there is no link {link_id[:40]!r} (see `share list`).", err=True)
            sys.exit(1)
        click.echo(f"Link {link.id} to {link.view} revoked at {_when(link.revoked_at)}.")

    return share
