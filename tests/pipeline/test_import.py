"""Importing projects from a file: a good file is previewed, then added and updated whole; every
bad file is refused with its problems named by file, row and column, and nothing changes."""

from __future__ import annotations

import io
import re
from html import unescape

import pytest
from openpyxl import Workbook
from sqlmodel import select

from roadmap.domain.projects import COLUMNS
from roadmap.models import HistoryEntry, Project
from tests.pipeline.records_world import Projects
from tests.world import csrf_token, sign_in

URL = "/platforms/steel/projects/import"
HEADER = ",".join(COLUMNS)
# company,name,country,technology,status,announced_on,feasibility_on,fid_on,construction_on,
# operating_on,cancelled_on,start_year,capacity,capacity_unit,expected_intensity,
# intensity_unit,source_url,public
NEW = (
    "Alpha,Gulf DRI,Oman,hydrogen DRI-EAF,announced,2025-01-20,,,,,,2031,2.5,Mt Steel,0.1,"
    "t CO2e/(t Steel),https://example.org/gulf,yes"
)
UPDATE = (
    "ALPHA, lulea h2 ,Sweden,hydrogen DRI-EAF,operating,2020-01-15,,,,2024-06-01,,2024,1600,"
    "kt Steel,,,,yes"
)
GOOD = f"{HEADER}\n{NEW}\n{UPDATE}\n"


def upload(client, data: bytes, filename: str = "projects.csv"):  # type: ignore[no-untyped-def]
    token = csrf_token(client.get(URL).get_data(as_text=True))
    return client.post(
        URL,
        data={"csrf_token": token, "file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def problems_of(html: str) -> list[tuple[str, str, str]]:
    """(row, column, problem) of each line of the problems table."""
    rows = re.findall(
        r"<tr><td>[^<]*</td><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td></tr>", html
    )
    return [(r, c, unescape(m)) for r, c, m in rows]


def stored(session) -> dict[str, tuple]:  # type: ignore[no-untyped-def]
    session.expire_all()
    return {
        p.name: (p.company_id, p.status, p.capacity, p.capacity_unit, p.is_public)
        for p in session.exec(select(Project)).all()
    }


def confirm(client, html: str):  # type: ignore[no-untyped-def]
    fields = dict(
        re.findall(r'name="(csrf_token|content|filename|checksum)"[^>]*value="([^"]*)"', html)
    )
    fields = {k: unescape(v) for k, v in fields.items()}
    return client.post(f"{URL}/confirm", data=fields)


def test_a_good_file_is_previewed_then_added_and_updated(
    client, projects: Projects, session
) -> None:  # type: ignore[no-untyped-def]
    sign_in(client, "member@alpha.example")
    before = stored(session)
    preview = upload(client, GOOD.encode())
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200, html[:2000]
    assert "1 project(s) to add" in html and "1 to update" in html
    assert stored(session) == before  # nothing stored by the preview
    done = confirm(client, html)
    assert done.status_code == 302
    after = stored(session)
    alpha = projects.world.alpha.id
    assert after["Gulf DRI"] == (alpha, "announced", 2.5, "Mt Steel", True)
    # Matched by company and name without regard to case and blanks: the stored name stays.
    assert after["Lulea H2"] == (alpha, "operating", 1600.0, "kt Steel", True)
    assert len(after) == len(before) + 1
    history = session.exec(select(HistoryEntry).where(HistoryEntry.kind == "project")).all()
    assert {h.what for h in history} >= {
        "added project Gulf DRI of Alpha",
        "edited project Lulea H2 of Alpha",
        "imported projects from projects.csv",
    }
    assert any("capacity: 1.5 -> 1600" in h.detail for h in history)


def test_an_xlsx_file_with_date_cells(client, projects: Projects, session) -> None:  # type: ignore[no-untyped-def]
    from datetime import datetime

    book = Workbook()
    sheet = book.active
    sheet.append(list(COLUMNS))
    row = NEW.split(",")
    row[5] = datetime(2025, 1, 20)  # a date cell
    row[11], row[12] = 2031, 2.5  # number cells
    sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    sign_in(client, "coord@example.org")
    html = upload(client, out.getvalue(), "projects.xlsx").get_data(as_text=True)
    assert confirm(client, html).status_code == 302
    project = session.exec(select(Project).where(Project.name == "Gulf DRI")).one()
    assert project.announced_on.isoformat() == "2025-01-20" and project.capacity == 2.5


def replaced(line: str, column: str, value: str) -> str:
    cells = line.split(",")
    cells[COLUMNS.index(column)] = value
    return ",".join(cells)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            f"{HEADER}\n{replaced(NEW, 'capacity_unit', 't Cement')}\n",
            [
                (
                    "2",
                    "capacity_unit",
                    "'t Cement' does not convert into the sector's activity unit 't Steel'",
                )
            ],
        ),
        (
            f"{HEADER}\n{replaced(NEW, 'capacity', 'nan')}\n",
            [("2", "capacity", "'nan': not a number")],
        ),
        (
            f"{HEADER}\n{replaced(NEW, 'capacity', '1e400')}\n",
            [("2", "capacity", "not a finite number")],
        ),
        (
            f"{HEADER}\n{replaced(NEW, 'capacity', '-2')}\n",
            [("2", "capacity", "must be greater than zero")],
        ),
        (
            f"{HEADER}\n{NEW}\n{replaced(UPDATE, 'start_year', '20x0')}\n",
            [("3", "start_year", "'20x0': not a whole year")],
        ),
        (
            f"{HEADER}\n{replaced(NEW, 'announced_on', '2025-02-30')}\n",
            [("2", "announced_on", "not a date")],
        ),
        (f"{HEADER}\n{replaced(NEW, 'status', 'dreaming')}\n", [("2", "status", "must be one of")]),
        (
            f"{HEADER}\n{replaced(NEW, 'company', 'Beta')}\n",
            [
                (
                    "2",
                    "company",
                    "'Beta' is not a company whose projects you may import here (Alpha)",
                )
            ],
        ),
        (f"{HEADER}\n{replaced(NEW, 'public', 'maybe')}\n", [("2", "public", "write yes or no")]),
        (f"{HEADER}\n{NEW}\n{NEW}\n", [("3", "name", "Alpha's 'Gulf DRI' is already in row 2")]),
        (f"{HEADER},colour\n{NEW},red\n", [("1", "colour", "unknown column")]),
        ("company,name\nAlpha,x\n", [("1", "technology", "missing column")]),
        (f"{HEADER}\n", [("", "", "the file holds no projects")]),
        ("a," * 3000 + "\n", [("1", "", "more than 100 columns")]),
        (f'{HEADER}\n"Alpha,broken\n', [("2", "", "malformed CSV")]),
    ],
)
def test_each_bad_file_names_row_and_column_and_changes_nothing(
    client, projects: Projects, session, content, expected
) -> None:  # type: ignore[no-untyped-def]
    sign_in(client, "member@alpha.example")
    before = stored(session)
    response = upload(client, content.encode())
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    found = problems_of(html)
    for row, column, message in expected:
        assert any(r == row and c == column and message in m for r, c, m in found), found
    assert 'name="content"' not in html  # nothing to confirm
    assert stored(session) == before


def test_oversized_and_binary_files_are_refused(app, client, projects: Projects, session) -> None:  # type: ignore[no-untyped-def]
    sign_in(client, "member@alpha.example")
    before = stored(session)
    app.config["MAX_UPLOAD_ROWS"] = 3
    html = upload(client, (HEADER + "\n" + (NEW + "\n") * 4).encode()).get_data(as_text=True)
    assert "more than 3 rows; at most 3 are accepted" in html
    # The preview posts the file back in base64: 200,000 * 3/4 - 65,536 = 84,464 bytes at most.
    app.config["MAX_CONTENT_LENGTH"] = 200_000
    big = (HEADER + "\n" + (NEW + "\n") * 700).encode()  # 700 * 123 bytes: about 86 KB
    assert len(big) > 84_464
    html = upload(client, big).get_data(as_text=True)
    assert "larger than 82 KB; split the file" in html
    assert upload(client, b"x" * 250_000).status_code == 413
    assert "not UTF-8" in upload(client, b"\xff\xfe\x00bad").get_data(as_text=True)
    assert "not a readable .xlsx" in unescape(
        upload(client, b"PK\x03\x04junk", "p.xlsx").get_data(as_text=True)
    )
    assert stored(session) == before


def test_a_tampered_confirmation_is_refused(client, projects: Projects, session) -> None:  # type: ignore[no-untyped-def]
    sign_in(client, "member@alpha.example")
    html = upload(client, GOOD.encode()).get_data(as_text=True)
    before = stored(session)
    token = csrf_token(html)
    tampered = {
        "csrf_token": token,
        "content": "bm90IGl0",
        "filename": "p.csv",
        "checksum": "0" * 64,
    }
    assert client.post(f"{URL}/confirm", data=tampered).status_code == 400
    assert client.post(f"{URL}/confirm", data={**tampered, "content": "%%%"}).status_code == 400
    assert stored(session) == before


def test_the_template_imports_as_it_is(client, projects: Projects, session) -> None:  # type: ignore[no-untyped-def]
    sign_in(client, "member@alpha.example")
    template = client.get("/platforms/steel/projects/template.csv")
    assert template.status_code == 200
    assert template.data.decode().splitlines()[0] == HEADER
    html = upload(client, template.data, "template.csv").get_data(as_text=True)
    assert "2 project(s) to add" in html, problems_of(html)


def test_an_export_imports_back_unchanged(client, projects: Projects, session) -> None:  # type: ignore[no-untyped-def]
    sign_in(client, "coord@example.org")
    before = stored(session)
    exported = client.get("/platforms/steel/projects/export.csv").data
    html = upload(client, exported).get_data(as_text=True)
    assert "0 project(s) to add" in html and "4 to update" in html, problems_of(html)
    assert confirm(client, html).status_code == 302
    assert stored(session) == before
    entry = session.exec(
        select(HistoryEntry).where(HistoryEntry.what == "imported projects from projects.csv")
    ).one()
    assert entry.detail == "0 added, 0 updated, 4 unchanged"
