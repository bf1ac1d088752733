"""Writes about users, tokens, reset links and grants (roadmap.accounts.operations)."""

from __future__ import annotations

from sqlmodel import select
from werkzeug.security import check_password_hash

from roadmap.accounts import operations as account_operations
from roadmap.accounts import passwords
from roadmap.accounts import queries as account_queries
from roadmap.models import ApiToken, ConsultantGrant, PlatformCoordinator, User
from tests import factories

PASSWORD = "a long enough passphrase"


def test_create_user_stores_a_hash_of_the_password_never_the_password(session):
    user = account_operations.create_user(
        session=session, email="new@example.org", password=PASSWORD, role="admin"
    )
    session.commit()
    assert PASSWORD not in user.password_hash
    assert check_password_hash(user.password_hash, PASSWORD)
    assert not check_password_hash(user.password_hash, PASSWORD + "!")
    signed_in = passwords.authenticate("new@example.org", PASSWORD, "127.0.0.1", session=session)
    assert signed_in is user


def test_create_user_keeps_the_email_lower_case_and_trimmed(session):
    user = account_operations.create_user(
        session=session, email="  Mixed.Case@Example.ORG ", password=PASSWORD, role="admin"
    )
    assert user.email == "mixed.case@example.org"
    assert account_queries.user_by_email("MIXED.case@example.org", session=session) is user


def test_create_user_links_a_coordinator_to_its_platforms(session):
    first, second, other = (factories.PlatformFactory() for _ in range(3))
    user = account_operations.create_user(
        session=session,
        email="coord@example.org",
        password=PASSWORD,
        role="coordinator",
        platform_ids=[first.id, second.id],
    )
    links = session.exec(select(PlatformCoordinator.platform_id)).all()
    assert sorted(links) == sorted([first.id, second.id])
    assert other.id not in links
    assert all(link.user_id == user.id for link in session.exec(select(PlatformCoordinator)).all())


def test_create_user_gives_a_company_only_to_company_members(session):
    company = factories.CompanyFactory()
    member = account_operations.create_user(
        session=session,
        email="m@example.org",
        password=PASSWORD,
        role="company",
        company_id=company.id,
    )
    consultant = account_operations.create_user(
        session=session,
        email="c@example.org",
        password=PASSWORD,
        role="consultant",
        company_id=company.id,
    )
    assert (member.company_id, consultant.company_id) == (company.id, None)


def test_grant_consultant_twice_keeps_one_grant(session):
    company = factories.CompanyFactory()
    member = factories.UserFactory(role="company", company_id=company.id)
    consultant = factories.UserFactory(role="consultant")
    first = account_operations.grant_consultant(
        company.id, consultant, granted_by=member, session=session
    )
    again = account_operations.grant_consultant(
        company.id, consultant, granted_by=member, session=session
    )
    assert again.id == first.id
    assert len(session.exec(select(ConsultantGrant)).all()) == 1
    assert (first.company_id, first.consultant_id, first.granted_by_id) == (
        company.id,
        consultant.id,
        member.id,
    )


def test_revoke_grant_keeps_the_row_with_when_it_was_revoked(session):
    grant = factories.ConsultantGrantFactory()
    assert grant.revoked_at is None
    account_operations.revoke_grant(grant, session=session)
    session.commit()
    session.expire_all()
    (kept,) = session.exec(select(ConsultantGrant)).all()
    assert kept.id == grant.id and kept.revoked_at is not None
    first_revocation = kept.revoked_at
    account_operations.revoke_grant(kept, session=session)  # again: the first date stays
    assert kept.revoked_at == first_revocation


def test_granting_again_after_a_revocation_is_a_new_grant_beside_the_old_one(session):
    old = factories.ConsultantGrantFactory()
    account_operations.revoke_grant(old, session=session)
    consultant = session.get(User, old.consultant_id)
    granter = factories.UserFactory()
    new = account_operations.grant_consultant(
        old.company_id, consultant, granted_by=granter, session=session
    )
    assert new.id != old.id and new.revoked_at is None
    assert old.revoked_at is not None
    assert [g.id for g in account_queries.consultant_grants(old.company_id, session=session)] == [
        new.id
    ]


def test_api_token_secret_is_returned_once_and_only_its_digest_is_stored(session):
    owner = factories.UserFactory()
    token, secret = account_operations.create_api_token(owner, "ci", session=session)
    (stored,) = session.exec(select(ApiToken)).all()
    assert stored.token_hash == passwords.digest(secret)
    assert secret not in (stored.token_hash, stored.prefix)
    assert (stored.prefix, stored.name, stored.user_id) == (secret[:8], "ci", owner.id)
    assert stored.last_used_at is None and stored.revoked_at is None


def test_touching_and_revoking_a_token_stamp_it_and_revoking_twice_keeps_the_first_date(session):
    token, _ = account_operations.create_api_token(factories.UserFactory(), "ci", session=session)
    account_operations.touch_api_token(token, session=session)
    assert token.last_used_at is not None
    account_operations.revoke_api_token(token, session=session)
    first = token.revoked_at
    assert first is not None
    account_operations.revoke_api_token(token, session=session)
    assert token.revoked_at == first


def test_using_a_reset_link_sets_the_new_password_and_spends_the_link(session):
    user = factories.UserFactory(email="forgetful@example.org")
    secret = account_operations.create_password_reset(
        user, created_by=factories.UserFactory(), session=session
    )
    reset = account_queries.password_reset(secret, session=session)
    assert reset is not None
    account_operations.use_password_reset(reset, "the new passphrase", session=session)
    session.commit()
    assert reset.used_at is not None
    assert account_queries.password_reset(secret, session=session) is None
    assert check_password_hash(user.password_hash, "the new passphrase")
    assert not check_password_hash(user.password_hash, "correct horse battery")
