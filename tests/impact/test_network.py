"""The network of ties: cross-border measures computed by hand."""

from __future__ import annotations

import pytest

from puente.impact.network import Tie, measure, network_svg

# Hubs 1 and 2. Organizations 10, 11, 12 in hub 1; 20, 21 in hub 2.
HUB_OF = {10: 1, 11: 1, 12: 1, 20: 2, 21: 2, 30: 1}


def test_cross_border_ties_density_brokers_and_isolated() -> None:
    ties = [
        Tie(10, 20, 20263),
        Tie(11, 20, 20263),
        Tie(10, 11, 20263),
        Tie(12, 21, 20264),
        Tie(20, 10, 20264),
    ]
    result = measure(ties, HUB_OF, candidates=[10, 30])
    assert result.organizations == 5
    assert result.ties == 4  # the 20-10 tie repeats 10-20
    assert result.cross_border_ties == 3
    # 5 organizations: 10 pairs, minus 3 inside hub 1 (10,11,12) and 1 inside hub 2 → 6 possible
    assert result.cross_border_density == pytest.approx(3 / 6)
    assert result.by_quarter == [(20263, 2, pytest.approx(2 / 2)), (20264, 3, pytest.approx(3 / 6))]
    assert result.brokers[0][0] == 20  # joins 10 and 11 across the border
    assert result.isolated == [30]


def test_density_of_an_empty_graph_is_zero() -> None:
    result = measure([], HUB_OF)
    assert result.cross_border_density == 0.0
    assert network_svg(result.graph, names={}, links={}, hub_colors={}, title="t") == ""


def test_drawing_escapes_names_and_links() -> None:
    result = measure([Tie(10, 20, 20263)], HUB_OF)
    svg = network_svg(
        result.graph,
        names={10: "<script>", 20: "B&B"},
        links={10: "/directory/organizations/a/"},
        hub_colors={1: "#0f766e", 2: "#c2410c"},
        title="Ties",
    )
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert "B&amp;B" in svg
    assert 'href="/directory/organizations/a/"' in svg
    assert 'class="tie-cross"' in svg
