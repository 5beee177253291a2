"""THE access policy: every decision of who may see or do what is taken here, nowhere else.

Decisions are pure functions of the user (organisation profile narrowed by role, clearance,
territory) and the object. They fail closed: an unknown action is refused. There is no
superuser bypass; the administrator manages accounts and sees no content.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from vigie.core.choices import (
    AccessType,
    OrganisationKind,
    OversightScope,
    RecordView,
    Role,
    Sector,
)


class Action:
    """The actions the policy knows. Names are `<area>.<verb>`."""

    JOURNAL_SEARCH = "journal.search"
    ACCOUNTS_MANAGE = "accounts.manage"
    TOKEN_CREATE_OWN = "token.create_own"  # noqa: S105 — an action name
    REGISTRY_LIST = "registry.list"
    REGISTRY_PROPOSE = "registry.propose"
    REGISTRY_VALIDATE = "registry.validate"
    REGISTRY_REVIEW = "registry.review"
    REGISTRY_EDIT = "registry.edit"
    REGISTRY_APPROVE_REMOVAL = "registry.approve_removal"
    REGISTRY_HIT_CHECK = "registry.hit_check"
    TOKEN_ISSUE = "token.issue"  # noqa: S105 — issue a token to `obj` (a user)
    TOKEN_REVOKE = "token.revoke"  # noqa: S105 — revoke `obj` (an ApiToken)


# The operator's command line acts as the system actor: whoever runs `vigie` on the server
# already holds the database, so these account chores are open to it and to nothing else.
# The national list is published by Royal Decree; its export, screening and the reminders of
# reviews are operator chores too (docs/measures.md).
SYSTEM_ACTIONS = frozenset(
    {
        Action.ACCOUNTS_MANAGE,
        Action.TOKEN_ISSUE,
        Action.TOKEN_REVOKE,
        "national_list.export",
        "national_list.screen",
        "measure.remind",
    }
)


def is_system_actor(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_system", False))


def is_active_member(user: Any) -> bool:
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and not getattr(user, "is_system", False)
        and user.organisation_id is not None
        and user.organisation.is_active
    )


def can(user: Any, action: str, obj: Any = None) -> bool:
    """May `user` do `action` (on `obj`)? Unknown actions are refused."""
    if is_system_actor(user):
        return action in SYSTEM_ACTIONS
    if not is_active_member(user):
        return False
    if action == Action.JOURNAL_SEARCH:
        return user.role == Role.OVERSIGHT and bool(user.organisation.oversight_scope)
    if action == Action.ACCOUNTS_MANAGE:
        return user.role == Role.ADMINISTRATOR
    if action == Action.TOKEN_CREATE_OWN:
        return True
    if action in _REGISTRY_ACTIONS:
        return _registry_can(user, action)
    if action.startswith(_ASSESSMENT_PREFIXES):
        return _assessment_can(user, action, obj)
    if action.startswith(_MEASURE_PREFIXES):
        return _measure_can(user, action, obj)
    if action == Action.TOKEN_ISSUE:
        # Only to oneself: a token issued to someone else would let the issuer act as them,
        # and the administrator must see no content.
        return obj is not None and getattr(obj, "pk", None) == user.pk
    if action == Action.TOKEN_REVOKE:
        # Revoking only removes access: the owner and the administrator may.
        owner_id = getattr(obj, "user_id", None)
        return owner_id == user.pk or user.role == Role.ADMINISTRATOR
    return False


# --- The common database -------------------------------------------------------------------

_REGISTRY_ACTIONS = {
    Action.REGISTRY_LIST,
    Action.REGISTRY_PROPOSE,
    Action.REGISTRY_VALIDATE,
    Action.REGISTRY_REVIEW,
    Action.REGISTRY_EDIT,
    Action.REGISTRY_APPROVE_REMOVAL,
    Action.REGISTRY_HIT_CHECK,
}
_BODY_ROLES = {Role.ANALYST, Role.VALIDATOR}


def is_body_analyst(user: Any) -> bool:
    """An analyst or validator of the coordination body, which operates the database."""
    return user.organisation.kind == OrganisationKind.COORDINATION_BODY and user.role in _BODY_ROLES


def _registry_can(user: Any, action: str) -> bool:
    org = user.organisation
    if action == Action.REGISTRY_VALIDATE or action == Action.REGISTRY_APPROVE_REMOVAL:
        return is_body_analyst(user) and user.role == Role.VALIDATOR
    if action in (Action.REGISTRY_REVIEW, Action.REGISTRY_EDIT):
        return is_body_analyst(user)
    if action == Action.REGISTRY_PROPOSE:
        return is_body_analyst(user) or (
            user.role == Role.PARTNER_OFFICER and org.access_type == AccessType.CONSULT_FEED
        )
    if action == Action.REGISTRY_LIST:
        return registry_view_level(user) != RecordView.NONE
    if action == Action.REGISTRY_HIT_CHECK:
        return org.access_type != AccessType.NONE and user.role not in {
            Role.ADMINISTRATOR,
            Role.OVERSIGHT,
        }
    return False


def registry_view_level(user: Any) -> str:
    """The most a user sees of a listed entity they are allowed to see: full, card or none."""
    if not is_active_member(user):
        return RecordView.NONE
    if is_body_analyst(user):
        return RecordView.FULL
    org = user.organisation
    if user.role == Role.LOCAL_OFFICER:
        # Local officers see cards of their municipality only; without one, nothing.
        return RecordView.CARD if user.territory_municipality_id else RecordView.NONE
    if user.role != Role.PARTNER_OFFICER:
        return RecordView.NONE
    if org.access_type not in {AccessType.CONSULT, AccessType.CONSULT_FEED}:
        return RecordView.NONE
    return org.record_view


@dataclass(frozen=True)
class RegistryScope:
    """What part of the common database a user may see: the selectors turn it into a query.

    `everything`: the body (proposals included). Otherwise validated entries only, narrowed to
    `categories` (empty = all) and to a territory: one of the entry's addresses lies in the
    `municipality` or, failing that, the `arrondissement`.
    """

    everything: bool = False
    categories: tuple[str, ...] = ()
    municipality: str | None = None
    arrondissement: str | None = None


def registry_scope(user: Any) -> RegistryScope | None:
    """The scope of the common database a user may see; None means nothing at all."""
    level = registry_view_level(user)
    if level == RecordView.NONE:
        return None
    if is_body_analyst(user):
        return RegistryScope(everything=True)
    org = user.organisation
    municipality = user.territory_municipality_id or org.territory_municipality_id
    arrondissement = user.territory_arrondissement_id or org.territory_arrondissement_id
    return RegistryScope(
        categories=tuple(org.categories),
        municipality=municipality,
        arrondissement=None if municipality else arrondissement,
    )


def journal_scope(user: Any) -> Q | None:
    """The journal events an oversight user may search, as a filter; None means none at all.

    Comité P: events of police actors. Comité R: events of intelligence services and the body.
    COC: every event concerning the common database.
    """
    if not can(user, Action.JOURNAL_SEARCH):
        return None
    scope = user.organisation.oversight_scope
    if scope == OversightScope.POLICE:
        return Q(actor_sector=Sector.POLICE)
    if scope == OversightScope.INTELLIGENCE:
        return Q(actor_sector__in=[Sector.INTELLIGENCE, Sector.COORDINATION])
    if scope == OversightScope.DATABASE:
        return Q(domain="database")
    if scope == OversightScope.ALL:
        return Q()
    return None


# --- Threat assessments, strategic analyses, intake, critical infrastructure ---------------


class AssessmentAction:
    """Actions on assessments and analyses (`can(user, action, obj)` answers them too)."""

    LIST = "assessment.list"
    WRITE = "assessment.write"  # draft, edit a draft, submit, correct
    APPROVE = "assessment.approve"  # never one's own draft: checked by the service too
    DELIVER = "assessment.deliver"
    ACKNOWLEDGE = "assessment.acknowledge"  # obj: the delivery row
    INTAKE_SUBMIT = "intake.submit"
    INTAKE_MANAGE = "intake.manage"
    INFRASTRUCTURE_MANAGE = "infrastructure.manage"


_CONTENT_EXCLUDED_ROLES = {Role.ADMINISTRATOR, Role.OVERSIGHT}
_ASSESSMENT_PREFIXES = ("assessment.", "intake.", "infrastructure.")


def _assessment_can(user: Any, action: str, obj: Any) -> bool:
    if action == AssessmentAction.LIST:
        return user.role not in _CONTENT_EXCLUDED_ROLES
    if action in {
        AssessmentAction.WRITE,
        AssessmentAction.DELIVER,
        AssessmentAction.INTAKE_MANAGE,
        AssessmentAction.INFRASTRUCTURE_MANAGE,
    }:
        return is_body_analyst(user)
    if action == AssessmentAction.APPROVE:
        return is_body_analyst(user) and user.role == Role.VALIDATOR
    if action == AssessmentAction.INTAKE_SUBMIT:
        return is_body_analyst(user) or user.role == Role.PARTNER_OFFICER
    if action == AssessmentAction.ACKNOWLEDGE:
        return (
            user.role not in _CONTENT_EXCLUDED_ROLES
            and obj is not None
            and getattr(obj, "organisation_id", None) == user.organisation_id
        )
    return False


def assessment_can(user: Any, action: str, obj: Any = None) -> bool:
    """May `user` do an assessment `action` (on `obj`)? The same answer as `can()`."""
    return can(user, action, obj)


def document_visible(user: Any, doc: Any, recipient_organisation_ids: Any = ()) -> bool:
    """May `user` open `doc` (an assessment, an analysis)? Clearance at the marking's level
    AND need-to-know: the body's analysts, or a member of an organisation it was delivered to.
    Drafts and approved-but-undelivered texts are the body's alone."""
    if not is_active_member(user) or user.role in _CONTENT_EXCLUDED_ROLES:
        return False
    if int(user.clearance) < int(doc.classification):
        return False
    if is_body_analyst(user):
        return True
    return doc.status == "delivered" and user.organisation_id in set(recipient_organisation_ids)


def document_scope_filter(user: Any) -> Q | None:
    """`document_visible` as a filter on a model with `classification`, `status` and
    `recipients__organisation`; None means nothing."""
    if not is_active_member(user) or user.role in _CONTENT_EXCLUDED_ROLES:
        return None
    q = Q(classification__lte=int(user.clearance))
    if is_body_analyst(user):
        return q
    return q & Q(status="delivered", recipients__organisation_id=user.organisation_id)


def intake_visible(user: Any, item: Any) -> bool:
    """An intake item: the body's analysts, and the requesting organisation, with clearance."""
    if not is_active_member(user) or user.role in _CONTENT_EXCLUDED_ROLES:
        return False
    if int(user.clearance) < int(item.classification):
        return False
    return is_body_analyst(user) or item.requester_organisation_id == user.organisation_id


def intake_scope_filter(user: Any) -> Q | None:
    if not is_active_member(user) or user.role in _CONTENT_EXCLUDED_ROLES:
        return None
    q = Q(classification__lte=int(user.clearance))
    if is_body_analyst(user):
        return q
    return q & Q(requester_organisation_id=user.organisation_id)


def infrastructure_scope_filter(user: Any) -> Q | None:
    """The register of critical infrastructure: members with clearance at its marking."""
    if not is_active_member(user) or user.role in _CONTENT_EXCLUDED_ROLES:
        return None
    return Q(classification__lte=int(user.clearance))


# --- Individual administrative measures ----------------------------------------------------


class MeasureAction:
    """Actions on measure cases and the national list (`can(user, action, obj)`)."""

    LIST = "measure.list"  # the body's list; partners and authorities see theirs (scope)
    WRITE = "measure.write"  # open, consult, draft advice, record decisions, reviews, appeals
    APPROVE = "measure.approve"  # an advice; never one's own (checked by the service too)
    PROPOSE = "measure.propose"  # a partner proposes a measure, with its reasons
    ANSWER = "measure.answer"  # obj: the consultation
    ACKNOWLEDGE = "measure.acknowledge"  # obj: the advice delivery row
    STATISTICS = "measure.statistics"
    REMIND = "measure.remind"
    NATIONAL_LIST_EXPORT = "national_list.export"
    NATIONAL_LIST_SCREEN = "national_list.screen"


_MEASURE_PREFIXES = ("measure.", "national_list.")
_PROPOSING_KINDS = {OrganisationKind.BASIC_SERVICE, OrganisationKind.PARTNER_SERVICE}


def _measure_can(user: Any, action: str, obj: Any) -> bool:
    if user.role in _CONTENT_EXCLUDED_ROLES:
        return False
    org = user.organisation
    if action in {
        MeasureAction.WRITE,
        MeasureAction.STATISTICS,
        MeasureAction.REMIND,
        MeasureAction.NATIONAL_LIST_EXPORT,
        MeasureAction.NATIONAL_LIST_SCREEN,
    }:
        return is_body_analyst(user)
    if action == MeasureAction.APPROVE:
        return is_body_analyst(user) and user.role == Role.VALIDATOR
    if action == MeasureAction.LIST:
        return is_body_analyst(user) or user.role == Role.PARTNER_OFFICER
    if action == MeasureAction.PROPOSE:
        return user.role == Role.PARTNER_OFFICER and org.kind in _PROPOSING_KINDS
    if action == MeasureAction.ANSWER:
        return (
            user.role == Role.PARTNER_OFFICER
            and obj is not None
            and getattr(obj, "organisation_id", None) == user.organisation_id
        )
    if action == MeasureAction.ACKNOWLEDGE:
        return (
            org.kind == OrganisationKind.AUTHORITY
            and obj is not None
            and getattr(obj, "organisation_id", None) == user.organisation_id
        )
    return False


class MeasureView:
    """How much of a case a reader sees."""

    FULL = "full"  # the body: everything
    CONSULTED = "consulted"  # a consulted partner: the summary and its own consultation
    PROPOSER = "proposer"  # the proposing partner: its proposal and the outcome
    AUTHORITY = "authority"  # the authority: the advice sent to it and the decision


def measure_case_view(
    user: Any,
    *,
    consulted_org_ids: Any = (),
    proposer_org_id: Any = None,
    authority_org_ids: Any = (),
) -> str | None:
    """The view `user` has of a case, given who was consulted, who proposed it and which
    authorities received an advice; None means none at all (a 404)."""
    if not is_active_member(user) or user.role in _CONTENT_EXCLUDED_ROLES:
        return None
    if is_body_analyst(user):
        return MeasureView.FULL
    org_id = user.organisation_id
    if user.organisation.kind == OrganisationKind.AUTHORITY and org_id in set(authority_org_ids):
        return MeasureView.AUTHORITY
    if user.role != Role.PARTNER_OFFICER:
        return None
    if org_id in set(consulted_org_ids):
        return MeasureView.CONSULTED
    if proposer_org_id is not None and org_id == proposer_org_id:
        return MeasureView.PROPOSER
    return None


def measure_scope_filter(user: Any) -> Q | None:
    """`measure_case_view(...) is not None` as a filter on MeasureCase; None means nothing."""
    if not is_active_member(user) or user.role in _CONTENT_EXCLUDED_ROLES:
        return None
    if is_body_analyst(user):
        return Q()
    org_id = user.organisation_id
    if user.organisation.kind == OrganisationKind.AUTHORITY:
        return Q(advices__recipients__organisation_id=org_id)
    if user.role != Role.PARTNER_OFFICER:
        return None
    return Q(consultations__organisation_id=org_id) | Q(proposer_organisation_id=org_id)


def measures_of_person_visible(user: Any, view_of_person: str) -> bool:
    """A person's measures are shown to the body and to users with a full view of the person."""
    if not is_active_member(user) or user.role in _CONTENT_EXCLUDED_ROLES:
        return False
    return is_body_analyst(user) or view_of_person == RecordView.FULL
