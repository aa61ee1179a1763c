from app.models import Role
from tests import factories
from tests.http.conftest import text_of


def test_admins_browse_filter_and_export_the_log(client, auth, admin, campaign):
    auth.login(admin)
    page = client.get("/admin/audit/")
    assert page.status_code == 200 and "campaign.create" in text_of(page)
    assert "campaign.create" not in text_of(client.get("/admin/audit/?action=person.update"))
    export = client.get("/admin/audit/export.csv?action=campaign.create")
    assert export.status_code == 200 and export.mimetype == "text/csv"
    assert "campaign.create" in export.get_data(as_text=True)


def test_bad_filters_are_explained(client, auth, admin):
    auth.login(admin)
    response = client.get("/admin/audit/?actor_id=abc")
    assert response.status_code == 422
    assert "campaign.create" not in text_of(response)  # no entries shown for a filter it could not read
    assert "<code>actor_id</code>" in text_of(response)  # says which filter it could not read


def test_the_log_is_for_admins_only(client, auth):
    for role in (Role.MODERATOR, Role.EXECUTIVE, Role.PARTICIPANT):
        auth.login(factories.make_user(role=role))
        assert client.get("/admin/audit/").status_code == 403
        assert client.get("/admin/audit/export.csv").status_code == 403
        auth.logout()
