"""`mpp survey` (the SKM survey screen) and `mpp report skm`."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import TYPE_CHECKING

import typer

from mpp_tui.cli.context import JSON_OPTION, Cli, get_cli
from mpp_tui.domain.errors import Act, InvalidInput

if TYPE_CHECKING:
    from rich.console import RenderableType

    from mpp_tui.domain.skm import SkmResult

FORMATS = ("table", "json", "csv")


def register(root: typer.Typer, report_app: typer.Typer) -> None:
    """Add `mpp survey` to the root and `skm` to `mpp report`."""
    root.command("survey")(survey)
    report_app.command("skm")(report_skm)


def survey(
    ctx: typer.Context,
    counter: str | None = typer.Option(
        None,
        "--counter",
        help="Beside this counter: offer the tickets just finished there instead of typing.",
    ),
) -> None:
    """Open the SKM survey screen: visitors rate the service they just had (Ctrl+Q quits)."""
    from mpp_tui.cli.screens import run_survey  # Textual loads only for commands with a screen

    run_survey(get_cli(ctx), counter=counter)


def report_skm(
    ctx: typer.Context,
    start: str = typer.Option(..., "--from", help="First business day, YYYY-MM-DD."),
    end: str = typer.Option(..., "--to", help="Last business day (included), YYYY-MM-DD."),
    agency: str | None = typer.Option(None, "--agency", help="Only this agency's services."),
    service: str | None = typer.Option(None, "--service", help="Only this service."),
    fmt: str = typer.Option("table", "--format", help="table, json or csv."),
    json_out: bool = JSON_OPTION,
) -> None:
    """The SKM index (PermenPANRB 14/2017) of the survey answers of a period.

    NRR per element, weighted NRR, IKM, score (IKM × 25), grade and respondents.
    """
    chosen = "json" if json_out else fmt.strip().lower()
    cli = get_cli(ctx, chosen == "json")
    if chosen not in FORMATS:
        raise InvalidInput(
            "err.choice_invalid",
            field=Act("skm.field.format"),
            value=fmt[:20],
            choices=", ".join(FORMATS),
        )
    first, last = _date(start), _date(end)
    from mpp_tui.services.facade import Hall

    result = Hall(cli.ready, hall=cli.settings.hall).survey.skm(
        start=first, end=last, agency=agency, service=service
    )
    scope = {
        "from": first.isoformat(),
        "to": last.isoformat(),
        "agency": agency.strip().upper() if agency else None,
        "service": service.strip().upper() if service else None,
    }
    if chosen == "csv":
        typer.echo(skm_csv(result, cli.lang), nl=False)
        return
    cli.emit({**scope, **result.to_json(cli.lang)}, _table(cli, result, scope))


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput("err.date_invalid", value=text[:20]) from None


def _table(cli: Cli, result: SkmResult, scope: dict[str, str | None]) -> RenderableType:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    where = " · ".join(v for v in (scope["agency"], scope["service"]) if v)
    title = cli.tr("skm.cli.title", start=scope["from"], end=scope["to"])
    table = Table(title=title + (f" · {where}" if where else ""), title_justify="left")
    table.add_column(cli.tr("skm.col.element"), no_wrap=True)
    table.add_column(cli.tr("skm.col.name"), ratio=1)
    for key in ("skm.col.total", "skm.col.nrr", "skm.col.weighted", "skm.col.score"):
        table.add_column(cli.tr(key), justify="right", no_wrap=True)
    table.add_column(cli.tr("skm.col.grade"), no_wrap=True)
    for e in result.elements:
        table.add_row(
            e.element.code,
            e.element.label(cli.lang),
            str(e.total),
            str(e.nrr),
            str(e.weighted),
            str(e.score),
            e.grade.value,
        )
    lines = [
        cli.tr("skm.cli.respondents", n=result.respondents),
        cli.tr("skm.cli.ikm", ikm=result.ikm),
        cli.tr("skm.cli.score", score=result.score),
        cli.tr("skm.cli.grade", grade=result.grade.value, words=result.grade_words(cli.lang)),
    ]
    return Group(table, *(Text(line) for line in lines))


def skm_csv(result: SkmResult, lang: str) -> str:
    """The result as CSV: a header, one row per element, then the unit's row (`IKM`)."""
    from mpp_tui.i18n import t

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    keys = ("element", "name", "total", "nrr", "weighted", "score", "grade")
    writer.writerow([t(f"skm.col.{k}", lang) for k in keys] + [t("skm.col.respondents", lang)])
    for e in result.elements:
        writer.writerow(
            [
                e.element.code,
                e.element.label(lang),
                e.total,
                e.nrr,
                e.weighted,
                e.score,
                e.grade.value,
                result.respondents,
            ]
        )
    writer.writerow(
        [
            "IKM",
            t("skm.unit", lang),
            sum(e.total for e in result.elements),
            result.ikm,
            result.ikm,
            result.score,
            result.grade.value,
            result.respondents,
        ]
    )
    return out.getvalue()
