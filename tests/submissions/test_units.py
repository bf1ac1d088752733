"""The per-row clinker ratio and mass per passenger: taken from uploads and the form, stored
exactly as sent, shown, prefilled for the next version, and required where a unit needs them."""

from __future__ import annotations

import io
import re

from sqlmodel import select

from roadmap.domain.ingest import read_bytes
from roadmap.domain.validate import validate_pathways
from roadmap.models import Submission
from roadmap.sectors import operations as sector_operations
from tests.factories import PlatformFactory
from tests.formdata import form_fields
from tests.submissions.test_views import (
    _accept_upload,
    _resubmit_prefilled,
    _stored_rows,
    count,
    form_data,
)
from tests.world import World, csrf_token, sign_in

WITH_FIGURES = (
    "company,sector,region,scope,year,activity,activity_unit,emissions,emissions_unit,kind,"
    "clinker_ratio,kg_per_passenger\n"
    "Alpha,Steel,Global,S1S2,2020,100,t Steel,250,t CO2e,reported,0.71234567890123456,100\n"
    "Alpha,Steel,Global,S1S2,2030,100,t Steel,150,t CO2e,planned,,97.30000000000001\n"
)


def test_per_row_figures_are_stored_exactly_and_prefilled_bit_for_bit(client, session, world):
    """0.71234567890123456 holds more digits than a double: stored as the nearest double
    (0.7123456789012346 written in the fewest digits that read back as it); 97.30000000000001
    is not 97.3. A resubmission of the prefilled form stores the same rows."""
    sign_in(client, world.member.email)
    _accept_upload(client, world, WITH_FIGURES)
    first = session.exec(select(Submission)).one()
    rows = _stored_rows(session, first.id)
    assert [(r["clinker_ratio"], r["kg_per_passenger"]) for r in rows] == [
        (0.71234567890123456, 100.0),
        (None, 97.30000000000001),
    ]
    detail = client.get(f"/submissions/{first.id}").get_data(as_text=True)
    assert "Clinker ratio (t clinker/t cement)" in detail and "0.7123456789012346" in detail
    page = client.get(f"/companies/{world.alpha.id}/submissions/new").get_data(as_text=True)
    fields = form_fields(page, containing="rows-0-year")
    assert fields["rows-0-clinker_ratio"] == "0.7123456789012346"
    assert fields["rows-1-kg_per_passenger"] == "97.30000000000001"
    assert _resubmit_prefilled(client, world).status_code == 302
    second = session.exec(select(Submission).where(Submission.version == 2)).one()
    assert _stored_rows(session, second.id) == rows


def test_form_refuses_a_clinker_ratio_above_one_beside_its_field(client, session, world):
    sign_in(client, world.member.email)
    url = f"/companies/{world.alpha.id}/submissions/new"
    page = client.get(url).get_data(as_text=True)
    data = form_data(page, world, [("2020", "reported", "100", "250")])
    data["rows-0-clinker_ratio"] = "1.2"
    response = client.post(url, data=data)
    assert response.status_code == 422
    cell = re.search(r'name="rows-0-clinker_ratio".*?</td>', response.get_data(as_text=True), re.S)
    assert "must be at most 1 (t clinker per t cement)" in cell.group(0)
    assert count(session, Submission) == 0


CEMENT = """sector,scenario,region,scope,year,intensity,intensity_unit
Cement,Test Cement,Global,S1,2020,0.6,t CO2/(t Cement)
Cement,Test Cement,Global,S1,2050,0.1,t CO2/(t Cement)
"""
PER_CLINKER = (
    "company,sector,region,scope,year,intensity,intensity_unit,kind,clinker_ratio\n"
    "Alpha,Cement,Global,S1,2020,0.8,t CO2/(t Clinker),reported,{ratio}\n"
)


def cement_platform(session):  # type: ignore[no-untyped-def]
    table = validate_pathways(read_bytes(CEMENT.encode(), suffix=".csv", name="c.csv"))
    sector_operations.import_pathways(table, session=session)
    sector = sector_operations.get_or_create_sector("Cement", "t CO2/(t Cement)", session=session)
    platform = PlatformFactory(slug="cement", name="Cement", sector_id=sector.id, scope="S1")
    platform.is_public = True
    session.commit()
    return platform


def upload_to(client, world: World, platform, content: str) -> str:  # type: ignore[no-untyped-def]
    url = f"/companies/{world.alpha.id}/submissions/upload"
    page = client.get(url).get_data(as_text=True)
    data = {
        "csrf_token": csrf_token(page),
        "platform": str(platform.id),
        "assurance": "self-reported",
        "file": (io.BytesIO(content.encode()), "cement.csv"),
    }
    response = client.post(url, data=data, content_type="multipart/form-data")
    return response.get_data(as_text=True)


def test_upload_per_tonne_of_clinker_needs_the_ratio(client, session, world: World):
    """An upload in t CO2/t clinker without a clinker ratio is refused at its row and column;
    with 0.75 it passes (0.8 * 0.75 = 0.6 t CO2/t cement when reconciled)."""
    platform = cement_platform(session)
    sign_in(client, world.member.email)
    html = upload_to(client, world, platform, PER_CLINKER.format(ratio=""))
    assert "passes every check" not in html
    assert re.search(r"2.*clinker_ratio.*a figure per tonne of clinker needs", html, re.S)
    html = upload_to(client, world, platform, PER_CLINKER.format(ratio="0.75"))
    assert "passes every check" in html
