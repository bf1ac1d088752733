"""Submitting by form and by upload, hostile files, accepting, comparing and reviewing."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile

from sqlmodel import func, select

from roadmap.models import PendingUpload, Submission, TrajectoryPoint
from roadmap.submissions.forms import MAX_FORM_ROWS
from tests.formdata import form_fields
from tests.world import csrf_token, sign_in

HEADER = "company,sector,region,scope,year,activity,activity_unit,emissions,emissions_unit,kind\n"
GOOD_CSV = (
    HEADER
    + "Alpha,Steel,Global,S1S2,2020,100,t Steel,250,t CO2e,reported\n"
    + "Alpha,Steel,Global,S1S2,2030,100,t Steel,150,t CO2e,planned\n"
)


def count(session, model) -> int:  # type: ignore[no-untyped-def]
    session.expire_all()
    return session.exec(select(func.count()).select_from(model)).one()


def form_data(page: str, world, rows, **extra):  # type: ignore[no-untyped-def]
    data = {
        "csrf_token": csrf_token(page),
        "platform": str(world.platform.id),
        "assurance": "limited assurance",
        "activity_unit": "t Steel",
        "emissions_unit": "t CO2e",
        "submit": "1",
    }
    for i, (year, kind, activity, emissions) in enumerate(rows):
        data |= {
            f"rows-{i}-year": year,
            f"rows-{i}-kind": kind,
            f"rows-{i}-activity": activity,
            f"rows-{i}-emissions": emissions,
        }
    return data | extra


def test_form_starts_on_the_five_year_grid(client, world):
    sign_in(client, world.member.email)
    page = client.get(f"/companies/{world.alpha.id}/submissions/new").get_data(as_text=True)
    years = re.findall(r'name="rows-\d+-year"[^>]*value="(\d+)"', page)
    assert years == [str(y) for y in [*range(2019, 2025), *range(2025, 2051, 5)]]
    # Each cell is labelled with its own row for screen readers.
    assert 'aria-label="Year, row 12"' in page and 'aria-label="Emissions, row 1"' in page


def test_form_submission_is_stored_as_version_one(client, session, world):
    sign_in(client, world.member.email)
    url = f"/companies/{world.alpha.id}/submissions/new"
    page = client.get(url).get_data(as_text=True)
    rows = [("2020", "reported", "100", "250"), ("2030", "planned", "100", "150")]
    response = client.post(url, data=form_data(page, world, rows))
    assert response.status_code == 302
    stored = session.exec(select(Submission)).one()
    assert (stored.version, stored.source, stored.status, stored.assurance) == (
        1,
        "form",
        "pending",
        "limited assurance",
    )
    assert stored.submitted_by_id == world.member.id
    points = session.exec(
        select(TrajectoryPoint.year, TrajectoryPoint.emissions).order_by(TrajectoryPoint.year)
    ).all()
    assert [tuple(p) for p in points] == [(2020, 250.0), (2030, 150.0)]


def test_form_problem_is_shown_next_to_its_field_and_nothing_is_saved(client, session, world):
    sign_in(client, world.member.email)
    url = f"/companies/{world.alpha.id}/submissions/new"
    page = client.get(url).get_data(as_text=True)
    rows = [("2020", "reported", "100", "250"), ("", "", "", ""), ("2030", "planned", "-5", "150")]
    response = client.post(url, data=form_data(page, world, rows))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    # The third table row (the second non-blank one) carries the message beside its input.
    cell = re.search(r'name="rows-2-activity".*?</td>', html, re.S).group(0)
    assert "must be greater than zero" in cell
    assert "Nothing was saved" in html
    assert count(session, Submission) == 0


def test_form_refuses_units_that_do_not_fit_the_sector(client, session, world):
    sign_in(client, world.member.email)
    url = f"/companies/{world.alpha.id}/submissions/new"
    page = client.get(url).get_data(as_text=True)
    data = form_data(page, world, [("2020", "reported", "100", "250")], activity_unit="tkm")
    html = client.post(url, data=data).get_data(as_text=True)
    assert "does not give an intensity in t CO2e/(t Steel), the Steel unit" in html
    assert count(session, Submission) == 0


def test_add_rows_keeps_what_was_typed(client, world):
    sign_in(client, world.member.email)
    url = f"/companies/{world.alpha.id}/submissions/new"
    page = client.get(url).get_data(as_text=True)
    data = form_data(page, world, [("2020", "reported", "100", "250")], add_rows="1")
    del data["submit"]
    html = client.post(url, data=data).get_data(as_text=True)
    assert len(re.findall(r'name="rows-\d+-year"', html)) == 6
    assert re.search(r'name="rows-0-emissions"[^>]*value="250"', html)


def upload(client, world, content: bytes, filename: str):  # type: ignore[no-untyped-def]
    url = f"/companies/{world.alpha.id}/submissions/upload"
    page = client.get(url).get_data(as_text=True)
    return client.post(
        url,
        data={
            "csrf_token": csrf_token(page),
            "platform": str(world.platform.id),
            "assurance": "self-reported",
            "file": (io.BytesIO(content), filename),
        },
        content_type="multipart/form-data",
    )


def test_upload_preview_then_accept(client, session, world):
    sign_in(client, world.member.email)
    preview = upload(client, world, GOOD_CSV.encode(), "alpha.csv")
    assert preview.status_code == 200
    html = preview.get_data(as_text=True)
    assert "passes every check" in html and "2 rows as they will be stored" in html
    assert count(session, Submission) == 0  # nothing stored before acceptance
    pending = session.exec(select(PendingUpload)).one()
    accept = re.search(r'action="(/uploads/\d+/accept)"', html).group(1)
    response = client.post(
        accept,
        data={
            "csrf_token": csrf_token(html),
            "checksum": pending.checksum,
            "assurance": "self-reported",
        },
    )
    assert response.status_code == 302
    stored = session.exec(select(Submission)).one()
    assert stored.checksum == hashlib.sha256(GOOD_CSV.encode()).hexdigest()
    assert (stored.filename, stored.source, stored.version) == ("alpha.csv", "upload", 1)
    assert count(session, PendingUpload) == 0


def test_accepting_with_a_different_checksum_is_refused(client, session, world):
    sign_in(client, world.member.email)
    html = upload(client, world, GOOD_CSV.encode(), "alpha.csv").get_data(as_text=True)
    accept = re.search(r'action="(/uploads/\d+/accept)"', html).group(1)
    response = client.post(
        accept,
        data={"csrf_token": csrf_token(html), "checksum": "0" * 64, "assurance": "self-reported"},
    )
    assert response.status_code == 400
    assert count(session, Submission) == 0


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (210 * 1024 * 1024))
    return buffer.getvalue()


BAD_FILES = [
    (
        HEADER + '=HYPERLINK("http://x"),Steel,Global,S1S2,2020,100,t Steel,250,t CO2e,reported\n',
        "formula.csv",
        "2",
        "company",
        "starts like a spreadsheet formula",
    ),
    ("Alpha".encode("latin-1") + b",\xe9\n", "latin.csv", "", "", "not UTF-8 text"),
    (
        GOOD_CSV.replace("Alpha,Steel,Global,S1S2,2030", "Beta,Steel,Global,S1S2,2030"),
        "other.csv",
        "3",
        "company",
        "this submission is for Alpha only",
    ),
    (
        GOOD_CSV.replace(",100,t Steel,150", ",0,t Steel,150"),
        "zero.csv",
        "3",
        "activity",
        "must be greater than zero",
    ),
    (b"PK\x03\x04 not really a workbook", "fake.xlsx", "", "", "not a readable .xlsx workbook"),
]


def test_hostile_and_malformed_uploads_change_nothing(client, session, world):
    sign_in(client, world.member.email)
    for content, filename, row, column, message in BAD_FILES:
        data = content if isinstance(content, bytes) else content.encode()
        response = upload(client, world, data, filename)
        assert response.status_code == 422, filename
        html = response.get_data(as_text=True)
        assert f"<tr><td>{row}</td><td>{column}</td><td>{message}" in html, filename
    assert (count(session, Submission), count(session, PendingUpload)) == (0, 0)


def test_a_zip_bomb_disguised_as_xlsx_is_refused(client, session, world):
    sign_in(client, world.member.email)
    html = upload(client, world, _zip_bomb(), "bomb.xlsx").get_data(as_text=True)
    assert "the workbook inflates to over 32 MB; refused" in html
    assert count(session, PendingUpload) == 0


def test_too_many_rows_and_oversized_uploads(app, client, session, world):
    sign_in(client, world.member.email)
    app.config["MAX_UPLOAD_ROWS"] = 3
    rows = "".join(
        f"Alpha,Steel,Global,S1S2,{y},100,t Steel,200,t CO2e,planned\n" for y in range(2020, 2025)
    )
    html = upload(client, world, (HEADER + rows).encode(), "long.csv").get_data(as_text=True)
    assert "more than 3 rows; at most 3 are accepted" in html
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = upload(client, world, b"x" * 4096, "big.csv")
    assert response.status_code == 413
    assert count(session, PendingUpload) == 0


def test_only_csv_and_xlsx_are_taken(client, world):
    sign_in(client, world.member.email)
    response = upload(client, world, GOOD_CSV.encode(), "notes.txt")
    assert response.status_code == 422
    assert "Only .csv or .xlsx." in response.get_data(as_text=True)


def _submit_twice(client, session, world) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    url = f"/companies/{world.alpha.id}/submissions/new"
    ids = []
    for emissions_2030 in ("150", "120"):
        page = client.get(url).get_data(as_text=True)
        rows = [("2020", "reported", "100", "250"), ("2030", "planned", "100", emissions_2030)]
        client.post(url, data=form_data(page, world, rows))
        ids.append(session.exec(select(func.max(Submission.id))).one())
    return ids[0], ids[1]


def test_compare_two_versions(client, session, world):
    sign_in(client, world.member.email)
    first, second = _submit_twice(client, session, world)
    html = client.get(f"/submissions/{second}/compare/{first}").get_data(as_text=True)
    assert "v1 against v2" in html
    changed = re.findall(r'<tr class="changed"><td>(\d+)</td>', html)
    assert changed == ["2030"]
    assert "-30" in html  # 120 - 150 t CO2e in 2030


def test_coordinator_review(client, session, world):
    sign_in(client, world.member.email)
    first, _ = _submit_twice(client, session, world)
    client.post(
        "/auth/logout", data={"csrf_token": csrf_token(client.get("/").get_data(as_text=True))}
    )
    sign_in(client, world.coordinator.email)
    page = client.get(f"/submissions/{first}").get_data(as_text=True)
    refused = client.post(
        f"/submissions/{first}/review", data={"csrf_token": csrf_token(page), "decision": "reject"}
    )
    assert refused.status_code == 422
    assert "Say why the submission is rejected." in refused.get_data(as_text=True)
    rejection = {
        "csrf_token": csrf_token(page),
        "decision": "reject",
        "reason": "2030 plan missing",
    }
    asked = client.post(f"/submissions/{first}/review", data=rejection)
    assert asked.status_code == 200  # a rejection is confirmed first; nothing is stored yet
    session.expire_all()
    assert session.get(Submission, first).status == "pending"
    client.post(f"/submissions/{first}/review", data={**rejection, "confirmed": "yes"})
    session.expire_all()
    stored = session.get(Submission, first)
    assert (stored.status, stored.review_reason, stored.reviewed_by_id) == (
        "rejected",
        "2030 plan missing",
        world.coordinator.id,
    )


def _stored_rows(session, submission_id):  # type: ignore[no-untyped-def]
    session.expire_all()
    points = session.exec(
        select(TrajectoryPoint)
        .where(TrajectoryPoint.submission_id == submission_id)
        .order_by(TrajectoryPoint.year)
    ).all()
    return [p.model_dump(exclude={"id", "submission_id"}) for p in points]


def _resubmit_prefilled(client, world):  # type: ignore[no-untyped-def]
    """Open the form for a new version and send it back exactly as prefilled."""
    url = f"/companies/{world.alpha.id}/submissions/new"
    page = client.get(url).get_data(as_text=True)
    data = form_fields(page, containing="rows-0-year") | {"submit": "1"}
    return client.post(url, data=data)


def _accept_upload(client, world, content: str):  # type: ignore[no-untyped-def]
    html = upload(client, world, content.encode(), "alpha.csv").get_data(as_text=True)
    assert "passes every check" in html, html[:2000]
    fields = form_fields(html, containing="checksum")
    accept = re.search(r'action="(/uploads/\d+/accept)"', html).group(1)
    assert client.post(accept, data=fields).status_code == 302


def test_resubmitting_the_prefilled_form_keeps_every_figure_bit_for_bit(client, session, world):
    # Nine to seventeen significant digits, a value that %g would write as 3.79777e+07, one
    # that is not the nearest decimal of its digits (0.1 + 0.2) and a very small one.
    figures = [
        (2019, "37977712", "94514277.123456789"),
        (2020, "37977712.345678901", "0.30000000000000004"),
        (2025, "123456789012.5", "1.0000000000000002"),
        (2030, "0.000012345678912", "98765432.1"),
    ]
    content = HEADER + "".join(
        f"Alpha,Steel,Global,S1S2,{y},{a},t Steel,{e},t CO2e,"
        f"{'reported' if y < 2025 else 'planned'}\n"
        for y, a, e in figures
    )
    sign_in(client, world.member.email)
    _accept_upload(client, world, content)
    first = session.exec(select(Submission)).one()
    page = client.get(f"/companies/{world.alpha.id}/submissions/new").get_data(as_text=True)
    assert "e+" not in page and "3.79777" not in page
    # The stored double exactly, in the fewest digits that read back as it (its 17 given
    # digits are more than a double holds).
    assert 'value="37977712.3456789"' in page and 'value="94514277.12345679"' in page
    response = _resubmit_prefilled(client, world)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    second = session.exec(select(Submission).where(Submission.version == 2)).one()
    before, after = _stored_rows(session, first.id), _stored_rows(session, second.id)
    assert [(r["activity"], r["emissions"]) for r in before] == [
        (float(a), float(e)) for _, a, e in figures
    ]
    assert after == before  # floats compared with ==: bit for bit
    assert second.platform_id == first.platform_id


def test_resubmitting_an_intensity_only_version_keeps_its_region_and_intensities(
    client, session, world
):
    content = (
        "company,sector,region,scope,year,intensity,intensity_unit,kind\n"
        "Alpha,Steel,Europe,S1S2,2020,1.8765432109876,t CO2e/(t Steel),reported\n"
        "Alpha,Steel,Europe,S1S2,2030,0.123456789123,t CO2e/(t Steel),planned\n"
    )
    sign_in(client, world.member.email)
    _accept_upload(client, world, content)
    first = session.exec(select(Submission)).one()
    response = _resubmit_prefilled(client, world)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    second = session.exec(select(Submission).where(Submission.version == 2)).one()
    assert (second.region, second.scope) == ("Europe", "S1S2")
    assert _stored_rows(session, second.id) == _stored_rows(session, first.id)


def test_stored_figures_are_shown_exactly_on_the_submission_page(client, session, world):
    content = (
        HEADER + "Alpha,Steel,Global,S1S2,2020,37977712.345678901,t Steel,250,t CO2e,reported\n"
    )
    sign_in(client, world.member.email)
    _accept_upload(client, world, content)
    stored = session.exec(select(Submission)).one()
    html = client.get(f"/submissions/{stored.id}").get_data(as_text=True)
    assert "37,977,712.3456789" in html and "3.79777e" not in html


def test_add_rows_on_a_full_table_says_so(client, world):
    """Found by tests/web/test_fuzz_forms.py: "Add rows" on a table already at its limit
    asked WTForms for more rows than it holds (an AssertionError, answered 500)."""
    sign_in(client, world.member.email)
    url = f"/companies/{world.alpha.id}/submissions/new"
    page = client.get(url).get_data(as_text=True)
    full = [(str(1900 + i), "reported", "100", "250") for i in range(MAX_FORM_ROWS)]
    data = form_data(page, world, full, add_rows="1")
    del data["submit"]
    response = client.post(url, data=data)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert len(re.findall(r'name="rows-\d+-year"', html)) == MAX_FORM_ROWS
    assert f"The table holds at most {MAX_FORM_ROWS} years, one row each." in html


def test_a_version_with_every_year_opens_in_the_form(client, session, world):
    """A trajectory may hold every year from 1900 to 2200 (301 rows); the form that starts from
    the newest version opened with at most 200 and answered 500 for a longer one."""
    from roadmap.submissions import operations as submission_operations
    from tests.domain.helpers import trajectories

    text = HEADER + "".join(
        f"Alpha,Steel,Global,S1S2,{y},100,t Steel,{250 - 0.5 * (y - 1900)},t CO2e,reported\n"
        for y in range(1900, 2201)
    )
    submission_operations.create_submissions(
        trajectories(text), platform=world.platform, source="seed", session=session
    )
    session.commit()
    sign_in(client, world.member.email)
    response = client.get(f"/companies/{world.alpha.id}/submissions/new")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert len(re.findall(r'name="rows-\d+-year"', html)) == 301
    assert re.search(r'name="rows-300-year"[^>]*value="2200"', html)
