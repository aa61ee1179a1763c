"""Hypothesis against the domain functions people reach with free input, and against the page
forms: whatever arrives, a function either succeeds or raises a domain error (a clear message
for a person), and a refusal writes nothing. FUZZ_EXAMPLES cases each (CI: 100; `make fuzz`:
1,000)."""
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.domain import accounts, comments, ideas, votes
from app.domain.errors import DomainError
from app.extensions import db
from app.models import Comment, Idea, User, Vote
from tests import factories

EXAMPLES = min(int(os.environ.get("FUZZ_EXAMPLES", "100")), 1000)
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                suppress_health_check=list(HealthCheck))

# Text as people and scripts send it: any Unicode, control characters, long runs, Chinese.
texts = st.one_of(st.text(), st.text(alphabet=st.characters(codec="utf-8"), max_size=400),
                  st.sampled_from(["", " ", "\x00", "自助開通", "a" * 20_000, "<script>x</script>"]))
anything = st.one_of(texts, st.none(), st.integers(), st.booleans(), st.lists(texts, max_size=8),
                     st.dictionaries(texts, texts, max_size=3), st.floats(allow_nan=True))


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_submitting_ideas(app, campaign):
    author = factories.make_user()

    @FUZZ
    @given(title=anything, body=anything, tags=anything)
    def submit(title, body, tags):
        before = count(Idea)
        try:
            idea = ideas.submit_idea(author, campaign.id, title=title, body=body, tags=tags)
        except DomainError:
            db.session.rollback()
            assert count(Idea) == before
        else:
            assert count(Idea) == before + 1 and 5 <= len(idea.title) <= ideas.TITLE_MAX

    submit()


def test_commenting_and_voting(app, campaign):
    idea = factories.make_idea(campaign)
    person = factories.make_user()

    @FUZZ
    @given(body=anything, parent=anything, value=anything)
    def act(body, parent, value):
        before = (count(Comment), count(Vote))
        try:
            comments.add_comment(person, idea.id, body=body, parent_id=parent)
        except DomainError:
            db.session.rollback()
            assert count(Comment) == before[0]
        try:
            votes.cast_vote(person, idea.id, value)
        except DomainError:
            db.session.rollback()
            assert count(Vote) == before[1]

    act()


def test_registering_and_profiles(app, outbox):
    person = factories.make_user()
    link = accounts.make_registration_token("fuzzed@example.com")

    @FUZZ
    @given(email=anything, name=anything, password=anything, department=anything, country=anything,
           locale=anything, timezone=anything)
    def register(email, name, password, department, country, locale, timezone):
        before = count(User)
        try:
            accounts.register_user(email=email, display_name=name, password=password,
                                   department=department, country=country, locale=locale,
                                   timezone=timezone)
        except DomainError:
            db.session.rollback()
            assert count(User) == before
        before = count(User)
        for ask in (accounts.start_registration, accounts.request_password_reset):
            mailed = len(outbox)
            try:
                ask(email)
            except DomainError:
                assert len(outbox) == mailed  # a refusal mails nothing
            else:
                assert len(outbox) == mailed + 1
            assert count(User) == before  # asking for a mail writes nothing
        try:
            accounts.finish_registration(link, display_name=name, password=password,
                                         confirm_password=password, department=department,
                                         country=country, locale=locale, timezone=timezone)
        except DomainError:
            db.session.rollback()
            assert count(User) == before
        try:
            accounts.read_registration_link(email)  # any value as a token
        except DomainError:
            pass
        try:
            accounts.update_profile(person, display_name=name, department=department, country=country,
                                    locale=locale, timezone=timezone)
        except DomainError:
            db.session.rollback()

    register()


def test_page_forms_never_fail_on_the_server(app, client, campaign, auth):
    """Arbitrary fields to every form a participant posts: a page or a redirect, never a 500."""
    idea = factories.make_idea(campaign)
    person = factories.make_user()
    auth.login(person)
    fields = st.dictionaries(st.sampled_from(["title", "body", "tags", "value", "reason", "note", "parent_id",
                                              "display_name", "department", "country", "locale", "timezone",
                                              "next", "accept_code_of_conduct", "choice", "q", "sort", "page"]),
                             texts.filter(lambda t: "\x00" not in t), max_size=6)
    paths = [f"/c/{campaign.slug}/ideas", f"/ideas/{idea.id}/comments", f"/ideas/{idea.id}/vote",
             f"/ideas/{idea.id}/flag", "/profile", f"/ideas/{idea.id}/follow"]

    @FUZZ
    @given(path=st.sampled_from(paths), data=fields, query=fields)
    def post(path, data, query):
        assert client.post(path, data=data).status_code < 500
        assert client.get(f"/c/{campaign.slug}", query_string=query).status_code < 500

    post()
