"""The domain layer: every rule of the jam lives here, and nowhere else.

Views, the JSON API and socket handlers parse input, call one function from here and
render what it returns. Functions are named verb_noun, raise errors from
``app.domain.errors`` and commit their own unit of work, so nothing is broadcast or
rendered that could still roll back.
"""
