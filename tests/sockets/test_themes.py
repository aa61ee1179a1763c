"""Themes refresh in the real server while ideas arrive, with the heavy part in a child
process, and open pages hear of it: posting ideas leads to a ``themes.updated`` entry on
the campaign's stream, and the "Themes so far" section then shows the new theme."""
import pytest
import requests

from tests.services import ServerProcess
from tests.sockets.conftest import Api, LiveClient, seed_live_jam

pytestmark = pytest.mark.server

ROAMING = ["Roaming day pass at one flat price", "A flat roaming price for the whole day",
           "Roaming day pass for travellers", "One roaming price per day abroad"]


@pytest.fixture(scope="module", params=["eventlet", "gevent"])
def themed(request, tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('themes') / 'themes.sqlite'}"
    jam = seed_live_jam(url, voters=1)
    server = ServerProcess(url, async_mode=request.param, THEMES_REFRESH_SECONDS="1")
    yield jam, server, Api(server.url)
    server.stop()


def test_posting_ideas_updates_the_themes_live(themed):
    jam, server, api = themed
    client = LiveClient(server.url)
    try:
        client.join(jam.campaign_id)
        for title in ROAMING:
            response = api.call("POST", f"/campaigns/{jam.campaign_id}/ideas", jam.tokens["staff"],
                                json={"title": title, "body": "Roaming abroad at one price per day."})
            assert response.status_code == 201, response.text

        def counts_the_new_ideas(data):
            # The seeded campaign has 10 ideas alike: more than 10 in themes means a refresh
            # after the new ones arrived.
            return (data.get("campaign_id") == jam.campaign_id and data.get("kind") == "themes.updated"
                    and sum(theme["size"] for theme in data["payload"]["themes"]) > 10)

        update = client.wait_for("campaign_event", counts_the_new_ideas, timeout=90)
        assert all(set(theme) == {"id", "name", "size"} for theme in update["payload"]["themes"])
    finally:
        client.close()
    themes = api.call("GET", f"/campaigns/{jam.campaign_id}/themes").json()["items"]
    words = {word for theme in themes for word in theme["terms"]}
    assert words & {"roaming", "abroad", "travellers", "trip", "data"}
    slug = api.call("GET", f"/campaigns/{jam.campaign_id}").json()["slug"]
    section = requests.get(f"{server.url}/c/{slug}/themes/summary", timeout=30).text
    assert "data-themes-section" in section and "Roaming" in section
    assert "Traceback" not in server.log()
