from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField
from wtforms.validators import DataRequired, Length


class GrantForm(FlaskForm):
    email = EmailField("Consultant's email", validators=[DataRequired(), Length(max=254)])
