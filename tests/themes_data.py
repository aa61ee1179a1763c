"""Ideas in three clear groups, for the themes tests of every layer."""
from sqlalchemy import select

from app.extensions import db
from app.models import ThemeIdea
from tests import factories as f

BILLS = [("Explain bill charges in plain words", "Bills are hard to read; explain each charge."),
         ("Clearer bills with every charge explained", "Say what each charge on the bill is."),
         ("Bill charge glossary", "A glossary of the charges on our bills."),
         ("Warn before a big bill", "Tell people when the bill will be higher than usual.")]
ROAMING = [("Roaming day pass", "One flat roaming price per day abroad."),
           ("Roaming alerts abroad", "Text roaming prices when travellers land abroad."),
           ("Cheaper roaming for travellers", "Roaming abroad costs too much for travellers."),
           ("Roaming data packs", "Buy roaming data before travelling abroad.")]
STORES = [("Book a store visit online", "Skip the store queue with a booked visit."),
          ("Store queue length in the app", "Show the queue at each store."),
          ("Store pickup for online orders", "Collect online orders at the store."),
          ("Store staff help with new phones", "Staff at the store move your data.")]


def seed(campaign, groups=(BILLS, ROAMING, STORES), author=None):
    author = author or f.make_user()
    return [[f.make_idea(campaign, author, title=title, body=body) for title, body in group] for group in groups]


def theme_of(idea):
    return db.session.scalar(select(ThemeIdea.theme_id).where(ThemeIdea.idea_id == idea.id))
