"""Seed rows (funding programmes, legal rules) written into a vault that lacks them.

The seed is package data (``gk_desktop/seed/legal_rules.json``), checked by
:func:`gk_desktop.domain.legal_rules.parse_rules`. Seeded rows get fixed ids (UUIDv5 of their
key), so devices seeded apart hold the same records. Only missing ids are inserted: a value the
worker changed stays changed. The rows go through the ORM session like every other write, so they
carry their sync stamps.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

from sqlalchemy import select

from gk_desktop.domain.legal_rules import RuleSet, parse_rules
from gk_desktop.storage.ids import uuid5_str
from gk_desktop.storage.models import FundingProgramme, LegalRuleRow, OfferCategoryRow, Partner

DEFAULT_PROGRAMME_KEY = "GK_BAUSTEIN_6"


@lru_cache(maxsize=1)
def seed_text() -> str:
    return resources.files("gk_desktop.seed").joinpath("legal_rules.json").read_text(encoding="utf-8")


def seed_rules() -> RuleSet:
    return parse_rules(seed_text())


def rule_id(key: str) -> str:
    return uuid5_str(f"legal_rule:{key}")


def programme_id(key: str) -> str:
    return uuid5_str(f"funding_programme:{key}")


def encode_rule_value(value: Any, unit: str) -> str:
    if unit == "statuses":
        value = sorted(str(v) for v in value)
    elif unit == "date":
        value = value.isoformat()
    return json.dumps(value, ensure_ascii=False)


@lru_cache(maxsize=1)
def network_seed() -> dict[str, Any]:
    """Offer categories (with the need areas they serve) and sample partners."""
    data = json.loads(resources.files("gk_desktop.seed").joinpath("network.json").read_text(encoding="utf-8"))
    if data.get("format") != "gk-desktop-seed-network":
        raise ValueError("not a network seed")
    return data


def category_id(key: str) -> str:
    return uuid5_str(f"offer_category:{key}")


def partner_id(key: str) -> str:
    return uuid5_str(f"partner:{key}")


def missing_seed(session: Any) -> bool:
    """Cheap test at unlock: is any seeded row missing?"""
    rules = seed_rules()
    net = network_seed()
    have_rules = set(session.execute(select(LegalRuleRow.id)).scalars())
    have_progs = set(session.execute(select(FundingProgramme.id)).scalars())
    have_cats = set(session.execute(select(OfferCategoryRow.id)).scalars())
    have_partners = set(session.execute(select(Partner.id)).scalars())
    return bool({rule_id(k) for k in rules.rules} - have_rules or {programme_id(k) for k in rules.programmes} - have_progs
                or {category_id(c["key"]) for c in net["categories"]} - have_cats
                or {partner_id(p["key"]) for p in net["partners"]} - have_partners)


def ensure_seed(session: Any) -> int:
    """Insert the seeded rows the vault lacks; returns how many. The caller commits."""
    rules = seed_rules()
    have_rules = set(session.execute(select(LegalRuleRow.id)).scalars())
    have_progs = set(session.execute(select(FundingProgramme.id)).scalars())
    added = 0
    for key, p in rules.programmes.items():
        if programme_id(key) in have_progs:
            continue
        session.add(FundingProgramme(
            id=programme_id(key), key=key, name=p.name, funding_authority=p.funding_authority,
            period_from=p.period_from, period_until=p.period_until, post_share_note=p.post_share_note,
            age_min=p.rules.age_min, age_max=p.rules.age_max,
            primary_statuses_json=encode_rule_value(p.rules.primary_statuses, "statuses"),
            secondary_statuses_json=encode_rule_value(p.rules.secondary_statuses, "statuses"),
            report_layout=key, source=p.source, stand=p.stand,
        ))
        added += 1
    for key, r in rules.rules.items():
        if rule_id(key) in have_rules:
            continue
        session.add(LegalRuleRow(
            id=rule_id(key), key=key, value_json=encode_rule_value(r.value, r.unit), unit=r.unit,
            source=r.source, valid_from=r.valid_from, valid_until=r.valid_until, stand=r.stand,
        ))
        added += 1
    net = network_seed()
    have_cats = set(session.execute(select(OfferCategoryRow.id)).scalars())
    for c in net["categories"]:
        if category_id(c["key"]) not in have_cats:
            session.add(OfferCategoryRow(id=category_id(c["key"]), key=c["key"], name=c["name"],
                                         need_areas_json=json.dumps(sorted(c["need_areas"]))))
            added += 1
    have_partners = set(session.execute(select(Partner.id)).scalars())
    for p in net["partners"]:
        if partner_id(p["key"]) not in have_partners:
            session.add(Partner(id=partner_id(p["key"]), name=p["name"], partner_type=p["partner_type"],
                                note=p.get("note", "")))
            added += 1
    return added
