"""The legal rules and funding programmes the vault holds, as a checked domain RuleSet.

Every computed result (target group, later the residence checks and deadlines) reads its values
from here, so changing a rule's value in the vault changes every result computed from it.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from gk_desktop.domain.legal_rules import Programme, RuleDataError, RuleSet, parse_rule_data
from gk_desktop.errors import IntegrityError
from gk_desktop.i18n import _
from gk_desktop.storage.models import FundingProgramme, LegalRuleRow
from gk_desktop.storage.seed import DEFAULT_PROGRAMME_KEY


@dataclass(frozen=True)
class VaultRules:
    ruleset: RuleSet
    programme_key_by_id: dict[str, str]
    default_programme_key: str

    def programme(self, programme_id: str | None) -> Programme:
        key = self.programme_key_by_id.get(programme_id or "", self.default_programme_key)
        return self.ruleset.programmes[key]


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def load(session: Any) -> VaultRules:
    rules = []
    for r in session.execute(select(LegalRuleRow).order_by(LegalRuleRow.key)).scalars():
        rules.append({"key": r.key, "value": json.loads(r.value_json), "unit": r.unit, "source": r.source,
                      "valid_from": _iso(r.valid_from), "valid_until": _iso(r.valid_until), "stand": _iso(r.stand)})
    programmes = []
    ids: dict[str, str] = {}
    for p in session.execute(select(FundingProgramme).order_by(FundingProgramme.key)).scalars():
        ids[p.id] = p.key
        programmes.append({
            "key": p.key, "name": p.name, "funding_authority": p.funding_authority,
            "age_min": p.age_min, "age_max": p.age_max,
            "primary_statuses": json.loads(p.primary_statuses_json),
            "secondary_statuses": json.loads(p.secondary_statuses_json),
            "source": p.source, "stand": _iso(p.stand),
            "period_from": _iso(p.period_from), "period_until": _iso(p.period_until),
            "post_share_note": p.post_share_note,
        })
    try:
        ruleset = parse_rule_data({"format": "gk-desktop-seed-legal-rules", "version": 1,
                                   "rules": rules, "programmes": programmes})
    except RuleDataError as exc:
        raise IntegrityError(_("The legal rules in the vault are inconsistent ({detail}). Please check them in Settings.")
                             .format(detail=str(exc))) from exc
    if not ruleset.programmes:
        raise IntegrityError(_("The vault holds no funding programme. Please tell the IT support."))
    default = DEFAULT_PROGRAMME_KEY if DEFAULT_PROGRAMME_KEY in ruleset.programmes else sorted(ruleset.programmes)[0]
    return VaultRules(ruleset, ids, default)
