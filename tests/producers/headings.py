"""Column headings as councils write them: the words people type into the header row of an
improvement plan, questions and all. Kept apart from the shipped synonyms file on purpose:
the sweep must show whether columns are found by what they hold, not whether this list
happens to match it.
"""

from __future__ import annotations

import random

HEADINGS: dict[str, tuple[str, ...]] = {
    "item": ("No.", "Ref", "#", "Action No.", "Ref.", "ID", "Action ref", "Priority ref", "", "Number"),
    "inspection_para": ("Ofsted Para No", "Para", "Report paragraph", "Inspection ref", "Link to report (para)",
                        "Ofsted ref", "Para ref", "Report ref", "Paragraph in report"),
    "area_for_improvement": ("Area for Improvement", "Recommendation", "What Ofsted said", "Priority",
                             "Area of weakness", "What needs to improve?", "Inspection finding",
                             "Key priority", "Improvement required", "Theme", "What must improve",
                             "Area identified for development", "Objective"),
    "lead": ("Lead", "Lead officer", "Who is responsible?", "Owner", "Responsible lead", "Led by",
             "Accountable manager", "Who", "Named lead", "Responsible officer(s)", "Senior lead"),
    "action": ("Action", "What we will do", "Actions to address", "What will we do?", "Key actions",
               "Planned activity", "Action to be taken", "Our response", "Steps we will take", "Tasks"),
    "by_when": ("By When", "Timescale", "When will it be done?", "Target date", "Deadline",
                "Completion date", "Date due", "By when?", "Timeframe", "Due by"),
    "progress": ("Progress", "Update", "Progress to date", "Where are we now?", "Current position",
                 "Latest update", "Progress and evidence", "Commentary", "Position at review",
                 "Update on progress"),
    "rag": ("R/A/G", "RAG", "Status", "RAG rating", "BRAG", "Rating", "On track?", "Current RAG",
            "RAG status", "Progress rating"),
    "monitoring": ("Monitoring and Evaluation", "How will we monitor?", "Monitored by", "Oversight",
                   "Governance", "Reported to", "Assurance route", "How progress will be checked"),
    "evidence_of_impact": ("Evidence of impact", "How will we know it is working?", "Measure of success",
                           "What difference will it make?", "Success criteria", "Impact measure",
                           "Outcome for children", "How will we know we have succeeded?",
                           "Impact on children and families", "What will success look like?"),
}


def heading(field: str, rng: random.Random) -> str:
    """One way a council heads this column."""
    return rng.choice(HEADINGS[field])
