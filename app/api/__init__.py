"""JSON API v1: the same domain functions as the pages, with Bearer-token auth."""
from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")
