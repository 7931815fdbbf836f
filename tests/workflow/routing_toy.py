"""A toy case kind that declares who acts next, to show the engine routes any kind it is told about."""

from workflow.access import EDIT, REVIEW
from workflow.machines import Machine, Stage, Transition, registry
from workflow.roles import GRANT_MANAGERS, LEAD_ADMINS, PARTNER_ADMINS
from workflow.routing import Step, Waiting, step_register, steps

KIND = "toy_request"
# The toy step's state: case ids whose partner has been "pinged" (a real step reads its own table).
PINGED: set[int] = set()

MACHINE = Machine(
    kind=KIND,
    label="Toy request",
    initial="draft",
    stages=[
        Stage("draft", "Draft", waits_on=(LEAD_ADMINS.key,), action="Finish the toy request"),
        Stage("sent", "Sent", waits_on=(GRANT_MANAGERS.key,), action="Look at the toy request"),
        Stage("done", "Done", terminal=True),
    ],
    transitions=[
        Transition("send", "Send", ("draft",), "sent", permission=EDIT),
        Transition("finish", "Finish", ("sent",), "done", permission=REVIEW),
    ],
)


def pinged(case_ids: list[int]) -> list[Waiting]:
    return [
        Waiting(
            step="toy.ping",
            case_id=case_id,
            object_id=7,
            action="Answer the ping",
            url="/toy/",
            roles=(PARTNER_ADMINS.key,),
        )
        for case_id in case_ids
        if case_id in PINGED
    ]


STEP = Step("toy.ping", "Ping to answer", find=pinged, kinds=(KIND,), on=("toy.pinged", "toy.answered"))


def register() -> None:
    registry.register(MACHINE)
    step_register(STEP)


def unregister() -> None:
    registry.unregister(KIND)
    steps.unregister(STEP.key)
    PINGED.clear()
