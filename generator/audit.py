"""``modeldir audit``: where the datasets disagree with each other and with the content.

For every offering, the values models.dev, LiteLLM and the content give for
each price dimension, the context window, the output limit and a few
capabilities are lined up; a field where two of them differ (prices by more
than rounding) is a finding. Findings are printed as a table and can be
written as CSV. The site's page "Where sources disagree" shows the
disagreements the imports recorded in the content files (``disagreements``).
"""

from __future__ import annotations

import csv
import datetime as dt
import sys
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from . import schema
from .catalog import Catalog
from .check import check_content
from .errors import ContentError, UsageError
from .importers import litellm, modelsdev, read_snapshot
from .importers.snapshot import OfferingFacts, Snapshot, differs
from .project import Project

SOURCES = ("models.dev", "LiteLLM", "content")
CAPABILITIES = ("reasoning", "tool_calling", "vision")
Value = Decimal | int | bool


@dataclass(frozen=True)
class Finding:
    provider: str
    model: str
    model_id: str
    field: str
    values: dict[str, str]  # source -> value as text
    file: str | None

    def row(self) -> list[str]:
        return [
            self.provider,
            self.model,
            self.model_id,
            self.field,
            *(self.values.get(s, "") for s in SOURCES),
            self.file or "",
        ]


HEADER = ["provider", "model", "model_id", "field", *SOURCES, "file"]


def _show(value: Value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def _conflicting(values: dict[str, Value]) -> bool:
    items = list(values.values())
    for i, a in enumerate(items):
        for b in items[i + 1 :]:
            if isinstance(a, Decimal) and isinstance(b, Decimal):
                if differs(a, b):
                    return True
            elif a != b:
                return True
    return False


def _facts_values(facts: OfferingFacts, dataset: str) -> dict[str, Value]:
    values: dict[str, Value] = dict(facts.prices)
    if facts.context_window:
        values["context_window"] = facts.context_window
    if facts.max_output:
        values["max_output"] = facts.max_output
    caps = set(facts.capabilities or [])
    for cap in CAPABILITIES:
        if cap in caps:
            values[cap] = True
        elif dataset == modelsdev.DATASET:
            values[cap] = False  # models.dev states every flag; LiteLLM only the ones that are true
    return values


def _content_values(catalog: Catalog) -> dict[tuple[str, str], tuple[str, str, dict[str, Value]]]:
    out: dict[tuple[str, str], tuple[str, str, dict[str, Value]]] = {}
    for offering in catalog.offerings.values():
        values: dict[str, Value] = {
            dim: fact.usd for dim, fact in offering.prices.items() if fact.usd is not None
        }
        if offering.context_window:
            values["context_window"] = offering.context_window
        if offering.max_output:
            values["max_output"] = offering.max_output
        if offering.record.capabilities is not None:  # else they are the model's, not this provider's
            caps = {c.value for c in offering.record.capabilities}
            for cap in CAPABILITIES:
                values[cap] = cap in caps
        key = (offering.provider.slug, offering.record.model_id)
        out[key] = (offering.model.slug, offering.file, values)
    return out


def compare(snapshots: list[Snapshot], catalog: Catalog | None) -> list[Finding]:
    """Every field of every offering on which two sources disagree, sorted."""
    names = {modelsdev.DATASET: "models.dev", litellm.DATASET: "LiteLLM"}
    rows: dict[tuple[str, str], dict[str, object]] = {}

    def slot(provider: str, model_id: str, model: str) -> dict[str, object]:
        return rows.setdefault((provider, model_id), {"model": model, "file": None, "values": {}})

    content = _content_values(catalog) if catalog else {}
    by_slug = {(p, m): model_id for (p, model_id), (m, _, _) in content.items()}
    for (provider, model_id), (model, file, values) in content.items():
        entry = slot(provider, model_id, model)
        entry["file"] = file
        entry["values"] = {"content": values}
    for snapshot in snapshots:
        source = names[snapshot.dataset]
        for facts in snapshot.offerings.values():
            key_id = facts.model_id
            if (facts.provider, key_id) not in rows:
                key_id = by_slug.get((facts.provider, facts.model), key_id)
            entry = slot(facts.provider, key_id, facts.model)
            values_by_source: dict[str, dict[str, Value]] = entry["values"]  # type: ignore[assignment]
            values_by_source.setdefault(source, _facts_values(facts, snapshot.dataset))
    findings: list[Finding] = []
    for (provider, model_id), entry in sorted(rows.items()):
        per_source: dict[str, dict[str, Value]] = entry["values"]  # type: ignore[assignment]
        if len(per_source) < 2:
            continue
        fields = sorted({f for values in per_source.values() for f in values}, key=_field_order)
        for field in fields:
            present = {s: v[field] for s, v in per_source.items() if field in v}
            if len(present) >= 2 and _conflicting(present):
                findings.append(
                    Finding(
                        provider,
                        str(entry["model"]),
                        model_id,
                        field,
                        {s: _show(v) for s, v in present.items()},
                        entry["file"] if isinstance(entry["file"], str) else None,
                    )
                )
    findings.sort(key=lambda f: (_field_order(f.field), f.provider, f.model_id))
    return findings


def _field_order(name: str) -> tuple[int, str]:
    order = [*schema.PRICE_DIMENSIONS, "context_window", "max_output", *CAPABILITIES]
    return (order.index(name) if name in order else len(order), name)


def table(findings: list[Finding], limit: int) -> str:
    shown = findings if limit <= 0 else findings[:limit]
    rows = [HEADER[:-1]] + [f.row()[:-1] for f in shown]
    widths = [min(max(len(r[i]) for r in rows), 48) for i in range(len(rows[0]))]
    lines = ["  ".join(cell[:48].ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    if len(shown) < len(findings):
        lines.append(f"… {len(findings) - len(shown)} more (--limit 0 prints all, --csv FILE writes all)")
    return "\n".join(lines)


def write_csv(findings: list[Finding], path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for finding in findings:
            writer.writerow(finding.row())


def audit_command(
    project: Project, models_dev: Path | None, litellm_path: Path | None, csv_path: Path | None, limit: int
) -> int:
    if models_dev is None and litellm_path is None:
        raise UsageError("give the datasets to compare: --models-dev PATH and/or --litellm PATH")
    today = dt.datetime.now(dt.UTC).date()
    snapshots: list[Snapshot] = []
    for kind, path in (("models.dev", models_dev), ("litellm", litellm_path)):
        if path is None:
            continue
        if not path.is_file():
            raise UsageError(f"{path}: no such file")
        snapshots.append(read_snapshot(kind, path, "audit", today))
    checked = check_content(project)
    if checked.catalog is None:
        raise ContentError(checked.problems)
    findings = compare(snapshots, checked.catalog)
    print(table(findings, limit))
    if csv_path:
        write_csv(findings, csv_path)
    fields = Counter(f.field for f in findings)
    offerings = len({(f.provider, f.model_id) for f in findings})
    summary = ", ".join(f"{name} {count}" for name, count in fields.most_common())
    print(
        f"modeldir audit: {len(findings)} disagreement(s) on {offerings} offering(s) ({summary})"
        + (f"; written to {csv_path}" if csv_path else ""),
        file=sys.stderr,
    )
    return 0
