"""A class's results as one self-contained HTML page: `quizdeck grade --report report.html`.

The page has the class's figures (mean, median, sd, KR-20, SEM), a histogram of the scores
drawn as inline SVG (ten bars of 10 percentage points; 100% falls in the last), the students by
score, the item table and the flagged questions with their prompts. It links nothing and runs
no script, so it opens anywhere and can be mailed; right-to-left banks get `dir="rtl"`. Pure:
the same report gives the same bytes.
"""

from __future__ import annotations

import html

from quizdeck.analysis import ClassReport
from quizdeck.questions import prompt_text

#: Histogram bins: 0-10, 10-20, ..., 90-100 (percent).
BINS = 10


def _h(text: object) -> str:
    return html.escape(str(text), quote=True)


def histogram(percents: list[float], bins: int = BINS) -> list[int]:
    """How many scores fall in each of `bins` equal ranges of 0-100%; 100% counts in the last."""
    counts = [0] * bins
    for value in percents:
        index = min(bins - 1, max(0, int(value * bins // 100)))
        counts[index] += 1
    return counts


def histogram_svg(counts: list[int], *, label: str = "students") -> str:
    """Bars of `counts` over 0-100%, axis labels included, as an inline <svg> element."""
    width, height, left, bottom, top = 520, 220, 40, 30, 10
    plot_w, plot_h = width - left - 10, height - bottom - top
    tallest = max(max(counts, default=0), 1)
    bar_w = plot_w / len(counts)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="histogram" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="score histogram" direction="ltr">',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#000"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="#000"/>',
        f'<text x="{left - 6}" y="{top + 10}" text-anchor="end" font-size="11">{tallest}</text>',
        f'<text x="{left - 6}" y="{top + plot_h}" text-anchor="end" font-size="11">0</text>',
    ]
    for n, count in enumerate(counts):
        bar_h = plot_h * count / tallest
        x = left + n * bar_w + 2
        y = top + plot_h - bar_h
        low = n * 100 // len(counts)
        parts.append(
            f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{bar_w - 4:.1f}" height="{bar_h:.1f}" '
            f'fill="#4a6fa5" data-count="{count}"><title>{low}-{low + 100 // len(counts)}%: {count} {_h(label)}'
            f"</title></rect>"
        )
        if count:
            parts.append(f'<text x="{x + (bar_w - 4) / 2:.1f}" y="{y - 2:.1f}" text-anchor="middle" '
                         f'font-size="11">{count}</text>')
        parts.append(f'<text x="{left + n * bar_w:.1f}" y="{top + plot_h + 14}" text-anchor="middle" '
                     f'font-size="10">{low}</text>')
    parts.append(f'<text x="{left + plot_w:.1f}" y="{top + plot_h + 14}" text-anchor="middle" '
                 f'font-size="10">100</text>')
    parts.append(f'<text x="{left + plot_w / 2:.1f}" y="{height - 2}" text-anchor="middle" '
                 f'font-size="11">score (%)</text>')
    parts.append("</svg>")
    return "\n".join(parts)


_CSS = """
body { font-family: "Noto Sans", "Noto Naskh Arabic", "DejaVu Sans", sans-serif; margin: 2em auto;
  max-width: 60em; padding: 0 1em; color: #000; background: #fff; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
th, td { border-bottom: 1px solid #ccc; padding: 0.2em 0.6em; text-align: start; }
td.n, th.n { text-align: end; font-variant-numeric: tabular-nums; }
tr.flagged td { background: #fde8e8; }
.figures td { border: none; }
svg.histogram { display: block; margin: 0.5em 0 1.5em; }
"""


def _num(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}%"


def _signed(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:+.0f}"


def render_report(report: ClassReport) -> str:
    """The report page (see the module docstring)."""
    bank = report.bank
    stats = report.stats
    rtl = bank.direction == "rtl"
    figures = [
        ("students", str(stats.students)),
        ("questions", str(stats.questions)),
        ("mean", _pct(stats.mean)),
        ("median", _pct(stats.median)),
        ("standard deviation", _pct(stats.sd)),
        ("KR-20 (Cronbach's alpha)", _num(stats.kr20)),
        ("standard error of measurement", _pct(stats.sem)),
    ]
    body = [
        f"<h1>{_h(bank.title)}</h1>",
        '<h2 dir="ltr">class</h2>',
        '<table class="figures" dir="ltr">'
        + "".join(f'<tr><th>{_h(k)}</th><td class="n" data-figure="{_h(k)}">{_h(v)}</td></tr>' for k, v in figures)
        + "</table>",
        '<h2 dir="ltr">scores</h2>',
        histogram_svg(histogram([s.percent for s in report.students])),
        '<table class="students"><thead><tr><th>student</th><th class="n">score</th><th class="n">%</th></tr>'
        "</thead><tbody>",
    ]
    for s in report.ranked:
        score = f"{s.score:.2f}".rstrip("0").rstrip(".")
        body.append(f'<tr><td>{_h(s.name)}</td><td class="n">{score} / {s.total}</td>'
                    f'<td class="n">{s.percent:g}</td></tr>')
    body.append("</tbody></table>")
    body.append('<h2 dir="ltr">questions</h2>')
    body.append(
        '<table class="items"><thead><tr><th>question</th><th>type</th><th class="n">answered</th>'
        '<th class="n">facility</th><th class="n">D</th><th class="n">discrimination index</th>'
        '<th class="n">discriminative efficiency</th><th>flags</th></tr></thead><tbody>'
    )
    flagged = {item.id for item in report.flagged}
    for item in report.items:
        row_class = ' class="flagged"' if item.id in flagged else ""
        d = "–" if item.discrimination is None else f"{item.discrimination:+.2f}"
        body.append(
            f'<tr{row_class} data-id="{_h(item.id)}"><td>{_h(item.id)}</td><td>{_h(item.type)}</td>'
            f'<td class="n">{item.answered}/{item.students}</td><td class="n">{item.facility:.2f}</td>'
            f'<td class="n">{d}</td><td class="n">{_signed(item.discrimination_index)}</td>'
            f'<td class="n">{_signed(item.discriminative_efficiency)}</td>'
            f"<td>{_h('; '.join(item.flags))}</td></tr>"
        )
    body.append("</tbody></table>")
    if report.flagged:
        body.append('<h2 dir="ltr">flagged questions</h2><dl class="flagged">')
        for item in report.flagged:
            question = bank.get(item.id)
            prompt = prompt_text(question) if question is not None else ""
            body.append(f'<dt>{_h(item.id)}: {_h("; ".join(item.flags))}</dt><dd>{_h(prompt)}</dd>')
        body.append("</dl>")
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{_h(bank.language)}" dir="{"rtl" if rtl else "ltr"}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{_h(bank.title)}: class report</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )
