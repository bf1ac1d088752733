"""The pipeline page in the browser's terms (roadmap.pipeline.overview_views): what each viewer
reads, the tables as files, the coordinators' settings with their history, and the platform
page's KPI and demand forms that feed it (world of conftest.py, worked on paper there)."""

from __future__ import annotations

import csv
import io
from html import unescape

from sqlmodel import select

from roadmap.models import DemandSignal, HistoryEntry, Kpi, KpiValue, PipelineWeight
from tests.pipeline.conftest import Pipeline
from tests.world import csrf_token, sign_in


def _page(client, slug: str = "steel") -> str:  # type: ignore[no-untyped-def]
    answer = client.get(f"/platforms/{slug}/pipeline")
    assert answer.status_code == 200
    return unescape(answer.get_data(as_text=True))


def test_a_visitor_reads_the_public_pipeline(client, pipeline: Pipeline) -> None:
    html = _page(client)
    assert "4 projects counted." in html  # Beta's confidential plant is not among them
    assert (
        "2030: the pipeline projects 4.6 Mt Steel, target 6 Mt Steel: 1.4 Mt Steel short." in html
    )
    assert "2035: the pipeline projects 5 Mt Steel, target 5 Mt Steel: on track." in html
    assert "Old pledge (near-zero steel): t/yr is not an amount of t Steel" in html
    assert 'id="pipeline-capacity"' in html and 'id="pipeline-balance"' in html
    assert "Weights and utilisation" not in html  # the coordinators' form
    assert "Beta secret" not in html


def test_the_coordinators_count_every_project(client, pipeline: Pipeline) -> None:
    sign_in(client, pipeline.world.coordinator.email)
    html = _page(client)
    assert "5 projects counted." in html
    assert (
        "2030: the pipeline projects 4.9 Mt Steel, target 6 Mt Steel: 1.1 Mt Steel short." in html
    )
    assert "Weights and utilisation" in html


def test_the_demand_supply_table_as_csv(client, pipeline: Pipeline) -> None:
    answer = client.get("/platforms/steel/pipeline/demand-supply.csv")
    assert answer.status_code == 200
    rows = list(csv.DictReader(io.StringIO(answer.get_data(as_text=True).lstrip("\ufeff"))))
    last = rows[-1]  # 2050: demand 2 Mt (Brightbuild), supply 5.0 x 0.85 = 4.25 Mt
    assert last["Year"] == "2050"
    assert float(last["Committed demand (Mt Steel)"]) == 2.0
    assert float(last["Expected supply (Mt Steel)"]) == 4.25
    assert float(last["Supply - demand (Mt Steel)"]) == 2.25


def test_a_kpis_table_as_xlsx(client, pipeline: Pipeline) -> None:
    answer = client.get(f"/platforms/steel/pipeline/kpi-{pipeline.capacity_kpi.id}.xlsx")
    assert answer.status_code == 200
    assert answer.get_data()[:2] == b"PK"  # a workbook (zip)


def _settings(client, pipeline: Pipeline, **changes: str):  # type: ignore[no-untyped-def]
    token = csrf_token(_page(client))
    data = {
        "csrf_token": token,
        "weight_announced": "0.1",
        "weight_feasibility": "0.3",
        "weight_final_investment_decision": "0.8",
        "weight_construction": "0.9",
        "weight_operating": "1",
        "weight_cancelled": "0",
        "utilisation": "0.85",
        **changes,
    }
    return client.post("/platforms/steel/pipeline/settings", data=data)


def test_coordinators_set_weights_and_utilisation(client, session, pipeline: Pipeline) -> None:
    sign_in(client, pipeline.world.coordinator.email)
    saved = _settings(client, pipeline, weight_announced="0.5", utilisation="0.5")
    assert saved.status_code == 302
    session.expire_all()
    weights = {w.status: w.weight for w in session.exec(select(PipelineWeight)).all()}
    assert weights["announced"] == 0.5
    entry = session.exec(select(HistoryEntry).order_by(HistoryEntry.id.desc())).first()  # type: ignore[union-attr]
    assert entry.what == "edited the pipeline's weights and utilisation"
    assert entry.detail == "weight of announced: 0.1 -> 0.5\nutilisation: 0.85 -> 0.5"
    # 2030 with announced at 0.5: 4.6 + 3.0 x 0.5 = 6.1 (coordinators count Beta's plant).
    html = _page(client)
    assert "2030: the pipeline projects 6.1 Mt Steel, target 6 Mt Steel: on track." in html
    assert "at 50% utilisation" in html


def test_weights_that_are_no_likelihood_are_refused(client, session, pipeline: Pipeline) -> None:
    sign_in(client, pipeline.world.coordinator.email)
    refused = _settings(client, pipeline, weight_operating="0.9")
    assert refused.status_code == 422
    assert "operating counts with weight 1 and cancelled with weight 0" in unescape(
        refused.get_data(as_text=True)
    )
    refused = _settings(client, pipeline, utilisation="1.5")
    assert refused.status_code == 422
    session.expire_all()
    assert session.exec(select(PipelineWeight)).all() == []


def test_a_members_cannot_change_the_settings(client, pipeline: Pipeline) -> None:
    sign_in(client, pipeline.world.member.email)
    assert _settings(client, pipeline).status_code == 403


def test_a_computed_kpi_takes_no_typed_actual(client, session, pipeline: Pipeline) -> None:
    sign_in(client, pipeline.world.coordinator.email)
    token = csrf_token(client.get("/platforms/steel").get_data(as_text=True))
    refused = client.post(
        "/platforms/steel/kpis/actuals",
        data={
            "csrf_token": token,
            "kpi_id": str(pipeline.capacity_kpi.id),
            "year": "2025",
            "value": "3",
        },
    )
    assert refused.status_code == 422
    assert "is computed from the project pipeline" in unescape(refused.get_data(as_text=True))
    actuals = select(KpiValue).where(KpiValue.is_target.is_(False))  # type: ignore[attr-defined]
    assert session.exec(actuals).all() == []


def test_a_capacity_kpi_needs_an_amount_of_the_product(client, session, pipeline: Pipeline) -> None:
    sign_in(client, pipeline.world.coordinator.email)
    token = csrf_token(client.get("/platforms/steel").get_data(as_text=True))
    kpi = {
        "csrf_token": token,
        "name": "Capacity",
        "direction": "increase",
        "source": "near-zero capacity operating",
        "targets": "2030: 5",
    }
    refused = client.post("/platforms/steel/kpis", data={**kpi, "unit": "plants"})
    assert refused.status_code == 422
    assert "give a unit such as Mt Steel" in unescape(refused.get_data(as_text=True))
    assert client.post("/platforms/steel/kpis", data={**kpi, "unit": "kt Steel"}).status_code == 302
    session.expire_all()
    stored = session.exec(select(Kpi).where(Kpi.name == "Capacity")).one()
    assert (stored.unit, stored.source) == ("kt Steel", "near-zero capacity operating")


def test_a_demand_signal_is_an_amount_of_the_product(client, session, pipeline: Pipeline) -> None:
    sign_in(client, pipeline.world.coordinator.email)
    token = csrf_token(client.get("/platforms/steel").get_data(as_text=True))
    signal = {
        "csrf_token": token,
        "buyer": "Shipyard",
        "product": "near-zero plate",
        "commitment": "offtake agreement",
        "volume": "40000",
        "year": "2030",
        "until_year": "2034",
    }
    before = len(session.exec(select(DemandSignal)).all())
    refused = client.post(
        "/platforms/steel/records/demand", data={**signal, "volume_unit": "t Cement"}
    )
    assert refused.status_code == 422
    assert "'t Cement' is not an amount of Steel" in unescape(refused.get_data(as_text=True))
    ends_first = client.post(
        "/platforms/steel/records/demand",
        data={**signal, "volume_unit": "t Steel", "until_year": "2029"},
    )
    assert ends_first.status_code == 422
    assert "It ends before it starts (2030)." in unescape(ends_first.get_data(as_text=True))
    added = client.post(
        "/platforms/steel/records/demand", data={**signal, "volume_unit": "kt Steel"}
    )
    assert added.status_code == 302
    session.expire_all()
    assert len(session.exec(select(DemandSignal)).all()) == before + 1
    stored = session.exec(select(DemandSignal).where(DemandSignal.buyer == "Shipyard")).one()
    assert (stored.volume, stored.until_year, stored.commitment) == (
        40000.0,
        2034,
        "offtake agreement",
    )


def test_the_platform_page_shows_the_pipeline_kpis(client, pipeline: Pipeline) -> None:
    html = unescape(client.get("/platforms/steel").get_data(as_text=True))
    assert "computed from the project pipeline: near-zero capacity operating" in html
    assert "Pipeline projection" in html
    assert "weights by status: announced 0.1" in html


def test_the_api_answers_the_pipeline_as_the_caller_may_count_it(
    client, pipeline: Pipeline
) -> None:
    body = client.get("/api/v1/platforms/steel/pipeline").get_json()
    assert (body["unit"], body["projects_counted"], body["withheld"]) == ("Mt Steel", 4, False)
    assert body["weights"]["construction"] == 0.9
    capacity = next(k for k in body["kpis"] if k["name"] == "Near-zero capacity")
    assert [p["year"] for p in capacity["projection"]] == [2030, 2035]
    assert abs(capacity["projection"][0]["value"] - 4.6) < 1e-9
    assert capacity["gaps"][0] == (
        "2030: the pipeline projects 4.6 Mt Steel, target 6 Mt Steel: 1.4 Mt Steel short."
    )
    last = body["demand_supply"][-1]  # 2050: 2 Mt committed, 5.0 x 0.85 = 4.25 Mt expected
    assert (last["year"], last["committed_demand"]) == (2050, 2.0)
    assert abs(last["expected_supply"] - 4.25) < 1e-9
    assert body["signals_not_counted"] == [
        "Old pledge (near-zero steel): t/yr is not an amount of t Steel"
    ]
    assert client.get("/api/v1/platforms/nowhere/pipeline").status_code == 404
