"""Reads about users, their API tokens, reset links and consultants' grants
(roadmap.accounts.queries)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from roadmap.accounts import operations as account_operations
from roadmap.accounts import queries as account_queries
from roadmap.accounts.passwords import digest
from roadmap.models import utcnow
from tests import factories


def test_user_for_token_finds_the_owner_of_an_unrevoked_token(session):
    owner = factories.UserFactory(role="consultant")
    token, secret = account_operations.create_api_token(owner, "laptop", session=session)
    found = account_queries.user_for_token(secret, session=session)
    assert found is not None
    assert (found[0].id, found[1].id) == (owner.id, token.id)


def test_user_for_token_refuses_a_revoked_token(session):
    owner = factories.UserFactory()
    token, secret = account_operations.create_api_token(owner, "old", session=session)
    account_operations.revoke_api_token(token, session=session)
    assert account_queries.user_for_token(secret, session=session) is None


def test_user_for_token_refuses_the_token_of_an_inactive_user(session):
    owner = factories.UserFactory(is_active=False)
    _, secret = account_operations.create_api_token(owner, "laptop", session=session)
    assert account_queries.user_for_token(secret, session=session) is None


def test_user_for_token_refuses_an_unknown_secret_and_the_stored_digest_itself(session):
    owner = factories.UserFactory()
    token, secret = account_operations.create_api_token(owner, "laptop", session=session)
    assert account_queries.user_for_token(secret + "x", session=session) is None
    # What the database holds is not a token: a leaked table opens nothing.
    assert account_queries.user_for_token(token.token_hash, session=session) is None


def test_api_token_of_refuses_another_users_token(session):
    owner, other = factories.UserFactory(), factories.UserFactory()
    token = factories.ApiTokenFactory(user_id=owner.id)
    assert account_queries.api_token_of(owner, token.id, session=session) is token
    assert account_queries.api_token_of(other, token.id, session=session) is None
    assert account_queries.api_token_of(owner, token.id + 1000, session=session) is None


def test_api_tokens_lists_only_the_owners_tokens_newest_first(session):
    owner, other = factories.UserFactory(), factories.UserFactory()
    day = datetime(2025, 3, 1, tzinfo=UTC)
    old = factories.ApiTokenFactory(user_id=owner.id, name="old", created_at=day)
    new = factories.ApiTokenFactory(
        user_id=owner.id, name="new", created_at=day + timedelta(days=1)
    )
    factories.ApiTokenFactory(user_id=other.id, name="theirs", created_at=day)
    assert [t.id for t in account_queries.api_tokens(owner, session=session)] == [new.id, old.id]


def test_password_reset_finds_an_unused_unexpired_link(session):
    user, admin = factories.UserFactory(role="consultant"), factories.UserFactory()
    secret = account_operations.create_password_reset(user, created_by=admin, session=session)
    session.commit()  # read back as stored (SQLite gives naive datetimes)
    session.expire_all()
    reset = account_queries.password_reset(secret, session=session)
    assert reset is not None
    assert (reset.user_id, reset.created_by_id) == (user.id, admin.id)
    assert reset.token_hash == digest(secret) != secret


def test_password_reset_refuses_a_used_link(session):
    reset = factories.PasswordResetFactory(token_hash=digest("used-secret"), used_at=utcnow())
    session.commit()
    assert reset.used_at is not None
    assert account_queries.password_reset("used-secret", session=session) is None


def test_password_reset_refuses_an_expired_link(session):
    factories.PasswordResetFactory(
        token_hash=digest("stale-secret"), expires_at=utcnow() - timedelta(minutes=1)
    )
    factories.PasswordResetFactory(
        token_hash=digest("fresh-secret"), expires_at=utcnow() + timedelta(minutes=5)
    )
    session.commit()
    session.expire_all()
    assert account_queries.password_reset("stale-secret", session=session) is None
    assert account_queries.password_reset("fresh-secret", session=session) is not None
    assert account_queries.password_reset("unknown-secret", session=session) is None


def test_consultant_grants_are_the_companys_unrevoked_grants_by_consultant_email(session):
    company, other = factories.CompanyFactory(), factories.CompanyFactory()
    member = factories.UserFactory(role="company", company_id=company.id)
    zed = factories.UserFactory(role="consultant", email="zed@example.org")
    amy = factories.UserFactory(role="consultant", email="amy@example.org")
    gone = factories.UserFactory(role="consultant", email="bob@example.org")
    for consultant in (zed, amy, gone):
        account_operations.grant_consultant(
            company.id, consultant, granted_by=member, session=session
        )
    account_operations.grant_consultant(other.id, amy, granted_by=member, session=session)
    revoked = account_queries.consultant_grants(company.id, session=session)[1]
    assert revoked.consultant.email == "bob@example.org"
    account_operations.revoke_grant(revoked, session=session)
    grants = account_queries.consultant_grants(company.id, session=session)
    assert [g.consultant.email for g in grants] == ["amy@example.org", "zed@example.org"]
    assert {g.company_id for g in grants} == {company.id}


def test_current_grant_refuses_a_revoked_grant_and_another_companys(session):
    company, other = factories.CompanyFactory(), factories.CompanyFactory()
    grant = factories.ConsultantGrantFactory(company_id=company.id)
    assert account_queries.current_grant(company.id, grant.id, session=session) is grant
    assert account_queries.current_grant(other.id, grant.id, session=session) is None
    account_operations.revoke_grant(grant, session=session)
    assert account_queries.current_grant(company.id, grant.id, session=session) is None


def test_active_consultant_is_only_an_active_consultant_whatever_the_emails_case(session):
    factories.UserFactory(role="consultant", email="ana@example.org")
    factories.UserFactory(role="consultant", email="off@example.org", is_active=False)
    factories.UserFactory(role="admin", email="boss@example.org")
    found = account_queries.active_consultant("  Ana@Example.ORG ", session=session)
    assert found is not None and found.email == "ana@example.org"
    for email in ("off@example.org", "boss@example.org", "nobody@example.org"):
        assert account_queries.active_consultant(email, session=session) is None, email


def test_active_user_refuses_an_inactive_user_that_user_still_finds(session):
    on, off = factories.UserFactory(), factories.UserFactory(is_active=False)
    assert account_queries.active_user(on.id, session=session) is on
    assert account_queries.active_user(off.id, session=session) is None
    assert account_queries.user(off.id, session=session) is off


def test_users_are_listed_by_role_then_email(session):
    factories.UserFactory(role="consultant", email="c@example.org")
    factories.UserFactory(role="admin", email="b@example.org")
    factories.UserFactory(role="admin", email="a@example.org")
    listed = [(u.role, u.email) for u in account_queries.users(session=session)]
    assert listed == [
        ("admin", "a@example.org"),
        ("admin", "b@example.org"),
        ("consultant", "c@example.org"),
    ]
