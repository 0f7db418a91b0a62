"""`flask --app app users add|list|disable|enable|set-password`: staff accounts."""

from __future__ import annotations

import sys

import click
from flask import Flask
from sqlalchemy import Engine

from data_access.cli import _require_current_schema
from data_access.users import (
    MIN_PASSWORD_LENGTH,
    ROLES,
    AccountError,
    add_user,
    list_users,
    set_active,
    set_password,
)


def _read_password(from_stdin: bool) -> str:
    """The password: the first line of stdin, or typed twice at a hidden prompt."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt(
        f"Password (at least {MIN_PASSWORD_LENGTH} characters)",
        hide_input=True,
        confirmation_prompt="Repeat the password",
    )


def _fail(exc: AccountError) -> None:
    click.echo(f"Error: {exc}", err=True)
    sys.exit(1)


def _when(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "never"


def register_user_commands(server: Flask, engine: Engine) -> None:
    @server.cli.group("users")
    def users() -> None:
        """Staff accounts: who may sign in at /login."""

    password_option = click.option(
        "--password-stdin",
        is_flag=True,
        help="Read the password from the first line of standard input instead of a prompt.",
    )

    @users.command("add")
    @click.argument("email")
    @click.option("--role", type=click.Choice(ROLES), default="staff", show_default=True)
    @password_option
    def add(email: str, role: str, password_stdin: bool) -> None:
        """Create an account for EMAIL (the password is asked for, never an argument)."""
        _require_current_schema(engine)
        try:
            user = add_user(engine, email, _read_password(password_stdin), role)
        except AccountError as exc:
            _fail(exc)
        click.echo(f"Added {user.email} ({user.role}).")

    @users.command("list")
    def list_command() -> None:
        """Every account: email, role, active, last sign-in."""
        _require_current_schema(engine)
        found = list_users(engine)
        if not found:
            click.echo("No accounts yet: add one with `flask --app app users add EMAIL`.")
            return
        width = max(len("email"), *(len(u.email) for u in found))
        click.echo(f"{'email':<{width}}  role   active  last sign-in")
        for user in found:
            active = "yes" if user.active else "no"
            click.echo(f"{user.email:<{width}}  {user.role:<5}  {active:<6}  {_when(user.last_sign_in_at)}")

    @users.command("disable")
    @click.argument("email")
    def disable(email: str) -> None:
        """Refuse EMAIL's sign-ins and end its open sessions."""
        _require_current_schema(engine)
        try:
            user = set_active(engine, email, False)
        except AccountError as exc:
            _fail(exc)
        click.echo(f"Disabled {user.email}: its sessions end on their next request.")

    @users.command("enable")
    @click.argument("email")
    def enable(email: str) -> None:
        """Let EMAIL sign in again (sessions opened before it was disabled stay ended)."""
        _require_current_schema(engine)
        try:
            user = set_active(engine, email, True)
        except AccountError as exc:
            _fail(exc)
        click.echo(f"Enabled {user.email}.")

    @users.command("set-password")
    @click.argument("email")
    @password_option
    def set_password_command(email: str, password_stdin: bool) -> None:
        """Give EMAIL a new password; its open sessions end."""
        _require_current_schema(engine)
        try:
            user = set_password(engine, email, _read_password(password_stdin))
        except AccountError as exc:
            _fail(exc)
        click.echo(f"New password set for {user.email}: its sessions end on their next request.")
