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


@jam.command("seed-demo")
def seed_demo_command():
    """Fill an empty database with a bilingual demo jam (does nothing if campaigns exist)."""
    from app.demo import demo_accounts_present, demo_present, seed_demo

    if demo_present():
        click.echo("Demo data already present: the database has campaigns, so nothing was added.")
        if not demo_accounts_present():
            click.echo("(The demo accounts are not in this database.)")
            return
    else:
        click.echo("Seeding the demo jam: people, campaigns, ideas, comments and votes...")
        try:
            summary = seed_demo()
        except DomainError as error:
            _fail(error)
        click.echo(
            f"Demo jam seeded in {summary.seconds:.1f} s: {summary.people} people, "
            f"{summary.campaigns} campaigns, {summary.ideas} ideas, {summary.comments} comments, "
            f"{summary.votes} votes."
        )
    _echo_demo_logins()


@jam.command("backup")
@click.argument("destination", type=click.Path(dir_okay=False))
def backup_command(destination):
    """Copy the SQLite database to DESTINATION while the app keeps running."""
    from app.backup import BackupError, backup_sqlite, sqlite_path
    from app.extensions import db

    try:
        backup_sqlite(sqlite_path(db.engine), destination)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Backed up to {destination}.")


@jam.command("restore")
@click.argument("source", type=click.Path(dir_okay=False))
def restore_command(source):
    """Restore a backup into this (empty) SQLite database, then migrate it to the latest schema."""
    from flask_migrate import upgrade

    from app.backup import BackupError, restore_sqlite, sqlite_path
    from app.extensions import db

    try:
        target = sqlite_path(db.engine)
        db.engine.dispose()
        restore_sqlite(source, target)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    upgrade()
    click.echo(f"Restored {source}.")


@jam.command("fingerprint")
def fingerprint_command():
    """Print each table's row count and checksum (to compare a restore with its original)."""
    from app.backup import fingerprints
    from app.extensions import db

    with db.engine.connect() as connection:
        for table, (count, digest) in fingerprints(connection).items():
            click.echo(f"{table}\t{count}\t{digest}")


@jam.command("seed-scale")
@click.option("--ideas", type=click.IntRange(min=1), default=46_000, show_default=True,
              help="Ideas; people, votes and comments follow in proportion unless given.")
@click.option("--people", type=click.IntRange(min=20), default=None,
              help="People (default: 150,000 per 46,000 ideas).")
@click.option("--votes", type=click.IntRange(min=0), default=None,
              help="Up and down votes (default: 1,000,000 per 46,000 ideas).")
@click.option("--comments", type=click.IntRange(min=0), default=None,
              help="Comments (default: 200,000 per 46,000 ideas).")
@click.option("--hot-comments", type=click.IntRange(min=0), default=300, show_default=True,
              help="Comments on the most discussed idea (at most a quarter of all comments).")
@click.option("--seed", type=int, default=46, show_default=True, help="Random seed: same seed, same jam.")
def seed_scale_command(ideas, people, votes, comments, hot_comments, seed):
    """Fill an empty, migrated database with a jam-sized crowd for benchmarks (minutes, not hours)."""
    from app.jamscale import ScaleSeedRefused, ScaleSpec, seed_scale

    spec = ScaleSpec.scaled(ideas, people=people, votes=votes, comments=comments,
                            hot_comments=hot_comments, seed=seed)
    click.echo(f"Seeding a jam of {spec.people:,} people, {spec.ideas:,} ideas, {spec.votes:,} votes and "
               f"{spec.comments:,} comments (seed {spec.seed})...")
    try:
        summary = seed_scale(spec, echo=click.echo)
    except ScaleSeedRefused as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Seeded in {summary.seconds:.1f} s:")
    for name, count in summary.counts.items():
        click.echo(f"  {count:>12,}  {name}")
    click.echo("Campaigns:")
    for campaign_id, slug, title, published in summary.campaigns:
        click.echo(f"  #{campaign_id} /c/{slug}  {title} ({published:,} published ideas)")
    if summary.hot_idea_id:
        click.echo(f"Most discussed: idea #{summary.hot_idea_id} ({summary.hot_comments} comments).")
    click.echo("Logins (one shared password):")
    for label, email in summary.logins:
        click.echo(f"  {label:<10} {email}  {summary.password}")
    click.echo("Every participant account shares that password too; never seed a database strangers can reach.")


@jam.command("rebuild-activity")
def rebuild_activity_command():
    """Recompute every dashboard tally from the raw rows (after a bulk import, or to repair)."""
    import time

    from app.domain.activity import rebuild_activity
    from app.extensions import db

    started = time.perf_counter()
    rebuild_activity()
    db.session.commit()
    click.echo(f"Dashboard tallies rebuilt from the rows in {time.perf_counter() - started:.1f} s.")


@jam.command("refresh-themes")
@click.argument("slug", required=False)
def refresh_themes_command(slug):
    """Work out the themes and likely duplicates of campaign SLUG (of every campaign without
    SLUG) now; open pages follow when SOCKETIO_MESSAGE_QUEUE is set."""
    from sqlalchemy import select

    from app.domain import themes
    from app.extensions import db
    from app.models import Campaign

    if slug:
        campaign_id = db.session.scalar(select(Campaign.id).where(Campaign.slug == slug))
        if campaign_id is None:
            raise click.ClickException(f"No campaign with the slug {slug}.")
        campaign_ids = [campaign_id]
    else:
        campaign_ids = list(db.session.scalars(select(Campaign.id).order_by(Campaign.id)))
    for campaign_id in campaign_ids:
        result = themes.refresh_themes(campaign_id)
        title = db.session.get(Campaign, campaign_id).title
        if result is None:
            click.echo(f"{title}: changed meanwhile; run again.")
        else:
            click.echo(f"{title}: {result.themes} themes from {result.ideas:,} ideas "
                       f"in {result.seconds:.1f} s.")


def _echo_demo_logins():
    from app.demo import DEMO_LOGINS, DEMO_PASSWORD

    click.echo("")
    click.echo("Demo logins (every demo account shares one password):")
    width = max(_display_width(label) for label, _ in DEMO_LOGINS)
    email_width = max(len(email) for _, email in DEMO_LOGINS)
    for label, email in DEMO_LOGINS:
        padding = " " * (width - _display_width(label))
        click.echo(f"  {label}{padding}  {email:<{email_width}}  {DEMO_PASSWORD}")
    click.echo("The password is public: never seed a database that strangers can reach.")


def _display_width(text):
    """Terminal columns: Chinese characters take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


campaign_group = AppGroup("campaign", help="Open, extend or close a campaign now.")
jam.add_command(campaign_group)


def _actor(email):
    from app.domain.accounts import find_user_by_email

    user = find_user_by_email(email)
    if user is None or not user.active:
        raise click.ClickException(f"No active account with the email {email}.")
    return user


def _run_phase_change(change, slug, by, **kwargs):
    """Run a phase change as a named moderator or admin; live viewers hear of it through the
    message queue when SOCKETIO_MESSAGE_QUEUE is set."""
    from app.domain.campaigns import campaign_phase

    try:
        campaign = change(_actor(by), slug, **kwargs)
    except DomainError as error:
        _fail(error)
    click.echo(f"{campaign.title}: {campaign_phase(campaign).value} "
               f"({campaign.starts_at:%Y-%m-%d %H:%M} to {campaign.ends_at:%Y-%m-%d %H:%M} UTC)")


@campaign_group.command("open")
@click.argument("slug")
@click.option("--by", required=True, help="Email of the moderator or admin acting.")
def open_campaign_command(slug, by):
    """Open an upcoming campaign now."""
    from app.domain.campaigns import open_campaign_early

    _run_phase_change(open_campaign_early, slug, by)


@campaign_group.command("close")
@click.argument("slug")
@click.option("--by", required=True, help="Email of the moderator or admin acting.")
def close_campaign_command(slug, by):
    """Close an open campaign now."""
    from app.domain.campaigns import close_campaign

    _run_phase_change(close_campaign, slug, by)


@campaign_group.command("extend")
@click.argument("slug")
@click.option("--until", "ends_at", required=True,
              help="The new end, ISO 8601 with a time zone, e.g. 2026-12-01T18:00+08:00.")
@click.option("--by", required=True, help="Email of the moderator or admin acting.")
def extend_campaign_command(slug, ends_at, by):
    """Move a campaign's end later."""
    from app.domain.campaigns import extend_campaign

    _run_phase_change(extend_campaign, slug, by, ends_at=ends_at)


def init_app(app):
    app.cli.add_command(jam)
