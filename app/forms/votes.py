from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField


class VoteForm(FlaskForm):
    # "up", "down" or "none"; votes.parse_vote_value judges it.
    value = StringField()
    next = HiddenField()
