"""Reading the mail the app sent (the ``outbox`` fixture, Flask-Mailman's locmem backend)."""
import re
from urllib.parse import urlsplit

LINK = re.compile(r"https?://\S+")


def links_in(message):
    """The paths of every link in a message's body, in order."""
    return [urlsplit(url).path for url in LINK.findall(message.body)]


def mailed_link(outbox, to, prefix):
    """The path of the link starting with ``prefix`` in the newest message to ``to``."""
    for message in reversed(outbox):
        if to in message.to:
            found = [path for path in links_in(message) if path.startswith(prefix)]
            assert found, f"the newest mail to {to} has no {prefix} link:\n{message.body}"
            return found[0]
    raise AssertionError(f"no mail to {to} in {[m.to for m in outbox]}")
