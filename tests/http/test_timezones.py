"""Times in the reader's own zone: the browser's zone (a cookie app.js writes) for visitors
and for people who chose none, the profile's zone otherwise, UTC without either; deadlines
say which zone they are in; registering stores the zone."""
from datetime import datetime, timezone

from app.domain import accounts
from app.extensions import db
from app.models import User
from tests import factories
from tests.http.conftest import page_text


def jam_ending_at(moment):
    campaign = factories.make_campaign()
    campaign.ends_at = moment
    db.session.commit()
    return campaign


def test_a_visitor_reads_deadlines_in_the_browsers_zone_labelled(client, app, clock):
    clock.set(datetime(2026, 12, 1, 12, tzinfo=timezone.utc))
    campaign = jam_ending_at(datetime(2026, 12, 3, 19, tzinfo=timezone.utc))
    plain = page_text(client.get(f"/c/{campaign.slug}"))
    assert "Dec 3, 2026, 7:00:00" in plain and "(Coordinated Universal Time)" in plain
    client.set_cookie("tz", "Asia/Taipei")
    taipei = page_text(client.get(f"/c/{campaign.slug}"))
    assert "Dec 4, 2026, 3:00:00" in taipei and "(Taipei Standard Time)" in taipei
    client.set_cookie("tz", "Not/AZone")
    assert "(Coordinated Universal Time)" in page_text(client.get(f"/c/{campaign.slug}"))


def test_a_chosen_zone_wins_over_the_browsers(client, app, clock, login):
    clock.set(datetime(2026, 12, 1, 12, tzinfo=timezone.utc))
    campaign = jam_ending_at(datetime(2026, 12, 3, 19, tzinfo=timezone.utc))
    person = factories.make_user()
    accounts.update_profile(person, display_name=person.display_name, timezone="America/New_York")
    login(person)
    client.set_cookie("tz", "Asia/Taipei")
    page = page_text(client.get(f"/c/{campaign.slug}"))
    assert "Dec 3, 2026, 2:00:00" in page and "(Eastern Standard Time)" in page


def test_registering_stores_the_browsers_zone(client, app):
    token = accounts.make_registration_token("newcomer@example.com")
    client.set_cookie("tz", "Asia/Taipei")
    form = page_text(client.get(f"/register/{token}"))
    assert '<option selected value="Asia/Taipei">' in form or '<option value="Asia/Taipei" selected' in form
    done = client.post(f"/register/{token}", data={
        "display_name": "New Person", "password": "granite teapot orbit",
        "confirm_password": "granite teapot orbit", "locale": "en", "timezone": "Asia/Taipei"})
    assert done.status_code == 302
    assert db.session.query(User).filter_by(email="newcomer@example.com").one().timezone == "Asia/Taipei"
    refused = client.post(f"/register/{accounts.make_registration_token('other@example.com')}", data={
        "display_name": "Other", "password": "granite teapot orbit",
        "confirm_password": "granite teapot orbit", "timezone": "Mars/Olympus"})
    assert refused.status_code == 422 and "Choose a time zone from the list." in page_text(refused)
    assert db.session.query(User).filter_by(email="other@example.com").count() == 0
