"""Load the shipped sector pathways and the fictional demo platforms into the database."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from sqlmodel import Session

from roadmap.accounts.access import ADMIN, Viewer, viewer_for
from roadmap.accounts.operations import create_user, grant_consultant
from roadmap.accounts.queries import user_by_email
from roadmap.companies.queries import company_named
from roadmap.domain import columns as col
from roadmap.domain.errors import InputError, Problem
from roadmap.domain.ingest import read_table
from roadmap.domain.matching import name_key, pathway_region
from roadmap.domain.milestones import grid
from roadmap.domain.new_sector import NewSector, parse_aliases
from roadmap.domain.pipeline import TYPED
from roadmap.domain.validate import read_pathway_files, validate_trajectories
from roadmap.models import (
    Action,
    CompanyTarget,
    DemandSignal,
    Platform,
    PolicyAsk,
    Signatory,
)
from roadmap.pipeline.imports import checked_items, read_project_file
from roadmap.pipeline.operations import import_projects
from roadmap.pipeline.queries import project_count
from roadmap.platforms import operations as platform_operations
from roadmap.platforms.queries import platform_by_slug, signatory_count
from roadmap.providers import operations as provider_operations
from roadmap.providers.queries import need_count, provider_named
from roadmap.sectors.operations import create_sector, import_pathways
from roadmap.sectors.queries import pathways_frame, sector_named
from roadmap.sectors.stored_units import learn_stored_units
from roadmap.submissions.operations import create_submissions

# The one password of every demo user (README, "Demo users"). Demo data only: never seed a
# database that real people use.
DEMO_PASSWORD = "roadmap-demo-2026"


@dataclass(frozen=True)
class SeedReport:
    pathways_added: int
    pathways_skipped: int
    platforms_added: list[str]
    submissions_added: int
    users_added: list[str]


def seed(data_dir: Path, *, session: Session) -> SeedReport:
    """Import data/pathways/*.csv, then each demo platform of data/demo/platforms.csv that is
    not stored yet, with its companies' trajectories as version-1 submissions."""
    check_data_dir(data_dir)
    pathways = read_pathway_files(sorted((data_dir / "pathways").glob("*.csv")))
    imported = import_pathways(pathways, session=session)
    demo = data_dir / "demo"
    _seed_sectors(demo / "sectors.csv", session=session)
    platforms = read_table(demo / "platforms.csv")
    added, submissions = [], 0
    for row in platforms.to_dict("records"):
        if platform_by_slug(row["slug"], session=session):
            continue
        sector = sector_named(row["sector"], session=session)
        assert sector is not None, f"demo platform {row['slug']}: no sector {row['sector']}"
        platform = platform_operations.create_platform(
            session=session,
            slug=row["slug"],
            name=row["name"],
            sector_id=sector.id,
            region=row["region"],
            scope=row["scope"],
            stage=int(row["stage"]),
            net_zero_year=int(row["net_zero_year"]) if row["net_zero_year"] else None,
            vision=row["vision"],
            is_public=row["is_public"].lower() == "true",
            treat_co2_as_co2e=row.get("treat_co2_as_co2e", "").lower() == "true",
        )
        added.append(platform.slug)
        if row["trajectories"]:
            trajectories = validate_trajectories(read_table(demo / row["trajectories"]))
            submissions += len(
                create_submissions(
                    trajectories,
                    platform=platform,
                    source="seed",
                    filename=row["trajectories"],
                    status="accepted",
                    session=session,
                )
            )
    users = _seed_users(demo / "users.csv", session=session)
    seed_stages(demo / "stages.json", session=session)
    seed_projects(demo, session=session)
    seed_providers(demo / "providers.json", session=session)
    return SeedReport(imported.added, imported.skipped, added, submissions, users)


DEMO_FILES = ("platforms.csv", "users.csv", "stages.json", "sectors.csv", "providers.json")


def check_data_dir(data_dir: Path) -> None:
    """Refuse, naming the folder, a data folder that is missing or lacks the pathway files or
    the demo platforms (``ROADMAP_DATA_DIR`` pointing elsewhere, or a build without data/)."""
    how = "(the data/ folder of the repository, shipped in the package; ROADMAP_DATA_DIR)"
    if not data_dir.is_dir():
        raise InputError([Problem(str(data_dir), None, None, f"no such data folder {how}")])
    problems = []
    if not sorted((data_dir / "pathways").glob("*.csv")):
        problems.append(
            Problem(str(data_dir / "pathways"), None, None, f"no pathway files (*.csv) {how}")
        )
    problems += [
        Problem(str(data_dir / "demo" / name), None, None, f"demo data file missing {how}")
        for name in DEMO_FILES
        if not (data_dir / "demo" / name).is_file()
    ]
    if problems:
        raise InputError(problems)


def _seed_sectors(path: Path, *, session: Session) -> None:
    """Sectors with a product unit of their own, as an admin makes them in the browser (those
    stored already are left as they are); their units are defined at once, for the demo
    companies' figures that follow."""
    for row in read_table(path).to_dict("records"):
        if sector_named(row["name"], session=session) is None:
            spec = NewSector(
                name=row["name"],
                unit=row["unit"],
                activity_unit=row["activity_unit"],
                intensity_unit=row["intensity_unit"],
                aliases=parse_aliases(row["aliases"]),
            )
            create_sector(spec, user=None, session=session)
    learn_stored_units(session.connection())


def _seed_users(path: Path, *, session: Session) -> list[str]:
    """Demo users (skipping any whose email exists), then the consultants' access grants."""
    added = []
    for row in read_table(path).to_dict("records"):
        if user_by_email(row["email"], session=session):
            continue
        company = company_named(row["company"], session=session) if row["company"] else None
        slugs = [s for s in row["platforms"].split(";") if s]
        platform_ids = [p.id for s in slugs if (p := platform_by_slug(s, session=session))]
        user = create_user(
            session=session,
            email=row["email"],
            name=row["name"],
            role=row["role"],
            password=DEMO_PASSWORD,
            platform_ids=platform_ids,
            company_id=company.id if company and row["role"] == "company" else None,
        )
        if row["granted_by"] and company is not None:
            granter = user_by_email(row["granted_by"], session=session)
            assert granter is not None, f"demo user {row['email']}: no {row['granted_by']}"
            grant_consultant(company.id, user, granted_by=granter, session=session)
        added.append(user.email)
    return added


def seed_stages(path: Path, *, session: Session) -> list[str]:
    """Fictional stage content (signatories, roadmap, KPIs, commitments, actions) for demo
    platforms that have none yet; returns the slugs filled."""
    filled = []
    for slug, content in json.loads(path.read_text()).items():
        platform = platform_by_slug(slug, session=session)
        if platform is None or signatory_count(platform, session=session):
            continue
        for organisation, kind, joined in content.get("signatories", []):
            session.add(
                Signatory(
                    platform_id=platform.id,
                    organisation=organisation,
                    kind=kind,
                    joined_on=date.fromisoformat(joined),
                )
            )
        if "roadmap" in content:
            _seed_roadmap(platform, content["roadmap"], session=session)
        for kpi in content.get("kpis", []):
            _seed_kpi(platform, kpi, session=session)
        for company, year, kind, value, scope, net_zero, validation in content.get("targets", []):
            found = company_named(company, session=session)
            assert found is not None, f"demo target: no company {company}"
            session.add(
                CompanyTarget(
                    platform_id=platform.id,
                    company_id=found.id,
                    target_year=year,
                    kind=kind,
                    value=value,
                    scope=scope,
                    net_zero_year=net_zero,
                    validation=validation,
                )
            )
        for buyer, product, commitment, volume, unit, year, until in content.get("demand", []):
            session.add(
                DemandSignal(
                    platform_id=platform.id,
                    buyer=buyer,
                    product=product,
                    commitment=commitment,
                    volume=volume,
                    volume_unit=unit,
                    year=year,
                    until_year=until,
                )
            )
        for rule, jurisdiction, status in content.get("policy", []):
            session.add(
                PolicyAsk(
                    platform_id=platform.id, rule=rule, jurisdiction=jurisdiction, status=status
                )
            )
        for title, kind, owner, status, milestone, due in content.get("actions", []):
            session.add(
                Action(
                    platform_id=platform.id,
                    title=title,
                    kind=kind,
                    owner=owner,
                    status=status,
                    milestone_year=milestone,
                    due_on=date.fromisoformat(due) if due else None,
                )
            )
        platform_operations.record_history(
            platform, "loaded the demo stage content", user=None, session=session
        )
        filled.append(slug)
    return filled


# Each demo platform's projects file (roadmap.domain.projects.COLUMNS), loaded where the
# platform has no project yet.
PROJECT_FILES = {"steel": "projects_steel.csv"}


def seed_projects(demo: Path, *, session: Session) -> list[str]:
    """The demo platforms' fictional near-zero projects, checked as an import by a platform's
    coordinator; returns the slugs filled."""
    filled = []
    for slug, filename in PROJECT_FILES.items():
        platform = platform_by_slug(slug, session=session)
        if platform is None or project_count(platform, session=session):
            continue
        frame = read_project_file(
            (demo / filename).read_bytes(), filename=filename, max_rows=1000, max_bytes=1 << 20
        )
        items = checked_items(
            frame, platform, Viewer(role=ADMIN), session=session, today=date.today()
        )
        import_projects(platform, items, user=None, filename=filename, session=session)
        filled.append(slug)
    return filled


def seed_providers(path: Path, *, session: Session) -> list[str]:
    """Fictional providers of the directory (those listed already are left as they are), with
    their offers and keepers; then, where no need is posted yet, the demo needs and answers,
    made as their posters and keepers make them in the browser. Returns the providers listed."""
    spec = json.loads(path.read_text(encoding="utf-8"))
    listed = []
    for item in spec["providers"]:
        if provider_named(name_key(item["name"]), session=session) is not None:
            continue
        keepers = [user_by_email(email, session=session) for email in item["keepers"]]
        provider = provider_operations.create_provider(
            provider_operations.ProviderSpec(
                item["name"],
                item["kind"],
                item["description"],
                item["website"],
                item["contact_email"],
            ),
            user=keepers[0] if keepers else None,
            session=session,
        )
        for keeper in keepers[1:]:
            assert keeper is not None, f"demo provider {item['name']}: a keeper is missing"
            provider_operations.add_keeper(provider, keeper.email, by=None, session=session)
        for offer in item["offers"]:
            sector = sector_named(offer["sector"], session=session) if offer["sector"] else None
            provider_operations.add_offer(
                provider,
                offer["service"],
                sector.id if sector else None,
                evidence_url=offer["evidence_url"],
                note=offer["note"],
                by=None,
                session=session,
            )
        listed.append(provider.name)
    if need_count(session=session) == 0:
        for item in spec["needs"]:
            _seed_need(item, session=session)
    return listed


def _seed_need(item: dict, *, session: Session) -> None:
    poster = user_by_email(item["poster"], session=session)
    assert poster is not None, f"demo need {item['title']}: no user {item['poster']}"
    if item["for"] == "company":
        target = f"company:{poster.company_id}"
    else:
        platform = platform_by_slug(item["platform"], session=session)
        assert platform is not None, f"demo need {item['title']}: no platform"
        target = f"platform:{platform.id}"
    sector = sector_named(item["sector"], session=session)
    today = date.today()
    need = provider_operations.post_need(
        provider_operations.NeedSpec(
            title=item["title"],
            service=item["service"],
            sector_id=sector.id if sector else None,
            poster=target,
            detail=item["detail"],
            needed_by=today + timedelta(days=item["needed_by_days"]),
            anonymous=item["anonymous"],
        ),
        user=poster,
        viewer=viewer_for(poster, session=session),
        session=session,
        today=today,
    )
    for answer in item["answers"]:
        keeper = user_by_email(answer["by"], session=session)
        provider = provider_named(name_key(answer["provider"]), session=session)
        assert keeper is not None and provider is not None, f"demo answer to {item['title']}"
        provider_operations.answer_need(
            need,
            provider.id,  # type: ignore[arg-type]
            answer["message"],
            user=keeper,
            viewer=viewer_for(keeper, session=session),
            session=session,
        )


def _seed_roadmap(platform: Platform, spec: dict, *, session: Session) -> None:
    """A published roadmap pathway: its milestones read from the published scenario named by
    "from", or given as "milestones" where the sector has none (a sector made in the browser)."""
    if "milestones" in spec:
        values = {int(year): float(value) for year, value in spec["milestones"].items()}
        unit = platform.sector.intensity_unit
    else:
        stored = pathways_frame(session=session, sectors=[platform.sector.name])
        curve = stored[
            (stored[col.SCENARIO] == spec["from"]) & (stored[col.SCOPE] == platform.scope)
        ]
        region = pathway_region(curve[col.REGION].unique(), platform.region)
        curve = curve[curve[col.REGION] == region]
        values = dict(zip(curve[col.YEAR], curve[col.INTENSITY], strict=True))
        unit = str(curve[col.INTENSITY_UNIT].iloc[0])
    years = grid(spec["base_year"], spec["target_year"])
    platform_operations.save_pathway(
        platform,
        None,
        {
            "scenario": spec["scenario"],
            "base_year": spec["base_year"],
            "target_year": spec["target_year"],
            "intensity_unit": unit,
            "activity_unit": "",
            "published": True,
        },
        [(y, float(values[y]), None) for y in years],
        user=None,
        session=session,
    )


def _seed_kpi(platform: Platform, spec: dict, *, session: Session) -> None:
    kpi = platform_operations.create_kpi(
        platform,
        name=spec["name"],
        unit=spec["unit"],
        direction=spec["direction"],
        targets={int(y): float(v) for y, v in spec["targets"].items()},
        source=spec.get("source", TYPED),
        user=None,
        session=session,
    )
    for year, value in spec.get("actuals", {}).items():
        platform_operations.record_kpi_actual(
            kpi, int(year), float(value), platform=platform, user=None, session=session
        )
