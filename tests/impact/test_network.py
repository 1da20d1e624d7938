"""The network of ties: cross-border measures computed by hand."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from puente.impact.network import Tie, cross_border_density, layout, measure, network_svg

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
    assert layout(result.graph) == {}
    assert network_svg(result.graph, {}, names={}, links={}, hub_colors={}, title="t") == ""


def test_drawing_escapes_names_and_links() -> None:
    result = measure([Tie(10, 20, 20263)], HUB_OF)
    svg = network_svg(
        result.graph,
        layout(result.graph),
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


def test_the_layout_fills_the_unit_square_with_the_best_connected_first() -> None:
    ties = [Tie(10, 20, 20263), Tie(10, 21, 20263), Tie(10, 11, 20263), Tie(12, 21, 20264)]
    positions = layout(measure(ties, HUB_OF).graph, nodes=4)
    assert next(iter(positions)) == 10  # three ties
    assert len(positions) == 4
    xs = [x for x, _y in positions.values()]
    ys = [y for _x, y in positions.values()]
    assert min(xs) == min(ys) == 0.0
    assert max(xs) == max(ys) == 1.0
    assert layout(measure(ties, HUB_OF).graph, nodes=4) == positions  # fixed seed


def test_the_cumulative_figures_match_a_graph_rebuilt_for_each_quarter() -> None:
    """One pass over the ties gives what rebuilding the graph at the end of every quarter
    gives (the way it was computed before)."""
    rng = random.Random(5)
    hub_of = {node: 1 + node % 3 for node in range(60)}
    ties = [
        Tie(rng.randrange(60), rng.randrange(60), rng.choice([20261, 20262, 20263, 20264]))
        for _ in range(150)
    ]
    result = measure(ties, hub_of)
    expected = []
    for quarter in sorted({tie.quarter for tie in ties}):
        sub = nx.Graph(
            result.graph.edge_subgraph(
                [(a, b) for a, b, first in result.graph.edges(data="first") if first <= quarter]
            )
        )
        cross = sum(1 for _a, _b, is_cross in sub.edges(data="cross") if is_cross)
        expected.append((quarter, cross, pytest.approx(cross_border_density(sub))))
    assert result.by_quarter == expected
    assert result.by_quarter[-1][1] == result.cross_border_ties
