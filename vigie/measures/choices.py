"""Vocabularies of individual administrative measures (DOMAIN.md §3)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MeasureFamily(models.TextChoices):
    """The three kinds of measure; the family decides the authority, basis and durations."""

    ID_CARD = "id_card", _("Identity card")
    PASSPORT = "passport", _("Passport")
    ASSET_FREEZE = "asset_freeze", _("Asset freeze")


class MeasureType(models.TextChoices):
    ID_WITHDRAWAL = "id_withdrawal", _("Identity card withdrawal")
    ID_INVALIDATION = "id_invalidation", _("Identity card invalidation")
    ID_REFUSAL = "id_refusal", _("Identity card refusal")
    PASSPORT_REFUSAL = "passport_refusal", _("Passport refusal")
    PASSPORT_WITHDRAWAL = "passport_withdrawal", _("Passport withdrawal")
    PASSPORT_NON_RENEWAL = "passport_non_renewal", _("Passport non-renewal")
    ASSET_FREEZE = "asset_freeze", _("Asset freeze")


class Origin(models.TextChoices):
    OWN_INITIATIVE = "own_initiative", _("Own initiative")
    PROPOSAL = "proposal", _("Proposal by a partner")
    LINKED = "linked", _("Linked to an identity card measure")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ADVISED = "advised", _("Advice sent")
    IN_FORCE = "in_force", _("In force")
    REFUSED = "refused", _("Refused by the authority")
    ENDED = "ended", _("Ended")


class AnswerKind(models.TextChoices):
    AGREE = "agree", _("Agree")
    OBJECT = "object", _("Object")
    INFORMATION = "information", _("Information to add")


class AdviceKind(models.TextChoices):
    INITIAL = "initial", _("Initial advice")
    RENEWAL = "renewal", _("Renewal advice")
    REVIEW = "review", _("Review advice")


class AdviceStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    SENT = "sent", _("Sent")


class Recommendation(models.TextChoices):
    FAVOURABLE = "favourable", _("Favourable: take the measure")
    UNFAVOURABLE = "unfavourable", _("Unfavourable: do not take the measure")


class DecisionOutcome(models.TextChoices):
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")


class ReviewOutcome(models.TextChoices):
    MAINTAIN = "maintain", _("Maintain")
    LIFT = "lift", _("Lift")


class AppealOutcome(models.TextChoices):
    PENDING = "pending", _("Pending")
    DISMISSED = "dismissed", _("Dismissed: the measure stands")
    ANNULLED = "annulled", _("Annulled")
    SUSPENDED = "suspended", _("Suspended")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Language(models.TextChoices):
    FR = "fr", _("French")
    NL = "nl", _("Dutch")
