from __future__ import annotations

import pytest

from roadmap.domain.stages import PlatformFacts, can_advance, gate, met_share

READY_1 = PlatformFacts(vision="Net-zero steel by 2050", net_zero_year=2050, signatories=3)
READY_2 = PlatformFacts(complete_pathways=1, kpis_with_targets=1)
READY_3 = PlatformFacts(
    commitment_coverage=0.6, coverage_target=0.5, demand_signals=1, policy_asks=1
)


@pytest.mark.parametrize(
    ("stage", "facts", "advance", "share"),
    [
        (1, READY_1, True, (3, 3)),
        (1, PlatformFacts(vision="  ", net_zero_year=2050, signatories=3), False, (2, 3)),
        (1, PlatformFacts(vision="v", net_zero_year=2050, signatories=2), False, (2, 3)),
        (2, READY_2, True, (2, 2)),
        (2, PlatformFacts(complete_pathways=1), False, (1, 2)),
        (3, READY_3, True, (3, 3)),
        # 0.49 of the activity under targets is below the 0.5 stated share.
        (
            3,
            PlatformFacts(commitment_coverage=0.49, demand_signals=1, policy_asks=1),
            False,
            (2, 3),
        ),
        (3, PlatformFacts(demand_signals=1, policy_asks=1), False, (2, 3)),
        (4, READY_3, False, (0, 0)),
    ],
)
def test_gates(stage, facts, advance, share):
    assert can_advance(stage, facts) is advance
    assert met_share(stage, facts) == share


def test_criteria_say_what_is_missing():
    criteria = gate(1, PlatformFacts(signatories=1))
    assert [(c.label, c.met, c.detail) for c in criteria] == [
        ("A shared vision statement", False, "no statement yet"),
        ("A net-zero year", False, "not set"),
        ("At least 3 signatories", False, "1 so far"),
    ]
    coverage = gate(3, PlatformFacts(commitment_coverage=0.25, targets=3, credible_targets=1))[0]
    assert (coverage.label, coverage.met, coverage.detail) == (
        "Aligned, third-party verified company targets cover 50% of the platform's activity",
        False,
        "25% (1 of 3 targets aligned with their company's SDA target and third-party "
        "verified; only these count)",
    )


def test_a_platforms_own_criteria_join_the_gate_of_their_stage():
    from roadmap.domain.stages import PlatformFacts, can_advance, gate

    ready = PlatformFacts(vision="Net zero by 2050", net_zero_year=2050, signatories=3)
    own = (
        (1, "A charter signed by the ministry", False, ""),
        (2, "An independent review of the roadmap", False, ""),  # another stage's gate
    )
    facts = PlatformFacts(**{**ready.__dict__, "extra": own})
    labels = [(c.label, c.met, c.detail) for c in gate(1, facts)][-1:]
    assert labels == [("A charter signed by the ministry", False, "not yet")]
    assert len(gate(1, facts)) == 4  # three computed, one of the platform's own
    assert can_advance(1, ready) and not can_advance(1, facts)
    met = PlatformFacts(
        **{
            **ready.__dict__,
            "extra": ((1, "A charter signed by the ministry", True, "minutes.pdf"),),
        }
    )
    assert gate(1, met)[-1].detail == "minutes.pdf"
    assert can_advance(1, met)
    assert gate(4, met) == []
