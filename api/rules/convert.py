"""Pure rule results -> response schemas (shared by the JSON routes and the pages)."""

from __future__ import annotations

from api.rules import schemas
from matcher.rules.cost_sharing import BeneficiaryResult, CostSharingResult
from matcher.rules.priority import PriorityBreakdown
from matcher.rules.stay_clock import Deadline, StayStatus


def cost_sharing_read(r: CostSharingResult) -> schemas.CostSharingRead:
    c = r.composition
    return schemas.CostSharingRead(
        day=r.day,
        cost_sharing_age=c.cost_sharing_age,
        cost_sharers_without=c.a_without,
        cost_sharers_with=c.a_with,
        percent_without=c.percent_without,
        percent_with=c.percent_with,
        verdicts=[
            schemas.VerdictRead(
                person=v.person_ref, role=v.role, age=v.age, counts=v.counts, reason=v.reason_nl, reason_en=v.reason_en
            )
            for v in c.verdicts
        ],
        beneficiaries=list(r.beneficiary_refs),
        norms=[
            schemas.NormRead(
                person=n.person_ref,
                norm_without=n.norm_without,
                norm_with=n.norm_with,
                difference=n.difference,
                cost_sharers_without=n.a_without,
                cost_sharers_with=n.a_with,
            )
            for n in r.norms
        ],
        monthly_difference=r.monthly_difference,
        amounts_missing=r.amounts_missing,
        cuts_benefit=r.cuts_benefit,
        exemption_possible=r.exemption_possible,
        exemption_in_force=r.exemption_in_force,
        decision_required=r.decision_required.nl if r.decision_required else None,
        decision_required_en=r.decision_required.en if r.decision_required else None,
        sources=list(r.sources),
        beneficiary_details=[beneficiary_read(b) for b in r.beneficiaries],
        norms_from=r.norms_from,
        provisional=r.provisional,
        fee=r.fee,
        fee_effect=r.fee_effect,
        effective_monthly_difference=r.effective_monthly_difference,
        notes=[schemas.NoteRead(text=n.nl, text_en=n.en) for n in r.notes],
    )


def beneficiary_read(b: BeneficiaryResult) -> schemas.BeneficiaryRead:
    return schemas.BeneficiaryRead(
        person=b.person_ref,
        age=b.age,
        counted_without=list(b.counted_without),
        counted_with=list(b.counted_with),
        cost_sharers_without=b.a_without,
        cost_sharers_with=b.a_with,
        norm_without=b.norm.norm_without if b.norm else None,
        norm_with=b.norm.norm_with if b.norm else None,
        difference=b.difference,
        state_pension_age_reached=b.state_pension_date is not None,
        not_applicable=b.not_applicable.nl if b.not_applicable else None,
        not_applicable_en=b.not_applicable.en if b.not_applicable else None,
    )


def deadline_read(d: Deadline) -> schemas.DeadlineRead:
    return schemas.DeadlineRead(
        kind=d.kind.value,
        date=d.date,
        placement_id=int(d.placement_ref.removeprefix("PL-")),
        household_reference=d.household_ref,
        day_number=d.day_number,
        label=d.label,
        label_en=d.label_en,
        overdue=d.overdue,
    )


def stay_read(placement_id: int, household_reference: str, start, s: StayStatus) -> schemas.StayRead:
    return schemas.StayRead(
        placement_id=placement_id,
        household_reference=household_reference,
        start_date=start,
        day_count=s.day_count,
        latest_end_date=s.latest_end_date,
        reached=[k.value for k in s.reached],
        next_deadline=deadline_read(s.next_deadline) if s.next_deadline else None,
    )


def priority_read(household_id: int, b: PriorityBreakdown) -> schemas.PriorityRead:
    return schemas.PriorityRead(
        household_id=household_id,
        household_reference=b.household_ref,
        day=b.day,
        total=b.total,
        factors=[
            schemas.PriorityFactorRead(factor=f.factor, points=f.points, explanation=f.explanation) for f in b.factors
        ],
        sources=list(b.sources),
    )
