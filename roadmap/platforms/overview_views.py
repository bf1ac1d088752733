"""The cross-platform overview (/overview): every platform the viewer may see, side by side,
sortable by any of its figures, as CSV or XLSX, and each platform's stage over time."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from flask import abort, render_template, request
from werkzeug.wrappers import Response

from roadmap.config import default_scenario
from roadmap.db import get_session
from roadmap.extensions import current_viewer
from roadmap.figures import LEGEND_BELOW, TEMPLATE, plain_text
from roadmap.models import STAGES
from roadmap.platforms import overview as service
from roadmap.platforms.views import bp
from roadmap.reconciliation.exports import table_bytes
from roadmap.web import embed_chart

KINDS = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _asked() -> tuple[service.Overview, str, bool]:
    shown = service.overview(
        current_viewer(), session=get_session(), default_scenario=default_scenario()
    )
    key = request.args.get("sort", "platform")
    key = key if key in service.SORT_KEYS else "platform"
    descending = request.args.get("order") == "desc"
    table = service.sorted_table(shown.table, key, descending)
    return service.Overview(table, shown.stages), key, descending


@bp.get("/overview")
def overview() -> str:
    shown, key, descending = _asked()
    return render_template(
        "platforms/overview.html",
        table=shown.table,
        sort=key,
        descending=descending,
        sort_keys=service.SORT_KEYS,
        shown=lambda value: not pd.isna(value),
        stages=STAGES,
        chart=embed_chart(stage_figure(shown.stages), "overview-stages")
        if not shown.stages.empty
        else None,
    )


@bp.get("/overview.<kind>")
def overview_file(kind: str) -> Response:
    if kind not in KINDS:
        abort(404)
    shown, _, _ = _asked()
    frame = shown.table[list(service.COLUMNS)]
    return Response(
        table_bytes(frame, kind, title="Platforms"),
        mimetype=KINDS[kind],
        headers={"Content-Disposition": f'attachment; filename="platforms-overview.{kind}"'},
    )


@plain_text
def stage_figure(steps) -> go.Figure:  # type: ignore[no-untyped-def]
    """Each platform's stage over time, a step line each (Platform, Date, Stage)."""
    figure = go.Figure()
    for name, rows in steps.groupby("Platform", sort=True):
        figure.add_trace(
            go.Scatter(
                x=rows["Date"],
                y=rows["Stage"],
                mode="lines+markers",
                line={"shape": "hv"},
                name=name,
                hovertemplate="%{fullData.name}: stage %{y} from %{x}<extra></extra>",
            )
        )
    figure.update_layout(
        title={"text": "Stage of each platform over time"},
        xaxis_title="Date",
        yaxis={"title": "Stage", "tickvals": list(STAGES), "range": [0.5, 4.5]},
        template=TEMPLATE,
        height=360,
        legend=LEGEND_BELOW,
    )
    return figure
