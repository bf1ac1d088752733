"""Writes of reporting rounds: open, edit, close, reopen and publish a round, and remind the
members of a deadline. Each function takes ``session`` by keyword and flushes; the caller
(a view or a command) commits once."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import date

from sqlalchemy import update
from sqlmodel import Session

from roadmap.accounts import access
from roadmap.domain.rounds import changed_companies, publication_refusal, round_problems
from roadmap.models import Platform, ReportingRound, User, utcnow
from roadmap.notifications import events as notify_events
from roadmap.notifications import operations as notify
from roadmap.pipeline.numbers import publish_projects
from roadmap.platforms.history import changes_of, changes_text, record_history
from roadmap.submissions import queries, round_queries
from roadmap.submissions.operations import Refused, record_publication


@dataclass(frozen=True)
class RoundRequest:
    """What a round asks and when: the fields a coordinator fills in to open or edit it."""

    name: str
    reported_up_to: int
    plan_to: int
    opens_on: date
    deadline: date


def _checked_request(
    platform: Platform,
    request: RoundRequest,
    *,
    session: Session,
    editing: ReportingRound | None = None,
) -> RoundRequest:
    """``request`` with its name trimmed, or Refused: a name, not taken by another round of
    the platform, and the rules of ``domain.rounds.round_problems``."""
    name = request.name.strip()
    if not name:
        raise Refused("a round needs a name")
    problems = round_problems(
        reported_up_to=request.reported_up_to,
        plan_to=request.plan_to,
        opens_on=request.opens_on,
        deadline=request.deadline,
    )
    if problems:
        raise Refused(" ".join(problems.values()))
    named = round_queries.round_named(platform.id, name, session=session)
    if named is not None and named is not editing:
        raise Refused(f"{platform.name} already has a round named {name}.")
    return replace(request, name=name)


def _refuse_while_another_is_open(platform: Platform, *, session: Session) -> None:
    current = round_queries.open_round(platform.id, session=session)
    if current is not None:
        raise Refused(f"{current.name} is still open on {platform.name}; close it first.")


def open_round(
    platform: Platform,
    *,
    name: str,
    reported_up_to: int,
    plan_to: int,
    opens_on: date,
    deadline: date,
    user: User | None,
    session: Session,
) -> ReportingRound:
    """Open a reporting round on ``platform``; refused while another is open there, or where
    the name is taken. Returns the round opened (the event members are told of)."""
    name = _checked_request(
        platform,
        RoundRequest(name, reported_up_to, plan_to, opens_on, deadline),
        session=session,
    ).name
    _refuse_while_another_is_open(platform, session=session)
    opened = ReportingRound(
        platform_id=platform.id,
        name=name,
        reported_up_to=reported_up_to,
        plan_to=plan_to,
        opens_on=opens_on,
        deadline=deadline,
        opened_by_id=user.id if user else None,
    )
    session.add(opened)
    session.flush()
    record_history(
        platform,
        f"opened round {name} (reported years to {reported_up_to}, plans to {plan_to}, "
        f"deadline {deadline:%Y-%m-%d})",
        kind="round",
        user=user,
        session=session,
    )
    notify.notify_round_opened(
        notify.RoundNotice(
            platform,
            name,
            deadline,
            round_queries.members_to_tell(opened, session=session),
        ),
        session=session,
    )
    return opened


def edit_round(
    round_: ReportingRound, request: RoundRequest, *, user: User | None, session: Session
) -> list[str]:
    """Change what an open round asks, its name, opening date or deadline, with the checks
    of opening one; the history keeps old -> new. Members are not told again, except of a
    changed deadline (one message each, if they want it). Returns the fields changed."""
    if round_.status != "open":
        raise Refused(not_open(round_, "edited"))
    platform = round_.platform
    checked = _checked_request(platform, request, session=session, editing=round_)
    changes = changes_of(round_, asdict(checked))
    if not changes:
        return []
    old_name, old_deadline = round_.name, round_.deadline
    for field, _old, new in changes:
        setattr(round_, field, new)
    session.add(round_)
    session.flush()
    record_history(
        platform,
        f"edited round {old_name}",
        kind="round",
        detail=changes_text(changes),
        user=user,
        session=session,
    )
    if round_.deadline != old_deadline:
        notify.notify_deadline_changed(
            notify.RoundNotice(
                platform,
                round_.name,
                round_.deadline,
                round_queries.members_to_tell(round_, session=session),
            ),
            old_deadline,
            session=session,
        )
    return [field for field, _old, _new in changes]


def reopen_round(round_: ReportingRound, *, user: User | None, session: Session) -> ReportingRound:
    """Take submissions again in a closed round that is not published; refused while another
    round is open on the platform. A published round is final: what it published is what
    everyone sees, and the next disclosure is a new round."""
    if round_.status != "closed":
        raise Refused(
            not_open(round_, "reopened")
            if round_.status == "published"
            else f"{round_.name} is already open."
        )
    _refuse_while_another_is_open(round_.platform, session=session)
    _move(round_, ("closed",), session=session, status="open", closed_at=None)
    record_history(
        round_.platform,
        f"reopened round {round_.name}",
        kind="round",
        detail="status: closed -> open",
        user=user,
        session=session,
    )
    return round_


def _move(
    round_: ReportingRound, from_statuses: tuple[str, ...], *, session: Session, **values: object
) -> None:
    """Change a round's status as one conditional UPDATE of a row still in one of
    ``from_statuses``: of two coordinators closing, reopening or publishing a round at once,
    exactly one moves it and the other is refused with what it is now. (Two rounds opened at
    once on one platform are kept apart by the database: at most one open round per platform,
    a partial unique index.)"""
    changed = session.execute(
        update(ReportingRound)
        .where(ReportingRound.id == round_.id, ReportingRound.status.in_(from_statuses))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    session.refresh(round_)
    if changed.rowcount != 1:
        raise Refused(f"{round_.name} was just changed by someone else: it is {round_.status} now.")


def not_open(round_: ReportingRound, action: str) -> str:
    """Why a round that is not open cannot be ``action`` (edited, reopened)."""
    if round_.status == "published":
        return (
            f"{round_.name} is published, and a published round is final: it cannot be "
            f"{action}. Open a new round for the next disclosure."
        )
    return f"{round_.name} is {round_.status}; only an open round can be {action}."


def close_round(
    round_: ReportingRound, *, session: Session, user: User | None = None
) -> ReportingRound:
    """Stop taking submissions in an open round (members asked for changes may still
    resubmit into it until it is published)."""
    if round_.status != "open":
        raise Refused(f"{round_.name} is {round_.status}, not open.")
    _move(round_, ("open",), session=session, status="closed", closed_at=utcnow())
    record_history(
        round_.platform, f"closed round {round_.name}", kind="round", user=user, session=session
    )
    return round_


def publish_round(round_: ReportingRound, *, user: User | None, session: Session) -> list[str]:
    """Publish the platform's accepted figures as they stand (each company's newest accepted
    version) under ``round_``, closing it if open: from now on everyone but the platform's
    coordinators sees them. Refused (with the reason) where fewer than ``access.MIN_GROUP``
    companies' figures differ from the previous publication. Returns the companies whose
    figures changed."""
    if round_.status == "published":
        raise Refused(f"{round_.name} is already published.")
    platform = round_.platform
    live = queries.accepted_trajectories(platform, session=session)
    before = queries.accepted_trajectories(platform, session=session, published=True)
    changed = changed_companies(before, live)
    now = utcnow()
    # Moved first (the caller rolls back on a refusal): a coordinator who published a moment
    # ago makes this one "already published", not "nothing changed".
    _move(
        round_,
        ("open", "closed"),
        session=session,
        status="published",
        closed_at=round_.closed_at or now,
        published_at=now,
        published_by_id=user.id if user else None,
    )
    reason = publication_refusal(changed, min_changed=access.MIN_GROUP)
    if reason is not None:
        raise Refused(reason)
    record_publication(
        round_, round_queries.newest_accepted(platform.id, session=session), session=session
    )
    # Confidential projects count in others' pipeline totals as this round sees them.
    publish_projects(round_, session=session)
    record_history(
        platform,
        f"published round {round_.name}",
        kind="round",
        detail="figures changed: " + ", ".join(changed),
        user=user,
        session=session,
    )
    return changed


def remind_members(today: date, *, session: Session) -> int:
    """Tell the members of companies that have not submitted in an open round whose deadline
    is exactly seven days away (``roadmap remind``, run daily): how many were told."""
    told = 0
    for round_ in round_queries.open_rounds(session=session):
        if not notify_events.reminder_due(round_.deadline, today):
            continue
        members = round_queries.members_to_tell(round_, session=session, not_started_only=True)
        told += notify.notify_deadline_reminder(
            notify.RoundNotice(round_.platform, round_.name, round_.deadline, members),
            session=session,
        )
    return told
