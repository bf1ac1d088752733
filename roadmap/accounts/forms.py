from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from roadmap.accounts.passwords import MIN_PASSWORD_LENGTH
from roadmap.models import ROLES


def _new_password(label: str) -> PasswordField:
    return PasswordField(
        label,
        validators=[
            DataRequired(),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=200,
                message=f"At least {MIN_PASSWORD_LENGTH} characters.",
            ),
        ],
    )


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])
    next = HiddenField()


class NewPasswordForm(FlaskForm):
    password = _new_password("New password")
    confirm = PasswordField(
        "Repeat the new password",
        validators=[DataRequired(), EqualTo("password", message="The two passwords differ.")],
    )
    keep_tokens = BooleanField(
        "Keep my API tokens working (every signed-in session ends either way)", default=False
    )


class TokenForm(FlaskForm):
    name = StringField("What the token is for", validators=[DataRequired(), Length(max=100)])


class UserForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    name = StringField("Name", validators=[Length(max=200)])
    role = SelectField("Role", choices=[SelectChoice(r) for r in ROLES])
    company = SelectField("Company (company members)", coerce=int)
    platforms = SelectMultipleField("Platforms (coordinators)", coerce=int)
    may_create_sectors = BooleanField("May create sectors (coordinators)", default=False)
    password = _new_password("Initial password")

    def validate_email(self, field: EmailField) -> None:
        if "@" not in (field.data or "") or " " in (field.data or "").strip():
            raise ValidationError("Not an email address.")

    def validate_company(self, field: SelectField) -> None:
        if self.role.data == "company" and not field.data:
            raise ValidationError("A company member needs a company.")

    def validate_platforms(self, field: SelectMultipleField) -> None:
        if self.role.data == "coordinator" and not field.data:
            raise ValidationError("A coordinator needs at least one platform.")


class SectorLeaveForm(FlaskForm):
    """An admin's switch: a coordinator may, or may no longer, create sectors."""

    allow = BooleanField("May create sectors")
