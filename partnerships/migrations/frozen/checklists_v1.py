"""Version 1 of the three assessment checklists and of the planning checklist, as published by migration 0002.

This is frozen wording: never edit it. A change of wording is a new module
(``checklists_v2.py``) and a new data migration that publishes version 2, so
partnerships that answered version 1 keep it. Each assessment item is tagged
with the essential elements (``partnerships.choices.EssentialElement``) it serves.
"""

from __future__ import annotations

COLLAB, DESIGN, TRAINING, DISPATCH = (
    "collaborative_planning",
    "program_design",
    "specialized_training",
    "call_taker_dispatch",
)
STABILIZE, TRANSPORT, INFO = "stabilization", "transportation", "information_exchange"
TREATMENT, ORG, EVAL = "treatment", "organizational_support", "evaluation"

CHECKLISTS = [
    {
        "key": "pmhc-policymaker",
        "title": "Jurisdiction policymaker assessment",
        "audience": "government",
        "description": "For the city, county, state or tribe: is the collaboration a priority that lasts?",
        "items": [
            ("The collaboration is formally declared a jurisdiction priority.", [ORG, COLLAB]),
            ("Budget and policy decisions support it.", [ORG]),
            ("A joint governance body meets on a set schedule.", [COLLAB]),
            ("A coordinator has authority across the agencies involved.", [COLLAB, ORG]),
            ("Crisis services and their gaps have been mapped.", [TREATMENT, DESIGN]),
            ("Baseline data exists on calls, arrests, bookings and emergency-room transports.", [EVAL, DESIGN]),
            ("Leaders receive outcome reports at least quarterly.", [EVAL]),
            ("Information-sharing agreements were reviewed by counsel.", [INFO]),
            ("People with lived experience and their families take part in planning.", [COLLAB]),
            ("Officer and dispatcher training is funded.", [TRAINING, DISPATCH]),
            ("A plan sustains the program after the grant ends.", [EVAL]),
        ],
    },
    {
        "key": "pmhc-law-enforcement",
        "title": "Law enforcement leader assessment",
        "audience": "law_enforcement",
        "description": "For the police department or sheriff's office leading the response.",
        "items": [
            ("A written directive makes the collaboration a department priority.", [ORG]),
            ("A coordinator or unit is designated.", [ORG, DESIGN]),
            ("Written policies cover mental-health calls, including diversion options.", [DESIGN, STABILIZE]),
            ("Dispatch screens calls, routes them to trained responders and codes them.", [DISPATCH]),
            ("Specialized training for some officers, awareness training for all.", [TRAINING]),
            ("Trained responders cover every shift and area; dispatch knows who is on duty.", [DESIGN, DISPATCH]),
            ("Protocols exist for stabilization, disposition, transport and transfer.", [STABILIZE, TRANSPORT]),
            ("A signed agreement with the behavioral health provider is in place.", [COLLAB, TREATMENT]),
            ("An information-sharing protocol protects confidentiality.", [INFO]),
            ("Data is collected on injuries, repeat calls, dispositions, linkages and transfer times.", [EVAL]),
            ("Performance is reviewed regularly, with officer feedback.", [EVAL, ORG]),
            ("Program costs are in the operating budget.", [ORG, EVAL]),
        ],
    },
    {
        "key": "pmhc-behavioral-health",
        "title": "Behavioral health leader assessment",
        "audience": "behavioral_health",
        "description": "For the mental health or substance use provider partnering with law enforcement.",
        "items": [
            ("A named liaison to law enforcement exists.", [COLLAB]),
            (
                "Crisis services cover all hours: crisis line, mobile team, a receiving center that accepts "
                "police drop-offs.",
                [TREATMENT, STABILIZE],
            ),
            ("Clinicians are available for co-response or embedded roles.", [DESIGN, TREATMENT]),
            ("Police referrals get quick intake and follow-up within a set time.", [TREATMENT, TRANSPORT]),
            ("Frequent contacts get case management.", [TREATMENT]),
            ("The agency helps deliver officer training.", [TRAINING]),
            ("An MOU is signed.", [COLLAB]),
            ("Consent and legal framework (HIPAA, 42 CFR Part 2) is in place.", [INFO]),
            ("Referral and engagement data flows back to law enforcement.", [INFO, EVAL]),
            ("Peer specialists are involved.", [TREATMENT]),
            ("The agency takes part in joint performance reviews.", [EVAL, COLLAB]),
        ],
    },
]

# The sections of the law-enforcement Planning and Implementation Guide, as the planning phase's milestones.
# FY2018 gave the planning phase 8 months; the last item is due at about that point.
PLANNING = {
    "key": "pmhc-planning",
    "title": "Planning phase",
    "audience": "",
    "description": "The Planning and Implementation Guide's sections, worked through with the TA provider.",
    "items": [
        ("Goals of the collaboration agreed (getting started)", 30),
        ("Planning committee and project team named", 45),
        ("Mental-health calls for service tracked and baselined", 90),
        ("Plan for applying the essential elements written", 150),
        ("Data collection and evaluation plan agreed", 180),
        ("Sustainability plan drafted", 240),
    ],
}


def publish(apps) -> None:
    """Publish version 1 of each checklist that is not there yet (`apps`: a migration's or django.apps)."""
    ChecklistTemplate = apps.get_model("workflow", "ChecklistTemplate")
    ChecklistItem = apps.get_model("workflow", "ChecklistItem")

    def add(spec, items):
        if ChecklistTemplate.objects.filter(key=spec["key"]).exists():
            return  # Already published (by hand, or a later version): leave it.
        template = ChecklistTemplate.objects.create(
            key=spec["key"], version=1, title=spec["title"], audience=spec["audience"], description=spec["description"]
        )
        ChecklistItem.objects.bulk_create(
            ChecklistItem(template=template, order=order, **item) for order, item in items
        )

    for spec in CHECKLISTS:
        add(spec, [(order, {"text": text, "tags": tags}) for order, (text, tags) in enumerate(spec["items"], 1)])
    add(
        PLANNING,
        [(order, {"text": text, "due_offset_days": days}) for order, (text, days) in enumerate(PLANNING["items"], 1)],
    )


def unpublish(apps) -> None:
    ChecklistTemplate = apps.get_model("workflow", "ChecklistTemplate")
    keys = [spec["key"] for spec in CHECKLISTS] + [PLANNING["key"]]
    ChecklistTemplate.objects.filter(key__in=keys, version=1).delete()
