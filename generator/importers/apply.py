"""Write a :class:`Snapshot` into the content folder: create what is missing, update in place.

Who owns a value decides what an import may do with it:

* an offering's prices belong to the dataset named in its ``dataset`` key (a
  price written as ``{usd, dataset, …}`` belongs to that dataset); values
  without a dataset were written by a person;
* an import updates only the values its dataset owns; a changed price appends
  a history entry holding the old value, dated when it was read;
* any other value that the dataset contradicts is recorded as an open
  disagreement in the file (``disagreements``), never overwritten;
* an offering with ``verified`` set is never changed by an import: each
  contradicted value is reported as a conflict (and recorded as a disagreement);
* a refused upstream value (:mod:`.gates`) is recorded under ``withheld``.

Files are rewritten only when their text changes, so a second run of the same
import changes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap

from ..project import Project
from . import yamledit as y
from .naming import dated_aliases
from .snapshot import ModelFacts, OfferingFacts, ProviderFacts, Refused, Snapshot, VariantFacts, differs

DATASETS: dict[str, dict[str, str]] = {
    "models-dev": {"name": "models.dev", "url": "https://github.com/anomalyco/models.dev", "license": "MIT"},
    "litellm": {
        "name": "LiteLLM model prices",
        "url": "https://github.com/BerriAI/litellm",
        "license": "MIT",
    },
}
COMPARED_LIMITS = ("context_window", "max_output")
OFFERING_KEYS = (
    "model",
    "provider",
    "model_id",
    "status",
    "released",
    "deprecated_on",
    "retires_on",
    "replacement",
    "context_window",
    "max_output",
    "capabilities",
    "verified",
    "source",
    "as_of",
    "dataset",
    "pricing",
    "history",
    "variants",
    "gotchas",
    "faq",
    "notes",
    "withheld",
)
_MODEL_ID_LINE = re.compile(r"^model_id:\s*(.+?)\s*(#.*)?$", re.MULTILINE)


@dataclass
class Change:
    path: str
    created: bool
    details: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        verb = "create" if self.created else "update"
        more = f": {'; '.join(self.details)}" if self.details else ""
        return f"{verb} {self.path}{more}"


@dataclass
class ImportResult:
    changes: list[Change] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    report: list[str] = field(default_factory=list)
    history_entries: int = 0
    withheld: int = 0
    disagreements: int = 0


def _unquote(text: str) -> str:
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    return text


def _price_of(value: Any) -> tuple[Decimal | None, str | None]:
    """(amount, dataset) of a price as written: a number, or a mapping with usd/dataset."""
    if isinstance(value, dict):
        return y.decimal_of(value.get("usd")), value.get("dataset")
    return y.decimal_of(value), None


def _disagree(shown: Decimal | None, other: Decimal) -> bool:
    return shown is None or differs(shown, other)


def _text(value: Decimal | int) -> str:
    return format(value.normalize(), "f") if isinstance(value, Decimal) else str(value)


class Importer:
    def __init__(
        self, project: Project, snapshot: Snapshot, version: str, read: dt.date | None, dry_run: bool
    ):
        self.project = project
        self.snapshot = snapshot
        self.ds = snapshot.dataset
        self.version = version
        self.read = read
        self.dry_run = dry_run
        self.result = ImportResult(report=list(snapshot.report))
        self.content = project.content
        self.as_of = dt.date.today()

    # --- files ------------------------------------------------------------------

    def _write(self, path: Path, text: str, old: str | None, details: list[str]) -> None:
        if text == old:
            return
        self.result.changes.append(Change(self.project.display(path), old is None, details))
        if not self.dry_run:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")

    # --- site.yaml ----------------------------------------------------------------

    def site(self) -> None:
        data, old = y.load(self.project.site_file)
        datasets = data.get("datasets")
        if datasets is None:
            datasets = CommentedMap()
            y.set_key(data, "datasets", datasets)
        entry = datasets.get(self.ds)
        if entry is None:
            info = DATASETS[self.ds]
            entry = CommentedMap(
                name=info["name"], url=info["url"], version=self.version, license=info["license"]
            )
            entry["read"] = self.read or dt.date.today()
            datasets[self.ds] = entry
        elif str(entry.get("version")) != self.version:
            entry["version"] = self.version
            entry["read"] = self.read or dt.date.today()
        elif self.read is not None:
            entry["read"] = self.read
        read = entry["read"]
        self.as_of = read if isinstance(read, dt.date) else dt.date.fromisoformat(str(read))
        self._write(self.project.site_file, y.dump(data), old, [f"{self.ds} version {self.version}"])

    # --- the run --------------------------------------------------------------------

    def _merge_aliases(self) -> None:
        """Offerings of an undated alias move to the one dated model it names (a variant if both are sold)."""
        folder = self.content / "models"
        on_disk = {p.stem: p for p in folder.glob("*.yaml")} if folder.is_dir() else {}
        hand_written = {
            slug for slug, path in on_disk.items() if "\ndataset:" not in path.read_text(encoding="utf-8")
        }
        # from this dataset's own names only, so that a run never depends on what other imports wrote
        aliases = dated_aliases(set(self.snapshot.models), hand_written)
        offerings = self.snapshot.offerings
        for (provider, model), facts in sorted(offerings.items()):
            target = aliases.get(model)
            if target is None:
                continue
            del offerings[(provider, model)]
            dated = offerings.get((provider, target))
            if dated is not None:
                dated.variants.append(
                    VariantFacts("Undated alias of this snapshot", facts.model_id, facts.prices.get("input"))
                )
                continue
            facts.model = target
            offerings[(provider, target)] = facts
        for alias, target in aliases.items():
            facts_model = self.snapshot.models.pop(alias, None)
            if facts_model is not None and target not in self.snapshot.models and target not in on_disk:
                facts_model.slug = target
                self.snapshot.models[target] = facts_model

    def run(self) -> ImportResult:
        self.site()
        self._merge_aliases()
        existing = self._existing_offerings()
        rules = self._provider_rules()
        planned: dict[tuple[str, str], tuple[OfferingFacts, Path | None]] = {}
        claimed: set[Path] = set()
        by_id = {
            key: existing[(facts.provider, facts.model_id)]
            for key, facts in self.snapshot.offerings.items()
            if (facts.provider, facts.model_id) in existing
        }
        claimed.update(by_id.values())
        for key, facts in sorted(self.snapshot.offerings.items()):
            path = by_id.get(key)
            if path is None:
                candidate = self.content / "offerings" / facts.provider / f"{facts.model}.yaml"
                if candidate in claimed:
                    self.result.report.append(
                        f"{facts.entry}: left out, {self.project.display(candidate)} is another ID's offering"
                    )
                    continue
                path = candidate if candidate.is_file() else None
                if path is not None:
                    claimed.add(path)
            if (
                path is None
                and self.snapshot.creates is not None
                and facts.provider not in self.snapshot.creates
            ):
                continue
            planned[key] = (facts, path)
        new_providers: dict[str, list[str]] = defaultdict(list)
        for facts, path in planned.values():
            if path is None and facts.provider not in rules:
                new_providers[facts.provider].append(facts.model_id)
        for slug, ids in sorted(new_providers.items()):
            provider = self.snapshot.providers.get(slug)
            if provider is not None and not provider.auth_env:
                self.result.report.append(
                    f"provider {slug}: left out, the dataset names no usable credentials variable"
                )
                continue
            if provider is not None and provider.api == "openai" and not provider.base_url:
                self.result.report.append(
                    f"provider {slug}: left out, the dataset gives no https API base URL for its recipes"
                )
                continue
            if provider is None or not provider.url:
                self.result.report.append(
                    f"provider {slug}: no content/providers/{slug}.yaml and no facts to make one"
                )
                continue
            rules[slug] = self._create_provider(provider, ids)
        for _key, (facts, path) in sorted(planned.items()):
            pattern = rules.get(facts.provider)
            if path is None:
                if pattern is None:
                    continue
                if not re.fullmatch(pattern, facts.model_id):
                    self.result.report.append(
                        f"{facts.entry}: left out, ID {facts.model_id!r} does not follow the model-ID rule "
                        f"of content/providers/{facts.provider}.yaml"
                    )
                    continue
                self._ensure_model(facts.model)
                self._create_offering(facts)
            else:
                self._update_offering(facts, path)
        return self.result

    def _existing_offerings(self) -> dict[tuple[str, str], Path]:
        found: dict[tuple[str, str], Path] = {}
        folder = self.content / "offerings"
        if not folder.is_dir():
            return found
        for path in sorted(folder.glob("*/*.yaml")):
            match = _MODEL_ID_LINE.search(path.read_text(encoding="utf-8"))
            if match:
                found[(path.parent.name, _unquote(match.group(1)))] = path
        return found

    def _provider_rules(self) -> dict[str, str]:
        rules: dict[str, str] = {}
        folder = self.content / "providers"
        if not folder.is_dir():
            return rules
        for path in sorted(folder.glob("*.yaml")):
            data, _ = y.load(path)
            rule = data.get("model_id")
            if isinstance(rule, dict) and isinstance(rule.get("pattern"), str):
                rules[path.stem] = rule["pattern"]
        return rules

    # --- creators, models, providers -------------------------------------------

    def _ensure_creator(self, slug: str) -> None:
        path = self.content / "creators" / f"{slug}.yaml"
        if path.is_file():
            return
        data = CommentedMap(name=self.snapshot.creators.get(slug, slug))
        data["dataset"] = self.ds
        self._write(path, y.dump(data, "../../schemas/creator.json"), None, [])

    def _ensure_model(self, slug: str) -> None:
        facts = self.snapshot.models.get(slug)
        path = self.content / "models" / f"{slug}.yaml"
        if facts is None:
            return
        if not path.is_file():
            self._ensure_creator(facts.creator)
            self._write(path, y.dump(self._model_map(facts), "../../schemas/model.json"), None, [])
            return
        data, old = y.load(path)
        if data.get("dataset") != self.ds:
            return  # written by a person or by another dataset: left alone
        fresh = self._model_map(facts)
        for key in ("creator",):
            fresh.pop(key, None)
        for key, value in fresh.items():
            if key == "withheld" or data.get(key) != value:
                y.set_key(data, key, value, after=tuple(fresh.keys()))
        for key in ("family", "released", "knowledge_cutoff", "context_window", "max_output", "withheld"):
            if key in data and key not in fresh:
                del data[key]
        self._write(path, y.dump(data), old, [])

    def _model_map(self, facts: ModelFacts) -> CommentedMap:
        data = CommentedMap(name=facts.name, creator=facts.creator)
        for key in ("family", "released", "knowledge_cutoff", "context_window", "max_output"):
            value = getattr(facts, key)
            if value is not None:
                data[key] = value
        if facts.context_window and facts.max_output and facts.max_output > facts.context_window:
            del data["max_output"]
        data["modalities"] = y.flow_map(input=y.flow_seq(facts.inputs), output=y.flow_seq(facts.outputs))
        if facts.capabilities:
            data["capabilities"] = y.flow_seq(list(facts.capabilities))
        if facts.open_weights is not None:
            data["open_weights"] = facts.open_weights
        data["dataset"] = self.ds
        data["as_of"] = self.as_of
        if facts.refused:
            data["withheld"] = self._withheld(facts.refused)
        return data

    def _create_provider(self, facts: ProviderFacts, ids: list[str]) -> str:
        pattern, hint = id_rule(ids)
        data = CommentedMap(name=facts.name, url=facts.url)
        if facts.docs_url:
            data["docs_url"] = facts.docs_url
        data["api"] = facts.api
        if facts.base_url:
            data["base_url"] = facts.base_url
        data["auth_env"] = y.flow_seq(facts.auth_env)
        sdk = CommentedMap()
        if facts.sdk_python:
            sdk["python"] = facts.sdk_python
        if facts.sdk_javascript:
            sdk["javascript"] = facts.sdk_javascript
        if sdk:
            data["sdk"] = sdk
        data["model_id"] = CommentedMap(pattern=pattern, hint=hint, example=sorted(ids, key=len)[0])
        data["dataset"] = self.ds
        data["as_of"] = self.as_of
        path = self.content / "providers" / f"{facts.slug}.yaml"
        self._write(path, y.dump(data, "../../schemas/provider.json"), None, [])
        return pattern

    # --- offerings ------------------------------------------------------------------

    def _withheld(self, refused: list[Refused]) -> list[CommentedMap]:
        self.result.withheld += len(refused)
        for item in refused:
            self.result.report.append(f"{item.entry}: withheld {item.field} = {item.value}: {item.reason}")
        return [
            y.flow_map(field=r.field, value=r.value[:200], reason=r.reason, dataset=self.ds, entry=r.entry)
            for r in refused
        ]

    def _variants(self, facts: OfferingFacts) -> list[CommentedMap]:
        base = facts.prices.get("input")
        out = []
        for variant in facts.variants:
            item = CommentedMap(name=variant.name)
            if facts.provider != "azure":  # Azure zones are deployment types of the same model name
                item["model_id"] = variant.model_id
            if base and variant.input is not None and variant.input >= base:
                uplift = ((variant.input / base - 1) * 100).quantize(Decimal("0.1")).normalize()
                item["uplift_percent"] = uplift if uplift else Decimal(0)
            out.append(y.flow_map(**item))
        return out

    def _pricing(self, facts: OfferingFacts) -> CommentedMap:
        pricing = CommentedMap()
        for dimension in sorted(facts.prices, key=_dimension_order):
            pricing[dimension] = facts.prices[dimension]
        if facts.tiers:
            tiers = []
            for above in sorted(facts.tiers):
                tier = CommentedMap(above=above)
                for dimension in sorted(facts.tiers[above], key=_dimension_order):
                    tier[dimension] = facts.tiers[above][dimension]
                tiers.append(y.flow_map(**tier))
            pricing["tiers"] = tiers
        return pricing

    def _create_offering(self, facts: OfferingFacts) -> None:
        data = CommentedMap(model_id=facts.model_id)
        if facts.status:
            data["status"] = facts.status
        if facts.retires_on:  # a shutdown date announced: deprecated until then, retired after
            data["status"] = "retired" if facts.retires_on <= self.as_of else "deprecated"
            data["retires_on"] = facts.retires_on
        if facts.context_window:
            data["context_window"] = facts.context_window
        if facts.max_output:
            data["max_output"] = facts.max_output
        data["source"] = facts.source
        data["as_of"] = self.as_of
        data["dataset"] = self.ds
        data["pricing"] = self._pricing(facts)
        if facts.variants:
            data["variants"] = self._variants(facts)
        if facts.refused:
            data["withheld"] = self._withheld(facts.refused)
        path = self.content / "offerings" / facts.provider / f"{facts.model}.yaml"
        self._write(path, y.dump(data, "../../../schemas/offering.json"), None, [])

    def _update_offering(self, facts: OfferingFacts, path: Path) -> None:
        data, old = y.load(path)
        display = self.project.display(path)
        verified = data.get("verified")
        owner = data.get("dataset")
        owned = owner == self.ds and not verified
        pricing = data.get("pricing")
        if not isinstance(pricing, dict):
            pricing = CommentedMap()
            y.set_key(data, "pricing", pricing, after=OFFERING_KEYS[: OFFERING_KEYS.index("pricing")])
        details: list[str] = []
        disagreements: list[tuple[str, str]] = []
        old_prices: dict[str, Decimal] = {}
        filled = False
        # a dataset that disagrees on the main prices does not fill in the others: they would not match
        headline = [d for d in ("input", "output") if d in facts.prices and d in pricing]
        contradicted = any(_disagree(_price_of(pricing.get(d))[0], facts.prices[d]) for d in headline)
        for dimension in sorted(facts.prices, key=_dimension_order):
            new = facts.prices[dimension]
            current = pricing.get(dimension)
            amount, price_dataset = _price_of(current)
            value_owner = price_dataset if isinstance(current, dict) else owner
            if current is None:
                if verified:
                    self._conflict(display, dimension, None, new)
                    disagreements.append((dimension, _text(new)))
                elif owned:
                    pricing[dimension] = new
                    filled = True
                    details.append(f"{dimension} {_text(new)} (new)")
                elif contradicted:
                    disagreements.append((dimension, _text(new)))
                else:
                    pricing[dimension] = y.flow_map(
                        usd=new, source=facts.source, as_of=self.as_of, dataset=self.ds
                    )
                    details.append(f"{dimension} {_text(new)} (new, from {self.ds})")
                continue
            if amount is not None and amount == new:
                continue
            if verified:
                self._conflict(display, dimension, current, new)
                disagreements.append((dimension, _text(new)))
            elif value_owner == self.ds and amount is not None:
                old_prices[dimension] = amount
                if isinstance(current, dict):
                    current["usd"] = new
                    current["as_of"] = self.as_of
                    current["source"] = facts.source
                else:
                    pricing[dimension] = new
                details.append(f"{dimension} {_text(amount)} -> {_text(new)}")
            elif _disagree(amount, new):
                disagreements.append((dimension, _text(new)))
        for limit in COMPARED_LIMITS:
            new_limit = getattr(facts, limit)
            if not new_limit:
                continue
            current_limit = data.get(limit)
            model_limit = self._model_limit(path, limit)
            if current_limit == new_limit or (current_limit is None and model_limit == new_limit):
                continue
            if owned:
                y.set_key(data, limit, new_limit, after=OFFERING_KEYS[: OFFERING_KEYS.index(limit)])
                details.append(f"{limit} {current_limit} -> {new_limit}")
            elif current_limit is not None or model_limit is not None:
                if verified and current_limit is not None:
                    self._conflict(display, limit, current_limit, new_limit)
                disagreements.append((limit, str(new_limit)))
        if old_prices:
            self._append_history(data, old_prices)
        source = str(data.get("source") or "")
        if owned and (old_prices or filled or (source != facts.source and same_entry(source, facts.source))):
            data["source"] = facts.source
            data["as_of"] = self.as_of
        if owned:
            # tiers and variants are filled in when absent, never rewritten: people edit them
            pricing_tiers = self._pricing(facts).get("tiers")
            if pricing_tiers and not pricing.get("tiers"):
                pricing["tiers"] = pricing_tiers
            if facts.variants and not data.get("variants"):
                y.set_key(
                    data,
                    "variants",
                    self._variants(facts),
                    after=OFFERING_KEYS[: OFFERING_KEYS.index("variants")],
                )
            self._replace_withheld(data, facts.refused)
        self._replace_disagreements(data, pricing, disagreements, facts.entry)
        self._write(path, y.dump(data), old, details)

    def _model_limit(self, offering_path: Path, limit: str) -> Any:
        model = self.content / "models" / f"{offering_path.stem}.yaml"
        if not model.is_file():
            return None
        data, _ = y.load(model)
        return data.get(limit)

    def _conflict(self, display: str, what: str, current: Any, new: Decimal | int) -> None:
        shown = (
            "absent" if current is None else str(current.get("usd") if isinstance(current, dict) else current)
        )
        self.result.conflicts.append(
            f"{display}: verified by hand; {self.ds} says {what} = {_text(new)}, the file says {shown} (not changed)"
        )

    def _append_history(self, data: CommentedMap, old_prices: dict[str, Decimal]) -> None:
        history = data.get("history")
        if history is None:
            history = y.seq([])
            y.set_key(data, "history", history, after=OFFERING_KEYS[: OFFERING_KEYS.index("history")])
        date = data.get("as_of") or self.as_of
        if history and history[-1].get("date") == date:
            entry = history[-1]
            for dimension, amount in old_prices.items():
                entry.setdefault(dimension, amount)
        else:
            entry = CommentedMap(date=date)
            for dimension in sorted(old_prices, key=_dimension_order):
                entry[dimension] = old_prices[dimension]
            if data.get("source"):
                entry["source"] = data["source"]
            entry["dataset"] = self.ds
            history.append(y.flow_map(**entry))
        self.result.history_entries += 1

    def _replace_withheld(self, data: CommentedMap, refused: list[Refused]) -> None:
        kept = [w for w in data.get("withheld") or [] if w.get("dataset") != self.ds]
        items = kept + self._withheld(refused)
        if items:
            y.set_key(data, "withheld", items, after=OFFERING_KEYS)
        elif "withheld" in data:
            del data["withheld"]

    def _replace_disagreements(
        self, data: CommentedMap, pricing: dict[str, Any], found: list[tuple[str, str]], entry: str
    ) -> None:
        def shown(field_name: str) -> str | None:
            if field_name in COMPARED_LIMITS:
                value = data.get(field_name)
                return str(value) if value is not None else None
            amount, _ = _price_of(pricing.get(field_name))
            return _text(amount) if amount is not None else None

        kept = [
            d
            for d in data.get("disagreements") or []
            if d.get("dataset") != self.ds and shown(str(d.get("field"))) != str(d.get("value"))
        ]
        items = kept + [
            y.flow_map(field=name, dataset=self.ds, value=value, entry=entry) for name, value in found
        ]
        self.result.disagreements += len(found)
        if items:
            y.set_key(data, "disagreements", items, after=(*OFFERING_KEYS, "withheld"))
        elif "disagreements" in data:
            del data["disagreements"]


_COMMIT = re.compile(r"/blob/[0-9a-f]{7,40}/")


def same_entry(a: str, b: str) -> bool:
    """Whether two source URLs name one dataset entry at different commits."""
    return _COMMIT.sub("/blob/-/", a) == _COMMIT.sub("/blob/-/", b)


def _dimension_order(name: str) -> int:
    from ..schema import PRICE_DIMENSIONS

    keys = list(PRICE_DIMENSIONS)
    return keys.index(name) if name in keys else len(keys)


def id_rule(ids: list[str]) -> tuple[str, str]:
    """A pattern every observed ID matches, and the rule in words."""
    chars = set("".join(ids))
    parts, words = [], []
    if any(c.islower() for c in chars):
        parts.append("a-z")
        words.append("lowercase letters")
    if any(c.isupper() for c in chars):
        parts.append("A-Z")
        words.append("capital letters")
    if any(c.isdigit() for c in chars):
        parts.append("0-9")
        words.append("digits")
    others = sorted(c for c in chars if not (c.isascii() and c.isalnum()))
    first = sorted({i[0] for i in ids if i})
    klass = "".join(parts) + "".join(re.escape(c) if c in "\\]^-[" else c for c in others)
    first_class = "".join(parts) + "".join(
        re.escape(c) if c in "\\]^-[" else c for c in first if not c.isalnum()
    )
    pattern = f"^[{first_class}][{klass}]*$"
    shown = " ".join(f"`{c}`" for c in others)
    hint = (
        "The model ID exactly as the provider lists it: "
        + ", ".join(words)
        + (f" and {shown}" if shown else "")
        + "."
    )
    return pattern, hint


def run_import(
    project: Project, snapshot: Snapshot, version: str, read: dt.date | None, dry_run: bool
) -> ImportResult:
    return Importer(project, snapshot, version, read, dry_run).run()
