"""The inbox, every practitioner's home page: the tasks waiting for them, most pressing
first, and for managers their team's."""
from flask import Blueprint, current_app, redirect, render_template, url_for

import engine.views

from . import database
from .identity import current_user

bp = Blueprint("inbox", __name__)


@bp.get("/inbox")
def index():
    user = current_user()
    box = engine.views.inbox(database(current_app), user.username)
    return render_template("inbox.html", inbox=box)


@bp.get("/")
def home():
    return redirect(url_for("inbox.index"))
