"""Plotly figure builders for the app (pure functions of data; no Streamlit)."""
from typing import Dict, List, Optional

import numpy as np
import plotly.graph_objects as go

from .imageio import png_data_uri
from .metrics import bd_rate_text
from .rounds import series_rounds

GROUP_COLORS = ["#4C78A8", "#F58518", "#54A24B", "#E45756", "#72B7B2", "#B279A2", "#FF9DA6"]
LAYOUT = dict(template="plotly_white", margin=dict(l=40, r=20, t=50, b=40), height=380)


def bits_per_channel(ba, sort: bool = False) -> go.Figure:
    bits = ba.bits_per_channel
    groups = ba.group_of_channel
    order = np.argsort(-bits) if sort else np.arange(len(bits))
    fig = go.Figure()
    for g in range(len(ba.groups)):
        idx = [i for i in range(len(order)) if groups[order[i]] == g]
        fig.add_bar(x=idx, y=bits[order[idx]], name=f"group {g + 1} ({ba.groups[g]} ch)",
                    marker_color=GROUP_COLORS[g % len(GROUP_COLORS)],
                    customdata=order[idx], hovertemplate="channel %{customdata}<br>%{y:.0f} bits<extra></extra>")
    fig.update_layout(**LAYOUT, title="Estimated bits per latent channel" + (" (sorted)" if sort else ""),
                      xaxis_title="channel rank" if sort else "channel", yaxis_title="bits", bargap=0)
    return fig


def bits_per_group(ba) -> go.Figure:
    bits = ba.bits_per_group
    labels = [f"y group {g + 1}" for g in range(len(bits))] + ["z (hyperprior)"]
    values = list(bits) + [ba.estimated_bits["z"]]
    fig = go.Figure(go.Bar(x=labels, y=values, marker_color=GROUP_COLORS[:len(bits)] + ["#999999"],
                           text=[f"{v / sum(values):.0%}" for v in values], textposition="outside"))
    fig.update_layout(**LAYOUT, title="Bits per channel group, and the side information z", yaxis_title="bits")
    return fig


def heatmap(values: np.ndarray, title: str, colorscale: str = "Inferno", zmid: Optional[float] = None) -> go.Figure:
    fig = go.Figure(go.Heatmap(z=values, colorscale=colorscale, zmid=zmid, colorbar=dict(thickness=12)))
    fig.update_layout(**LAYOUT, title=title)
    fig.update_yaxes(autorange="reversed", scaleanchor="x", showticklabels=False)
    fig.update_xaxes(showticklabels=False)
    return fig


def bits_overlay(image: np.ndarray, bits: np.ndarray, title: str, cell: int = 16, opacity: float = 0.6) -> go.Figure:
    """A latent bit map (one value per ``cell`` x ``cell`` pixels) drawn over the image it codes."""
    h, w = image.shape[:2]
    fig = go.Figure(go.Image(source=png_data_uri(image), hoverinfo="skip"))
    fig.add_heatmap(z=bits, x0=(cell - 1) / 2, dx=cell, y0=(cell - 1) / 2, dy=cell, colorscale="Inferno",
                    opacity=opacity, colorbar=dict(thickness=12, title="bits"),
                    hovertemplate="bits %{z:.1f}<extra></extra>")
    fig.update_layout(**{**LAYOUT, "height": 420}, title=title)
    fig.update_xaxes(range=[-0.5, w - 0.5], showticklabels=False, showgrid=False)
    fig.update_yaxes(range=[h - 0.5, -0.5], scaleanchor="x", showticklabels=False, showgrid=False)
    return fig


def rd_curves(codecs: Dict[str, Dict], metric: str = "psnr", title: str = "") -> go.Figure:
    """One line per codec (learned solid and thicker, classical dotted, published references dashed). The view
    opens on the learned models' rates (to 1.5x their highest), where the comparison is; double-click zooms out."""
    fig = go.Figure()
    for name, c in codecs.items():
        ys = c.get(metric)
        if not ys:
            continue
        kind = c.get("kind")
        dash = {"learned": "solid", "classical": "dot", "reference": "dash"}.get(kind, "solid")
        fig.add_scatter(x=c["bpp"], y=ys, name=name, mode="lines+markers",
                        line=dict(dash=dash, width=3 if kind == "learned" else 2), marker=dict(size=6))
    fig.update_layout(**LAYOUT, title=title, xaxis_title="bits per pixel (real file bytes)",
                      yaxis_title={"psnr": "PSNR RGB (dB)", "ms_ssim": "MS-SSIM"}[metric])
    view = learned_view(codecs, metric)
    if view:
        fig.update_xaxes(range=view[0])
        fig.update_yaxes(range=view[1])
    return fig


def rd_with_ceiling(kodak: Dict, ceiling_psnr: float, title: str = "") -> go.Figure:
    """A model's Kodak PSNR curve under its transform ceiling (a dashed line no rate point can pass)."""
    fig = go.Figure(go.Scatter(x=kodak["bpp"], y=kodak["psnr"], name="real files", mode="lines+markers",
                               line=dict(width=3)))
    fig.add_hline(y=ceiling_psnr, line_dash="dash", line_color="#E45756",
                  annotation_text=f"transform ceiling {ceiling_psnr:.2f} dB", annotation_position="bottom right")
    fig.update_layout(**LAYOUT, title=title, xaxis_title="bits per pixel (real file bytes)",
                      yaxis_title="PSNR RGB (dB)")
    return fig


def learned_view(codecs: Dict[str, Dict], metric: str):
    """((x0, x1), (y0, y1)) around the learned curves and whatever else falls in their bpp range, or None."""
    learned = [c for c in codecs.values() if c.get("kind") == "learned" and c.get(metric)]
    if not learned:
        return None
    x1 = 1.5 * max(max(c["bpp"]) for c in learned)
    ys = [y for c in codecs.values() if c.get(metric)
          for x, y in zip(c["bpp"], c[metric]) if x is not None and y is not None and x <= x1]
    pad = 0.05 * (max(ys) - min(ys) or 1.0)
    return (0.0, x1), (min(ys) - pad, max(ys) + pad)


def bd_rate_rows(table: Dict[str, Dict[str, Optional[float]]]) -> List[Dict[str, str]]:
    """The BD-rate table of results/kodak.json for people (``bd_rate_text``), a dash on the diagonal."""
    columns = list(dict.fromkeys(k for row in table.values() for k in row))
    rows = []
    for model, row in table.items():
        cells = {c: "—" if c == model else bd_rate_text(row.get(c)) for c in columns}
        rows.append({"model": model, **cells})
    return rows


def latency_bars(rows: Dict[str, Dict], side: str = "dec") -> go.Figure:
    names = list(rows)
    fig = go.Figure()
    fig.add_bar(y=names, x=[rows[n].get(f"{side}_transform_ms", 0) for n in names], name="transform", orientation="h",
                marker_color="#4C78A8")
    fig.add_bar(y=names, x=[rows[n].get(f"{side}_entropy_ms", 0) for n in names], name="entropy coding",
                orientation="h", marker_color="#F58518")
    fig.update_layout(**LAYOUT, barmode="stack", title=f"{'Decode' if side == 'dec' else 'Encode'} latency (median)",
                      xaxis_title="ms")
    return fig


def moving_average(values: List[float], window: int) -> List[float]:
    """Trailing mean over up to ``window`` points (the first points average what there is)."""
    if window <= 1:
        return list(values)
    c = np.cumsum(np.insert(np.asarray(values, dtype=float), 0, 0.0))
    i = np.arange(1, len(values) + 1)
    lo = np.maximum(0, i - window)
    return list((c[i] - c[lo]) / (i - lo))


def training_curves(logs: Dict[str, List[Dict]], metric: str = "psnr", smooth: int = 1) -> go.Figure:
    fig = go.Figure()
    for name, rows in logs.items():
        fig.add_scatter(x=[r["step"] for r in rows], y=moving_average([r[metric] for r in rows], smooth), name=name,
                        mode="lines")
    label = {"psnr": "PSNR (dB)", "bpp": "bpp", "loss": "loss"}.get(metric, metric)
    note = f"<br><sup>moving average of {smooth} log points</sup>" if smooth > 1 else ""
    fig.update_layout(**LAYOUT, title=f"Training {label.split(' ')[0]} per rate level{note}", xaxis_title="step",
                      yaxis_title=label)
    return fig


def rounds_chart(series: Dict[str, Dict[str, list]], rival: str, highlight: Optional[str] = None,
                 since: int = 0) -> go.Figure:
    """Each checkpoint's Kodak BD-rate against ``rival`` after every training round from ``since`` on
    (``s2c.rounds.bd_series``); the zero line is parity: below it the checkpoint needs fewer bits than the rival at
    equal PSNR."""
    fig = go.Figure()
    for name, s in series.items():
        shown = [i for i, r in enumerate(s["round"]) if r >= since]
        fig.add_scatter(x=[s["round"][i] for i in shown], y=[s["bd_rate"][i] for i in shown], name=name,
                        mode="lines+markers", customdata=[s["own_steps"][i] for i in shown],
                        line=dict(width=4 if name == highlight else 2),
                        hovertemplate="round %{x}: %{y:+.1f}% (%{customdata} own steps)<extra>" + name + "</extra>")
    fig.add_hline(y=0, line_dash="dash", line_color="#888", annotation_text=f"parity with {rival}",
                  annotation_position="bottom right")
    fig.update_layout(**LAYOUT, title=f"Kodak BD-rate against {rival}, round by round", xaxis_title="training round",
                      yaxis_title=f"BD-rate vs {rival} (%)")
    rounds = series_rounds(series, since)
    if rounds:  # half a round either side: autoscale would pad the axis out to a round that never ran
        fig.update_xaxes(range=[rounds[0] - 0.5, rounds[-1] + 0.5])
    fig.update_xaxes(dtick=1 if len(rounds) <= 25 else None)  # one label a round while they stay readable
    return fig
