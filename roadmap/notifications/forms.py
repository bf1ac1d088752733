from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField

from roadmap.notifications.events import EVENTS


class PreferencesForm(FlaskForm):
    """One tick box per event; the page shows those of the user's role."""

    round_opened = BooleanField(EVENTS["round_opened"].label)
    deadline_reminder = BooleanField(EVENTS["deadline_reminder"].label)
    deadline_changed = BooleanField(EVENTS["deadline_changed"].label)
    submission_received = BooleanField(EVENTS["submission_received"].label)
    review_decision = BooleanField(EVENTS["review_decision"].label)
    consultant_access = BooleanField(EVENTS["consultant_access"].label)
    need_posted = BooleanField(EVENTS["need_posted"].label)
    need_answered = BooleanField(EVENTS["need_answered"].label)
    answer_decided = BooleanField(EVENTS["answer_decided"].label)
