"""Threat assessments, their intake, strategic analyses and critical infrastructure."""

from .analysis import AnalysisRecipient, CriticalInfrastructure, StrategicAnalysis, Topic
from .assessment import GeneralThreatLevel, Recipient, ReviewedDocument, ThreatAssessment
from .intake import Attachment, Event, IntakeItem

__all__ = [
    "AnalysisRecipient",
    "Attachment",
    "CriticalInfrastructure",
    "Event",
    "GeneralThreatLevel",
    "IntakeItem",
    "Recipient",
    "ReviewedDocument",
    "StrategicAnalysis",
    "ThreatAssessment",
    "Topic",
]
