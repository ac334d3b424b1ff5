"""Pages about where the data comes from: the audit of disagreements and the credits."""

from __future__ import annotations

from operator import attrgetter

from .. import schema
from ..catalog import SELECTIONS, Catalog, Chosen, Counted, Offering, selection
from ..routes import (
    AUDIT_URL,
    CREDITS_URL,
    offering_url,
)
from .common import _breadcrumbs, dataset_name, disputes
from .types import AuditRow, AuditView, CreditsView, DatasetCredit, Link, Page


def _field_label(name: str) -> str:
    if name in schema.PRICE_DIMENSIONS:
        return schema.PRICE_DIMENSIONS[name]
    return {"context_window": "Context window", "max_output": "Max output"}.get(name, name)


def _shown(offering: Offering, name: str) -> str:
    if name in offering.prices:
        return offering.prices[name].text
    value = offering.context_window if name == "context_window" else offering.max_output
    return f"{value:,} tokens" if value else "Not yet documented"


def audit_view(catalog: Catalog) -> AuditView:
    site = catalog.site
    rows: list[AuditRow] = []
    fields: dict[str, int] = {}
    offerings = 0
    for offering in selection(catalog, "disagreements"):
        record = offering.record
        offerings += 1
        for name in dict.fromkeys(d.field for d in record.disagreements):
            label = _field_label(name)
            fields[label] = fields.get(label, 0) + 1
            said = (
                disputes(site, record, name)
                if name in schema.PRICE_DIMENSIONS
                else tuple(
                    f"{dataset_name(site, d.dataset)} says {int(d.value):,} tokens"
                    if d.value.isdigit()
                    else d.value
                    for d in record.disagreements
                    if d.field == name
                )
            )
            rows.append(
                AuditRow(
                    Link(
                        offering.model.record.name, offering_url(offering.provider.slug, offering.model.slug)
                    ),
                    offering.provider.record.name,
                    label,
                    _shown(offering, name),
                    "; ".join(said),
                )
            )
    return AuditView(
        page=Page(
            title=f"Where sources disagree — {site.title}",
            description=(
                f"{len(rows)} values on {offerings} offerings where public datasets give another price or limit "
                "than the one shown."
            ),
            url=AUDIT_URL,
            edit_url=None,
            breadcrumbs=_breadcrumbs(Link("Where sources disagree", AUDIT_URL)),
        ),
        rows=rows,
        offerings=offerings,
        fields=sorted(fields.items(), key=lambda item: (-item[1], item[0])),
    )


SELECTIONS["disagreements"] = Chosen(keep=attrgetter("disagreements"), order=attrgetter("key"))
SELECTIONS["datasets"] = Counted(group=attrgetter("dataset"))


def credits_view(catalog: Catalog) -> CreditsView:
    site = catalog.site
    counts: dict[str, int] = selection(catalog, "datasets")
    datasets = [
        DatasetCredit(key, d.name, d.url, d.version, d.license, d.read.isoformat(), counts.get(key, 0))
        for key, d in sorted(site.datasets.items())
    ]
    return CreditsView(
        page=Page(
            title=f"Credits and data sources — {site.title}",
            description="The public datasets this directory's prices were read from, their versions and licenses.",
            url=CREDITS_URL,
            edit_url=None,
            breadcrumbs=_breadcrumbs(Link("Credits", CREDITS_URL)),
        ),
        datasets=datasets,
    )
