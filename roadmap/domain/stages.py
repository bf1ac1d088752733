"""The four MPP stages and the gate checklist a platform must meet to advance.

Criteria are computed from the platform's data (never ticked by hand), and a platform's
coordinators may add criteria of their own to a stage's gate, which they tick with their
evidence. ``gate(stage, facts)`` lists what a platform in ``stage`` must show before it may move
to ``stage + 1``.
"""

from __future__ import annotations

from dataclasses import dataclass

STAGES = {
    1: "Shared vision",
    2: "Roadmaps and metrics",
    3: "Committing to action",
    4: "Supporting implementation",
}
FINAL_STAGE = 4
MIN_SIGNATORIES = 3


@dataclass(frozen=True)
class PlatformFacts:
    """What the gates look at, gathered from the database by the caller."""

    vision: str = ""
    net_zero_year: int | None = None
    signatories: int = 0
    complete_pathways: int = 0  # published, every five-year milestone from base to target
    kpis_with_targets: int = 0
    # Share of platform activity under targets that count: aligned with the company's own
    # SDA target and third-party verified (roadmap.domain.commitments.counts_for_gate).
    commitment_coverage: float | None = None
    coverage_target: float = 0.5
    demand_signals: int = 0
    policy_asks: int = 0
    actions: int = 0
    targets: int = 0  # company targets recorded
    credible_targets: int = 0  # of which aligned and third-party verified
    # The coordinators' own criteria: (stage, text, met, evidence).
    extra: tuple[tuple[int, str, bool, str], ...] = ()


@dataclass(frozen=True)
class Criterion:
    label: str
    met: bool
    detail: str


def gate(stage: int, facts: PlatformFacts) -> list[Criterion]:
    """The checklist for leaving ``stage``: the computed criteria, then the coordinators' own
    for that stage; empty for the final stage."""
    if stage >= FINAL_STAGE:
        return []
    own = [
        Criterion(text, met, evidence or ("met" if met else "not yet"))
        for at, text, met, evidence in facts.extra
        if at == stage
    ]
    return _computed(stage, facts) + own


def _computed(stage: int, facts: PlatformFacts) -> list[Criterion]:
    if stage == 1:
        return [
            Criterion(
                "A shared vision statement",
                bool(facts.vision.strip()),
                "written" if facts.vision.strip() else "no statement yet",
            ),
            Criterion(
                "A net-zero year",
                facts.net_zero_year is not None,
                str(facts.net_zero_year) if facts.net_zero_year else "not set",
            ),
            Criterion(
                f"At least {MIN_SIGNATORIES} signatories",
                facts.signatories >= MIN_SIGNATORIES,
                f"{facts.signatories} so far",
            ),
        ]
    if stage == 2:
        return [
            Criterion(
                "A published pathway with every five-year milestone",
                facts.complete_pathways > 0,
                f"{facts.complete_pathways} complete",
            ),
            Criterion(
                "At least one KPI with five-year targets",
                facts.kpis_with_targets > 0,
                f"{facts.kpis_with_targets} with targets",
            ),
        ]
    if stage == 3:
        coverage = facts.commitment_coverage
        shown = "no activity reported yet" if coverage is None else f"{coverage:.0%}"
        shown += (
            f" ({facts.credible_targets} of {facts.targets} targets aligned with their "
            "company's SDA target and third-party verified; only these count)"
        )
        return [
            Criterion(
                "Aligned, third-party verified company targets cover "
                f"{facts.coverage_target:.0%} of the platform's activity",
                coverage is not None and coverage >= facts.coverage_target,
                shown,
            ),
            Criterion(
                "At least one demand signal",
                facts.demand_signals > 0,
                f"{facts.demand_signals} recorded",
            ),
            Criterion(
                "At least one policy ask", facts.policy_asks > 0, f"{facts.policy_asks} recorded"
            ),
        ]
    return []


def can_advance(stage: int, facts: PlatformFacts) -> bool:
    criteria = gate(stage, facts)
    return stage < FINAL_STAGE and all(c.met for c in criteria)


def met_share(stage: int, facts: PlatformFacts) -> tuple[int, int]:
    """(criteria met, criteria in all) for the board's cards."""
    criteria = gate(stage, facts)
    return sum(c.met for c in criteria), len(criteria)
