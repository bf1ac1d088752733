"""The downloadable trajectory templates: the data contract's columns and example rows for one
company on one platform, as CSV or XLSX, so that a filled-in copy uploads as it is."""

from __future__ import annotations

import csv
import io

from roadmap.domain import columns as col
from roadmap.domain import units
from roadmap.models import Company, Platform

# The data contract's order (README "Data contract"), then the optional intensity columns.
TEMPLATE_COLUMNS = [
    col.COMPANY,
    col.SECTOR,
    col.REGION,
    col.SCOPE,
    col.YEAR,
    col.ACTIVITY,
    col.ACTIVITY_UNIT,
    col.EMISSIONS,
    col.EMISSIONS_UNIT,
    col.KIND,
    col.INTENSITY,
    col.INTENSITY_UNIT,
]
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A reported year and a planned one (activity, emissions): an intensity of 1.8 falling to 1.2.
_EXAMPLE_YEARS = ((2020, "reported", 1_000_000, 1_800_000), (2030, "planned", 1_000_000, 1_200_000))


def example_rows(company: Company, platform: Platform) -> list[list[object]]:
    """Rows under TEMPLATE_COLUMNS ("" where blank). Where the sector's intensity unit is not
    written as emissions over activity, the rows give an intensity instead (the contract
    allows it)."""
    unit = platform.sector.intensity_unit
    parts = units.intensity_parts(unit)
    rows = []
    for year, kind, activity, emitted in _EXAMPLE_YEARS:
        row: dict[str, object] = {
            col.COMPANY: company.name,
            col.SECTOR: platform.sector.name,
            col.REGION: platform.region,
            col.SCOPE: platform.scope,
            col.YEAR: year,
            col.KIND: kind,
        }
        if parts is None:
            row |= {col.INTENSITY: emitted / activity, col.INTENSITY_UNIT: unit}
        else:
            row |= {
                col.ACTIVITY: activity,
                col.ACTIVITY_UNIT: parts[1],
                col.EMISSIONS: emitted,
                col.EMISSIONS_UNIT: parts[0],
            }
        rows.append([row.get(name, "") for name in TEMPLATE_COLUMNS])
    return rows


def template_csv(company: Company, platform: Platform) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(TEMPLATE_COLUMNS)
    writer.writerows(example_rows(company, platform))
    return buffer.getvalue().encode("utf-8")


def template_xlsx(company: Company, platform: Platform) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "trajectory"
    sheet.append(TEMPLATE_COLUMNS)
    for row in example_rows(company, platform):
        sheet.append([None if cell == "" else cell for cell in row])
    for letter, name in zip("ABCDEFGHIJKL", TEMPLATE_COLUMNS, strict=True):
        sheet.column_dimensions[letter].width = max(12, len(name) + 2)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
