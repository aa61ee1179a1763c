"""`flask jam ...` commands."""
import click
from flask.cli import AppGroup

from app.domain.errors import DomainError

jam = AppGroup("jam", help="Idea Jam administration.")


def _fail(error: DomainError):
    details = "; ".join(f"{k}: {v}" for k, v in error.fields.items())
    raise click.ClickException(f"{error.message}{' (' + details + ')' if details else ''}")


@jam.command("create-admin")
@click.option("--email", prompt=True)
@click.option("--name", "display_name", prompt="Display name")
@click.password_option()
def create_admin_command(email, display_name, password):
    """Create an admin account (the first one, or another)."""
    from app.domain.accounts import create_admin

    try:
        user = create_admin(email=email, display_name=display_name, password=password)
    except DomainError as error:
        _fail(error)
    click.echo(f"Admin {user.email} created.")


def init_app(app):
    app.cli.add_command(jam)
