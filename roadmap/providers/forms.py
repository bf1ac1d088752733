"""The directory's forms. They read the fields; every rule (required, lengths, web addresses,
whom a need is for) is roadmap.providers.operations', whose refusal is shown on the field it
names. Select fields keep their choices (and an id read as an integer)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Optional

from roadmap.domain import providers as rules

KIND_CHOICES = [SelectChoice(k, k.capitalize()) for k in rules.KINDS]
SERVICE_CHOICES = [
    SelectChoice(s.name, f"{s.label} (stage {s.stage})") for s in rules.SERVICES.values()
]
EVERY_SECTOR = 0  # the sector choice of an offer that covers every sector


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class ProviderForm(FlaskForm):
    name = StringField("Organisation name", filters=[_strip])
    kind = SelectField("Kind of organisation", choices=KIND_CHOICES)
    description = TextAreaField("What you do (optional)", filters=[_strip])
    website = StringField("Website (optional)", filters=[_strip])
    contact_email = EmailField("Contact email (optional)", filters=[_strip])


class OfferForm(FlaskForm):
    service = SelectField("Service", choices=SERVICE_CHOICES)
    sector = SelectField("Sector", coerce=int)
    evidence_url = StringField("Evidence of this work: a web address (optional)", filters=[_strip])
    note = StringField("Note (optional)", filters=[_strip])

    def set_sectors(self, sectors: list[tuple[int, str]]) -> OfferForm:
        self.sector.choices = [
            SelectChoice(EVERY_SECTOR, "Every sector"),
            *(SelectChoice(i, name) for i, name in sectors),
        ]
        return self

    def sector_id(self) -> int | None:
        return None if self.sector.data == EVERY_SECTOR else self.sector.data


class KeeperForm(FlaskForm):
    email = EmailField("Colleague's email (a consultant account)", filters=[_strip])


class NeedForm(FlaskForm):
    # Whom the viewer may post for is the operation's rule; it names the field when refused.
    poster = SelectField("Posted for", validate_choice=False)
    title = StringField("What support is needed, in a few words", filters=[_strip])
    service = SelectField("Service", choices=SERVICE_CHOICES)
    sector = SelectField("Sector", coerce=int)
    needed_by = DateField("Needed by (optional)", validators=[Optional()])
    detail = TextAreaField("Detail (optional)", filters=[_strip])
    anonymous = BooleanField(
        "Hide the company's name from providers until we accept an answer", default=False
    )

    def set_choices(
        self, posters: list[tuple[str, str]], sectors: list[tuple[int, str]]
    ) -> NeedForm:
        self.poster.choices = [SelectChoice(value, label) for value, label in posters]
        self.sector.choices = [SelectChoice(i, name) for i, name in sectors]
        return self


class AnswerForm(FlaskForm):
    provider = SelectField("Answer as", coerce=int)
    message = TextAreaField("How you would help", filters=[_strip])


class DecisionForm(FlaskForm):
    decision = SelectField(
        "Decision", choices=[SelectChoice("accept", "Accept"), SelectChoice("decline", "Decline")]
    )
    grant_access = BooleanField(
        "Also give the consultant who answered read-only access to our figures", default=False
    )


class CloseForm(FlaskForm):
    status = SelectField(
        "Close as",
        choices=[
            SelectChoice("met", "Met"),
            SelectChoice("withdrawn", "Withdrawn"),
            SelectChoice("open", "Open again"),
        ],
    )
