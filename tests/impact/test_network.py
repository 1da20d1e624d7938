"""The network of ties: cross-border measures computed by hand."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from puente.impact.network import (
    Tie,
    betweenness,
    cross_border_density,
    layout,
    measure,
    network_svg,
)

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


def test_betweenness_by_component_equals_networkx_on_the_whole_graph() -> None:
    rng = random.Random(11)
    graph = nx.Graph()
    graph.add_edges_from((rng.randrange(200), rng.randrange(200)) for _ in range(170))
    graph.add_edges_from([(500, 501), (600, 601), (601, 602)])  # small components, one of 2
    graph.remove_edges_from(nx.selfloop_edges(graph))
    expected = nx.betweenness_centrality(graph)
    measured = betweenness(graph)
    assert measured.keys() == expected.keys()
    for node, value in expected.items():
        assert measured[node] == pytest.approx(value, abs=1e-12)
    assert measured[601] > 0


def test_a_component_too_large_for_the_budget_is_sampled_and_keeps_its_broker() -> None:
    """Two stars joined by a bridge: with a budget for 20 sources of 401, the bridge's ends
    still come first, and the estimate stays near the exact value."""
    graph = nx.Graph()
    graph.add_edges_from((0, leaf) for leaf in range(2, 202))
    graph.add_edges_from((1, leaf) for leaf in range(202, 401))
    graph.add_edge(0, 1)
    exact = nx.betweenness_centrality(graph)
    sampled = betweenness(graph, work=1)  # the minimum of sources
    top = sorted(sampled, key=lambda node: -sampled[node])[:2]
    assert set(top) == {0, 1}
    assert sampled[0] == pytest.approx(exact[0], rel=0.2)
    assert betweenness(graph, work=1) == sampled  # fixed seed
