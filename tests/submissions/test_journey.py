"""The submission journey: the platform a form starts on, the downloadable templates, every
problem of a file at once, the upload preview drawn against the SDA target and the accepted
version, and the company page naming the version its results use.

World (tests/world.py): sector Steel in t CO2e/(t Steel), scenario "Test 1.5" with S = 2.0
(2020), 1.0 (2030), 0.0 (2050), so S(2025) = 1.5; public platform "steel"; company Alpha.
"""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from roadmap.domain.ingest import read_bytes
from roadmap.models import Company
from roadmap.submissions import examples, operations, rules
from tests.factories import PlatformFactory
from tests.formdata import form_fields
from tests.submissions.test_views import HEADER, upload
from tests.world import sign_in

ALPHA = (
    HEADER
    + "Alpha,Steel,Global,S1S2,2020,100,t Steel,250,t CO2e,reported\n"
    + "Alpha,Steel,Global,S1S2,2030,100,t Steel,150,t CO2e,planned\n"
    + "Alpha,Steel,Global,S1S2,2050,100,t Steel,50,t CO2e,planned\n"
)


def _store(session, world, csv: str, *, accept: bool):  # type: ignore[no-untyped-def]
    """A version of Alpha on the steel platform, accepted or left pending."""
    text = read_bytes(csv.encode(), suffix=".csv", name="alpha.csv")
    typed = rules.checked_rows(text, company=world.alpha, platform=world.platform)
    stored = operations.submit(
        typed,
        company=world.alpha,
        platform=world.platform,
        source="upload",
        user=world.member,
        assurance="self-reported",
        session=session,
    )
    if accept:
        operations.review_submission(
            stored, accept=True, reason="", reviewer=world.coordinator, session=session
        )
    session.commit()
    return stored


def _selected_platform(html: str) -> str | None:
    found = re.search(r'<select[^>]*name="platform".*?</select>', html, re.S)
    assert found
    chosen = re.search(r'<option selected value="(\d+)"|<option value="(\d+)" selected', found[0])
    return next(g for g in chosen.groups() if g) if chosen else None


# --- the platform a form starts on --------------------------------------------------------


def test_forms_start_on_the_companys_own_platform(client, session, world):
    """Two public platforms; Alpha submitted to "Steel", not to "A steel" (listed first by
    name), so both forms start on "Steel"."""
    other = PlatformFactory(
        slug="a-steel", name="A steel", sector_id=world.platform.sector_id, is_public=True
    )
    session.commit()
    _store(session, world, ALPHA, accept=False)
    sign_in(client, world.member.email)
    for page in ("new", "upload"):
        html = client.get(f"/companies/{world.alpha.id}/submissions/{page}").get_data(as_text=True)
        assert _selected_platform(html) == str(world.platform.id), page
    # A link may name another platform: the form then starts there.
    html = client.get(
        f"/companies/{world.alpha.id}/submissions/upload?platform={other.slug}"
    ).get_data(as_text=True)
    assert _selected_platform(html) == str(other.id)


def test_a_company_new_to_every_platform_chooses_among_several(client, session, world):
    PlatformFactory(
        slug="a-steel", name="A steel", sector_id=world.platform.sector_id, is_public=True
    )
    session.commit()
    sign_in(client, world.member.email)
    html = client.get(f"/companies/{world.alpha.id}/submissions/upload").get_data(as_text=True)
    assert _selected_platform(html) is None  # the browser shows the first; nothing is guessed


# --- templates -----------------------------------------------------------------------------


def test_csv_template_has_the_contract_columns_and_uploads_as_it_is(client, session, world):
    sign_in(client, world.member.email)
    upload_page = client.get(f"/companies/{world.alpha.id}/submissions/upload")
    assert "CSV template" in upload_page.get_data(as_text=True)
    response = client.get(f"/companies/{world.alpha.id}/submissions/template.csv")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="trajectory-template-steel.csv"'
    )
    lines = response.get_data(as_text=True).splitlines()
    assert lines == [
        "company,sector,region,scope,year,activity,activity_unit,emissions,emissions_unit,kind,"
        "intensity,intensity_unit",
        "Alpha,Steel,Global,S1S2,2020,1000000,t Steel,1800000,t CO2e,reported,,",
        "Alpha,Steel,Global,S1S2,2030,1000000,t Steel,1200000,t CO2e,planned,,",
    ]
    text = read_bytes(response.data, suffix=".csv", name="template.csv")
    typed = rules.checked_rows(text, company=world.alpha, platform=world.platform)
    # 1,800,000 t CO2e over 1,000,000 t steel, as written.
    assert typed[["year", "activity", "emissions"]].values.tolist() == [
        [2020, 1_000_000.0, 1_800_000.0],
        [2030, 1_000_000.0, 1_200_000.0],
    ]
    # And through the page: the template passes every check of the upload.
    html = upload(client, world, response.data, "template.csv").get_data(as_text=True)
    assert "passes every check" in html


def test_xlsx_template_holds_the_same_rows_as_numbers(client, session, world):
    sign_in(client, world.member.email)
    response = client.get(f"/companies/{world.alpha.id}/submissions/template.xlsx")
    assert response.status_code == 200
    assert response.mimetype == examples.XLSX_TYPE
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == examples.TEMPLATE_COLUMNS
    assert rows[1] == [
        "Alpha", "Steel", "Global", "S1S2", 2020, 1000000, "t Steel", 1800000, "t CO2e",
        "reported", None, None,
    ]  # fmt: skip
    text = read_bytes(response.data, suffix=".xlsx", name="template.xlsx")
    typed = rules.checked_rows(text, company=world.alpha, platform=world.platform)
    assert typed["kind"].tolist() == ["reported", "planned"]


def test_template_of_an_intensity_unit_not_written_as_a_ratio_gives_intensities(session):
    """ "MJ/tkm" is no mass of CO2e over activity: the example rows give 1.8 and 1.2 as
    intensities in that unit (1,800,000 / 1,000,000 and 1,200,000 / 1,000,000)."""

    class Sector:
        name, intensity_unit = "Odd", "MJ/tkm"

    class Platform:
        sector, region, scope = Sector(), "Global", "S1"

    rows = examples.example_rows(Company(name="Zeta"), Platform())  # type: ignore[arg-type]
    assert [r[4:] for r in rows] == [
        [2020, "", "", "", "", "reported", 1.8, "MJ/tkm"],
        [2030, "", "", "", "", "planned", 1.2, "MJ/tkm"],
    ]


# --- every problem at once -----------------------------------------------------------------


def test_a_sector_typo_shows_with_the_other_problems_of_the_file(client, session, world):
    """Row 2 has a non-number, row 3 the sector "Stel" and row 4 a bad kind: one preview
    lists the three; nothing is stored."""
    content = (
        HEADER
        + "Alpha,Steel,Global,S1S2,2020,abc,t Steel,250,t CO2e,reported\n"
        + "Alpha,Stel,Global,S1S2,2030,100,t Steel,150,t CO2e,planned\n"
        + "Alpha,Steel,Global,S1S2,2050,100,t Steel,50,t CO2e,someday\n"
    )
    sign_in(client, world.member.email)
    response = upload(client, world, content.encode(), "alpha.csv")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    cells = re.findall(r"<tr><td>(\d+)</td><td>([a-z_]+)</td><td>([^<]+)</td></tr>", html)
    assert cells == [
        ("2", "activity", "not a number"),
        ("3", "sector", "this platform is for the Steel sector"),
        ("4", "kind", "kind must be &#39;reported&#39; or &#39;planned&#39;"),
    ]
    assert "3 problem(s)" in html


# --- the preview ---------------------------------------------------------------------------


def _preview_rows(html: str) -> list[tuple[str, ...]]:
    table = re.search(r'<table class="data" id="preview-table">.*?</table>', html, re.S)
    assert table, "no preview table"
    return [
        tuple(re.findall(r'<td(?: class="num")?>([^<]*)</td>', row))
        for row in re.findall(r"<tr><td>.*?</tr>", table[0], re.S)
    ]


def test_preview_draws_the_file_against_its_sda_target(client, session, world):
    """Alpha: C = 250/100 = 2.5 (2020), 150/100 = 1.5 (2030), 0.5 (2050); C(2025) = 200/100
    = 2.0. SDA target on "Test 1.5" from base year 2020: d = C(2020) - S(2050) = 2.5,
    T(t) = 2.5 * S(t) / 2.0, so T(2025) = 2.5 * 0.75 = 1.875, T(2030) = 1.25, T(2050) = 0."""
    sign_in(client, world.member.email)
    html = upload(client, world, ALPHA.encode(), "alpha.csv").get_data(as_text=True)
    assert 'id="upload-preview"' in html  # the Plotly chart
    assert "SDA target (Test 1.5)" in html
    assert "keep using\n    no version (none is accepted yet)" in html
    rows = {r[0]: r[1:] for r in _preview_rows(html)}
    # Intensities read to 3 significant digits (roadmap.formatting).
    assert rows["2020"] == ("2.50", "2.50")
    assert rows["2025"] == ("2.00", "1.88")
    assert rows["2030"] == ("1.50", "1.25")
    assert rows["2050"] == ("0.500", "0")
    assert len(rows) == 31  # every year 2020-2050


def test_preview_draws_the_previous_accepted_version(client, session, world):
    """Accepted version 1 plans 170 t in 2030: C(2030) = 1.7, shown beside the new 1.5."""
    _store(
        session, world, ALPHA.replace("2030,100,t Steel,150", "2030,100,t Steel,170"), accept=True
    )
    sign_in(client, world.member.email)
    html = upload(client, world, ALPHA.encode(), "alpha.csv").get_data(as_text=True)
    assert "Accepted version 1" in html
    assert "keep using\n    accepted version 1" in html
    rows = {r[0]: r[1:] for r in _preview_rows(html)}
    assert rows["2030"] == ("1.50", "1.25", "1.70")
    assert rows["2020"] == ("2.50", "2.50", "2.50")


def test_preview_says_why_no_target_can_be_drawn(client, session, world):
    """A trajectory that starts in 2021 has no value at the scenario's base year (2020)."""
    late = ALPHA.replace(
        "2020,100,t Steel,250,t CO2e,reported", "2021,100,t Steel,250,t CO2e,reported"
    )
    sign_in(client, world.member.email)
    html = upload(client, world, late.encode(), "alpha.csv").get_data(as_text=True)
    assert "passes every check" in html
    assert 'id="upload-preview"' not in html
    assert "No target can be drawn" in html


# --- which version the results use ---------------------------------------------------------


def test_company_page_names_the_version_its_results_use(client, session, world):
    first = _store(session, world, ALPHA, accept=True)
    _store(
        session, world, ALPHA.replace("2030,100,t Steel,150", "2030,100,t Steel,140"), accept=False
    )
    sign_in(client, world.member.email)
    html = client.get(f"/companies/{world.alpha.id}").get_data(as_text=True)
    note = re.search(r'<p class="version-note".*?</p>', html, re.S)
    assert note
    text = " ".join(re.sub(r"<[^>]+>", "", note[0]).split())
    assert text.startswith("These results use accepted version 1 of Alpha's trajectory on Steel")
    assert "Pending version 2 is not in them until a coordinator accepts it." in text
    assert f'href="/submissions/{first.id}"' in note[0]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_templates_are_the_submitters_only(client, session, world, kind):
    _store(session, world, ALPHA, accept=False)  # now on the coordinator's platform
    sign_in(client, world.coordinator.email)  # sees Alpha, may not submit for it
    assert client.get(f"/companies/{world.alpha.id}/submissions/template.{kind}").status_code == 403


def test_a_resubmitted_form_keeps_its_platform(client, session, world):
    """The prefilled form posts back the platform it started on (the company's own)."""
    _store(session, world, ALPHA, accept=False)
    sign_in(client, world.member.email)
    page = client.get(f"/companies/{world.alpha.id}/submissions/new").get_data(as_text=True)
    assert form_fields(page, containing="rows-0-year")["platform"] == str(world.platform.id)
