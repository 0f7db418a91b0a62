"""The country brief's chart in its PowerPoint deck: PowerPoint's own bar charts,
one per panel (unit and period, `components.brief.brief_panels`), with the
figures as their data, so a reader can restyle them, read their numbers or copy
them into a report. The same panels as the PDF's chart (components.brief_chart).
"""

from __future__ import annotations

from components.brief import BriefPanel, panel_title

BLUE = (0x0B, 0x4F, 0x8A)
CHART_AREA_IN = 5.55  # height of a chart slide's panels, inches
PANEL_IN = 0.95  # a panel's title and axis
BAR_IN = 0.42  # one bar
LABEL_ROOM = 1.3  # the value axis runs this far past the longest bar, for its label


def panel_chart(slide, panel: BriefPanel, box: tuple[float, float, float, float], t, rtl: bool = False):
    """One panel as a native, editable bar chart: its categories and values are
    the chart's data; each bar's label is the figure as published, qualifier included.
    Right to left (`rtl`), the value axis runs from the right: bars grow leftwards
    from the indicators' names, which stand on the right."""
    from pptx.chart.data import CategoryChartData
    from pptx.dml.color import RGBColor
    from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION
    from pptx.enum.dml import MSO_PATTERN
    from pptx.util import Inches, Pt

    # A bar chart draws its first category at the bottom: reversed, the first figure is on top.
    kpis = panel.kpis[::-1]
    data = CategoryChartData(number_format="#,##0.##")
    data.categories = [k.indicator for k in kpis]
    data.add_series(panel_title(panel, t), [k.value for k in kpis])
    left, top, width, height = box
    shape = slide.shapes.add_chart(
        XL_CHART_TYPE.BAR_CLUSTERED, Inches(left), Inches(top), Inches(width), Inches(height), data
    )
    chart = shape.chart
    chart.has_legend = False
    chart.font.size = Pt(11)
    chart.has_title = True
    chart.chart_title.text_frame.text = panel_title(panel, t)
    chart.chart_title.text_frame.paragraphs[0].runs[0].font.size = Pt(12)
    chart.chart_title.text_frame.paragraphs[0].runs[0].font.bold = True
    value_axis = chart.value_axis
    value_axis.minimum_scale = 0  # linear, from zero: bar lengths compare
    value_axis.reverse_order = rtl
    # Room after the longest bar for its label ("more than 7,000"); a share stops at 100%.
    longest = max(k.value for k in kpis)
    room = longest * LABEL_ROOM or 1  # every bar zero (suppressed small counts): an axis still
    value_axis.maximum_scale = min(room, 100) if kpis[0].unit == "percent" and longest <= 100 else room
    value_axis.has_major_gridlines = True
    value_axis.tick_labels.number_format = "#,##0"
    value_axis.tick_labels.number_format_is_linked = False
    plot = chart.plots[0]
    plot.gap_width = 50
    series = plot.series[0]
    series.format.fill.solid()
    series.format.fill.fore_color.rgb = RGBColor(*BLUE)
    for i, kpi in enumerate(kpis):
        point = series.points[i]
        label = point.data_label
        label.has_text_frame = True
        label.text_frame.text = kpi.label
        label.text_frame.word_wrap = False
        label.position = XL_LABEL_POSITION.OUTSIDE_END
        if rtl:
            label.text_frame.paragraphs[0]._p.get_or_add_pPr().set("rtl", "1")  # noqa: SLF001
        if kpi.qualifier != "exact":  # a bound or an estimate: hatched, as on the page
            fill = point.format.fill
            fill.patterned()
            fill.pattern = MSO_PATTERN.WIDE_UPWARD_DIAGONAL
            fill.fore_color.rgb = RGBColor(*BLUE)
            fill.back_color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
            point.format.line.color.rgb = RGBColor(*BLUE)
    return shape


def panel_inches(panel: BriefPanel) -> float:
    return PANEL_IN + BAR_IN * len(panel.kpis)


def chart_pages(panels: tuple[BriefPanel, ...]) -> list[list[BriefPanel]]:
    """The panels grouped into slides, each as tall as its bars need, full width
    (room for the indicators' names and each bar's label); never a panel split."""
    pages: list[list[BriefPanel]] = [[]]
    used = 0.0
    for panel in panels:
        need = panel_inches(panel)
        if pages[-1] and used + need > CHART_AREA_IN:
            pages.append([])
            used = 0.0
        pages[-1].append(panel)
        used += need
    return pages if pages[0] else []
