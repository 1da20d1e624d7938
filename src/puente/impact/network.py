"""The network of ties between organizations: measures and a drawing. No Django here.

A tie is any recorded activity joining two organizations (an accepted introduction, a meeting,
a landing, a program). A tie is cross-border when the two organizations' home hubs differ.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from html import escape

import networkx as nx

# Betweenness is exact while a component's sources x (nodes + edges) stay within this (about
# 2.5 s of Python on the 2-core machine); a larger component is estimated from as many
# fixed-seed sample sources as fit, at least BETWEENNESS_MIN_SOURCES.
BETWEENNESS_WORK = 3_000_000
BETWEENNESS_MIN_SOURCES = 20
DRAWN_NODES = 80


@dataclass(frozen=True)
class Tie:
    a: int
    b: int
    quarter: int


@dataclass
class NetworkMeasures:
    organizations: int
    ties: int
    cross_border_ties: int
    cross_border_density: float
    by_quarter: list[
        tuple[int, int, float]
    ]  # (quarter code, cumulative cross-border ties, density)
    brokers: list[tuple[int, float]]  # (organization id, betweenness), most first
    isolated: list[int]
    graph: nx.Graph = field(repr=False, default_factory=nx.Graph)  # every tie, or the drawn part


def build_graph(ties: Iterable[Tie], hub_of: Mapping[int, int]) -> nx.Graph:
    graph = nx.Graph()
    for tie in ties:
        if tie.a == tie.b or tie.a not in hub_of or tie.b not in hub_of:
            continue
        for node in (tie.a, tie.b):
            if node not in graph:
                graph.add_node(node, hub=hub_of[node])
        if graph.has_edge(tie.a, tie.b):
            graph[tie.a][tie.b]["weight"] += 1
            graph[tie.a][tie.b]["first"] = min(graph[tie.a][tie.b]["first"], tie.quarter)
        else:
            graph.add_edge(
                tie.a, tie.b, weight=1, first=tie.quarter, cross=hub_of[tie.a] != hub_of[tie.b]
            )
    return graph


def cross_border_density(graph: nx.Graph) -> float:
    """Cross-border ties as a share of the cross-border pairs that could exist among the
    organizations in the graph."""
    per_hub: dict[int, int] = {}
    for _node, hub in graph.nodes(data="hub"):
        per_hub[hub] = per_hub.get(hub, 0) + 1
    n = graph.number_of_nodes()
    possible = n * (n - 1) // 2 - sum(k * (k - 1) // 2 for k in per_hub.values())
    cross = sum(1 for _a, _b, is_cross in graph.edges(data="cross") if is_cross)
    return cross / possible if possible else 0.0


def cumulative_by_quarter(graph: nx.Graph, quarters: list[int]) -> list[tuple[int, int, float]]:
    """(quarter, cross-border ties, cross-border density) of the graph as it stood at the end of
    each quarter: the ties first recorded by then, among the organizations they join. One pass
    over the ties in the order they appeared, not a graph per quarter."""
    ordered = sorted(graph.edges(data=True), key=lambda edge: edge[2]["first"])
    seen: set[int] = set()
    per_hub: dict[int, int] = {}
    cross = 0
    rows = []
    index = 0
    for quarter in quarters:
        while index < len(ordered) and ordered[index][2]["first"] <= quarter:
            a, b, data = ordered[index]
            index += 1
            cross += 1 if data["cross"] else 0
            for node in (a, b):
                if node not in seen:
                    seen.add(node)
                    hub = graph.nodes[node]["hub"]
                    per_hub[hub] = per_hub.get(hub, 0) + 1
        n = len(seen)
        possible = n * (n - 1) // 2 - sum(k * (k - 1) // 2 for k in per_hub.values())
        rows.append((quarter, cross, cross / possible if possible else 0.0))
    return rows


def betweenness(graph: nx.Graph, *, work: int = BETWEENNESS_WORK) -> dict[int, float]:
    """Normalized betweenness of every node (networkx's definition), by Brandes' algorithm.

    Shortest paths never leave a component, so each component of three or more nodes is
    measured on its own and the results are normalized over the whole graph: exactly while
    its sources x (nodes + edges) fit in ``work``, else estimated from a fixed-seed sample of
    sources, scaled up. Cross-border graphs are mostly many small components and one large
    one: the small ones cost little and the large one gets the budget. Equal to
    ``nx.betweenness_centrality(graph)`` whenever no component is sampled."""
    n = graph.number_of_nodes()
    scores = dict.fromkeys(graph, 0.0)
    if n < 3:
        return scores
    scale = 1 / ((n - 1) * (n - 2))  # ordered pairs of sources and targets
    sampler = random.Random(7)
    for component in sorted(nx.connected_components(graph), key=min):
        if len(component) < 3:
            continue
        adjacency = {node: list(graph[node]) for node in component}
        size = len(component) + sum(len(neighbours) for neighbours in adjacency.values()) // 2
        wanted = max(BETWEENNESS_MIN_SOURCES, work // size)
        if wanted < len(component):
            sources = sampler.sample(sorted(component), wanted)
            factor = scale * len(component) / wanted
        else:
            sources, factor = sorted(component), scale
        for node, value in _dependencies(adjacency, sources).items():
            scores[node] = value * factor
    return scores


def _dependencies(adjacency: Mapping[int, list[int]], sources: Iterable[int]) -> dict[int, float]:
    """Sum over ``sources`` of each node's dependency (Brandes 2001), unweighted ties; the
    per-source state covers only the nodes reached, not the whole graph."""
    totals = dict.fromkeys(adjacency, 0.0)
    for source in sources:
        order: list[int] = []
        parents: dict[int, list[int]] = {source: []}
        paths = {source: 1}
        distance = {source: 0}
        queue = deque([source])
        while queue:
            node = queue.popleft()
            order.append(node)
            step = distance[node] + 1
            for neighbour in adjacency[node]:
                if neighbour not in distance:
                    distance[neighbour] = step
                    paths[neighbour] = 0
                    parents[neighbour] = []
                    queue.append(neighbour)
                if distance[neighbour] == step:
                    paths[neighbour] += paths[node]
                    parents[neighbour].append(node)
        dependency = dict.fromkeys(order, 0.0)
        for node in reversed(order):
            share = (1 + dependency[node]) / paths[node]
            for parent in parents[node]:
                dependency[parent] += paths[parent] * share
            if node != source:
                totals[node] += dependency[node]
    return totals


def measure(
    ties: Iterable[Tie],
    hub_of: Mapping[int, int],
    *,
    candidates: Iterable[int] = (),
    brokers: int = 10,
) -> NetworkMeasures:
    """Measures of the network. ``candidates`` are organizations that should be in it (active
    ones): those without any tie are reported as isolated."""
    ties = list(ties)
    graph = build_graph(ties, hub_of)
    by_quarter = cumulative_by_quarter(graph, sorted({tie.quarter for tie in ties}))
    cross_graph = nx.Graph()
    cross_graph.add_edges_from((a, b) for a, b, is_cross in graph.edges(data="cross") if is_cross)
    centrality = betweenness(cross_graph)
    top = sorted(
        ((node, score) for node, score in centrality.items() if score > 0),
        key=lambda item: (-item[1], item[0]),
    )[:brokers]
    isolated = sorted(node for node in set(candidates) if node not in graph)
    cross_total = sum(1 for _a, _b, is_cross in graph.edges(data="cross") if is_cross)
    return NetworkMeasures(
        organizations=graph.number_of_nodes(),
        ties=graph.number_of_edges(),
        cross_border_ties=cross_total,
        cross_border_density=cross_border_density(graph),
        by_quarter=by_quarter,
        brokers=top,
        isolated=isolated,
        graph=graph,
    )


def layout(graph: nx.Graph, *, nodes: int = DRAWN_NODES) -> dict[int, tuple[float, float]]:
    """Positions in the unit square of the best-connected ``nodes`` organizations, most
    connected first (a spring layout with a fixed seed, stretched to fill the square)."""
    drawn = sorted(graph.nodes, key=lambda node: (-graph.degree(node), node))[:nodes]
    if not drawn:
        return {}
    positions = nx.spring_layout(graph.subgraph(drawn), seed=7, iterations=60)
    xs = [float(positions[node][0]) for node in drawn]
    ys = [float(positions[node][1]) for node in drawn]
    span_x = (max(xs) - min(xs)) or 1.0
    span_y = (max(ys) - min(ys)) or 1.0
    return {
        node: ((x - min(xs)) / span_x, (y - min(ys)) / span_y)
        for node, x, y in zip(drawn, xs, ys, strict=True)
    }


def network_svg(
    graph: nx.Graph,
    positions: Mapping[int, tuple[float, float]],
    *,
    names: Mapping[int, str],
    links: Mapping[int, str],
    hub_colors: Mapping[int, str],
    title: str,
    size: int = 640,
) -> str:
    """The organizations placed by ``positions`` (see ``layout``) and their ties; cross-border
    ties drawn thick and orange. Every node links to its profile and names itself on hover."""
    if not positions:
        return ""
    sub = graph.subgraph(positions)
    margin = 24

    def xy(node: int) -> tuple[float, float]:
        x, y = positions[node]
        return margin + x * (size - 2 * margin), margin + y * (size - 2 * margin)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" role="group" aria-label="{escape(title)}" class="chart network">',
        f"<title>{escape(title)}</title>",
    ]
    for a, b, data in sub.edges(data=True):
        (x1, y1), (x2, y2) = xy(a), xy(b)
        style = (
            'stroke="#c2410c" stroke-width="2.2"'
            if data.get("cross")
            else 'stroke="#94a3b8" stroke-width="1"'
        )
        parts.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" {style} class="{"tie-cross" if data.get("cross") else "tie"}"/>'
        )
    for node in positions:
        x, y = xy(node)
        radius = 4 + min(sub.degree(node), 12)
        name = names.get(node, "—")
        circle = f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius / 1.5:.1f}" fill="{escape(hub_colors.get(graph.nodes[node]["hub"], "#334155"))}" stroke="#fff"><title>{escape(name)}</title></circle>'
        link = links.get(node)
        parts.append(f'<a href="{escape(link)}">{circle}</a>' if link else circle)
    parts.append("</svg>")
    return "".join(parts)
