"""National-scale data, made on the server (``INSERT … SELECT generate_series``) in bounded chunks.

Every value is a function of the row number and the seed through PostgreSQL's
``hashint8extended``: the same seed gives the same rows whatever the chunk size
or the plan, and nothing but chunk boundaries travels from Python, so memory
stays flat at any scale. Rows are laid out by id range so that formulas can
name related rows without looking them up:

* organizations ``1..F`` are BJA program offices (federal), then law
  enforcement, behavioral health, government and other ones;
* user ``u`` is a member of organization ``1 + (u - 1) % O`` in slot
  ``(u - 1) // O`` (slot 0 is its admin), so ``org + O * slot`` is a member of
  ``org``; every tenth user also belongs to a second organization;
* case ``c`` has its owner as lead, most have a behavioral health partner, some
  a co-applicant, and applications and awards have a BJA office as reviewer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from workflow.access import reach_rebuild

EMAIL_DOMAIN = "scale.bench.example"
CHUNK = 200_000
NATIONAL = {
    "organizations": 20_000,
    "users": 100_000,
    "cases": 200_000,
    "tasks": 2_000_000,
    "events": 10_000_000,
    "grants": 2_000_000,
    "milestones": 1_000_000,
    "notifications": 1_000_000,
}
PROFILES = {"small": 0.01, "medium": 0.1, "national": 1.0}
USERS_PER_ORGANIZATION = 5
ZONES = ["America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"]
STATES = ["CA", "TX", "FL", "NY", "PA", "IL", "OH", "GA", "NC", "MI", "NJ", "VA", "WA", "AZ", "MA", "TN", "IN"]
# (kind, share of cases, [(stage, share)], terminal stages). Realistic mixes: most applications are
# still being written or reviewed; most partnerships are implementing or operating.
KINDS = [
    (
        "application",
        45,
        [("draft", 20), ("submitted", 8), ("completeness_review", 7), ("peer_review", 10), ("financial_review", 5),
         ("decision", 5), ("awarded", 20), ("not_funded", 15), ("rejected", 4), ("withdrawn", 6)],
        {"awarded", "not_funded", "rejected", "withdrawn"},
    ),
    (
        "award",
        20,
        [("offered", 5), ("planning", 15), ("implementation", 55), ("closeout", 10), ("closed", 12),
         ("declined", 3)],
        {"closed", "declined"},
    ),
    (
        "partnership",
        25,
        [("exploring", 15), ("planning", 20), ("implementing", 25), ("operating", 25), ("sustaining", 8),
         ("paused", 4), ("dissolved", 3)],
        {"dissolved"},
    ),
    (
        "ta_request",
        10,
        [("received", 10), ("acknowledged", 10), ("matched", 15), ("scheduled", 15), ("delivered", 10),
         ("closed", 30), ("declined", 5), ("withdrawn", 5)],
        {"closed", "declined", "withdrawn"},
    ),
]  # fmt: skip


def kind_mix(machines) -> tuple:
    """KINDS, kept to the registered machines and their stages (a kind whose stages changed gets an even mix)."""
    registered = {machine.kind: machine for machine in machines}
    mix = []
    for kind, share, stages, _ in KINDS:
        if kind not in registered:
            continue
        known = {stage.name: stage.terminal for stage in registered[kind].stages}
        kept = tuple((stage, weight) for stage, weight in stages if stage in known) or tuple((s, 1) for s in known)
        mix.append((kind, share, kept, frozenset(stage for stage, terminal in known.items() if terminal)))
    return tuple(mix)


class GenerationRefused(Exception):
    pass


@dataclass(frozen=True)
class Plan:
    """Row counts of one run, and the id ranges of the organization kinds."""

    organizations: int
    users: int
    cases: int
    tasks: int
    events: int
    grants: int
    milestones: int
    notifications: int
    seed: int
    kinds: tuple[tuple[str, int, tuple[tuple[str, int], ...], frozenset[str]], ...]

    @classmethod
    def for_profile(cls, profile: str, *, seed: int, scale: float | None = None, machines=()) -> Plan:
        factor = PROFILES[profile] if scale is None else scale
        counts = {name: max(1, math.ceil(count * factor)) for name, count in NATIONAL.items()}
        counts["organizations"] = max(counts["organizations"], 10)
        counts["users"] = max(counts["users"], USERS_PER_ORGANIZATION * counts["organizations"])
        return cls(**counts, seed=seed, kinds=kind_mix(machines))

    @property
    def federal(self) -> int:
        return max(1, self.organizations // 2000)

    @property
    def ranges(self) -> dict[str, tuple[int, int]]:
        """Kind -> (first id, count). Federal first, then 60 % law enforcement, 30 % behavioral health…"""
        rest = self.organizations - self.federal
        law, health = rest * 60 // 100, rest * 30 // 100
        government = rest * 7 // 100
        other = rest - law - health - government
        first, found = 1, {}
        for kind, count in [("federal", self.federal), ("law_enforcement", law), ("behavioral_health", health),
                            ("government", government), ("other", other)]:  # fmt: skip
            found[kind] = (first, count)
            first += count
        return found

    @property
    def total_rows(self) -> int:
        memberships = self.users + self.users // 10
        participants = self.cases * 3
        return (
            self.organizations + self.users + memberships + self.cases + participants + self.events + self.tasks
            + self.milestones + self.grants + self.notifications
        )  # fmt: skip


class Sql:
    """SQL expression builders bound to one plan (hashes salted by the seed)."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan

    def h(self, expr: str, salt: int) -> str:
        """A non-negative pseudo-random bigint, a pure function of (expr, seed, salt)."""
        return f"(hashint8extended(({expr})::bigint, {self.plan.seed * 1000 + salt}) & 9223372036854775807)"

    def pick(self, expr: str, salt: int, choices: list[tuple[str, int]]) -> str:
        """A weighted choice among SQL literals."""
        total = sum(weight for _, weight in choices)
        roll, upto, arms = f"({self.h(expr, salt)} % {total})", 0, []
        for value, weight in choices[:-1]:
            upto += weight
            arms.append(f"WHEN {roll} < {upto} THEN {value}")
        return f"(CASE {' '.join(arms)} ELSE {choices[-1][0]} END)"

    def in_range(self, kind: str, expr: str, salt: int) -> str:
        first, count = self.plan.ranges[kind]
        return f"({first} + {self.h(expr, salt)} % {max(count, 1)})"

    def member_of(self, organization: str, expr: str, salt: int) -> str:
        """A user who belongs to `organization` (see the module docstring)."""
        return f"(({organization}) + {self.plan.organizations} * ({self.h(expr, salt)} % {USERS_PER_ORGANIZATION}))"

    def opened_at(self, case: str) -> str:
        return f"(timestamptz '2023-01-01 00:00+00' + {self.h(case, 7)} % (3 * 365 * 86400) * interval '1 second')"

    def partner(self, case: str) -> str:
        return self.in_range("behavioral_health", case, 5)


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def steps(plan: Plan, *, permission_ids: dict[str, int]) -> list[tuple[str, int, str]]:
    """(label, rows, SQL with {lo} and {hi}) in load order; each SQL inserts the rows numbered lo..hi."""
    s, o, f = Sql(plan), plan.organizations, plan.federal
    r = plan.ranges
    law_first, law_count = r["law_enforcement"]
    kinds = plan.kinds
    kind_expr = s.pick("c", 1, [(_quote(kind), share) for kind, share, _, _ in kinds])
    stage_arms = " ".join(
        f"WHEN {_quote(kind)} THEN {s.pick('c', 2, [(_quote(stage), w) for stage, w in stages])}"
        for kind, _, stages, _ in kinds
    )
    terminal = ", ".join(_quote(f"{kind}:{stage}") for kind, _, _, ends in kinds for stage in ends)
    zone = f"(ARRAY[{', '.join(map(_quote, ZONES))}])[1 + {s.h('{x}', 3)} % {len(ZONES)}]"
    state = f"(ARRAY[{', '.join(map(_quote, STATES))}])[1 + {s.h('o', 4)} % {len(STATES)}]"
    kind_of_org = " ".join(f"WHEN o < {first + count} THEN {_quote(kind)}" for kind, (first, count) in r.items())
    slot = f"((u - 1) / {o})"
    role = (
        f"CASE WHEN org <= {f} THEN (CASE WHEN {slot} < 3 THEN 'grant_manager' ELSE 'peer_reviewer' END) "
        f"WHEN {slot} = 0 THEN 'admin' WHEN {slot} = 4 THEN 'viewer' ELSE 'member' END"
    )
    grant_mix = [("view_case", 50), ("review_case", 25), ("change_case", 15), ("manage_case", 10)]
    grant = s.pick("g", 22, [(str(permission_ids[codename]), weight) for codename, weight in grant_mix])
    due = f"(current_date - 365 + ({s.h('t', 31)} % 730)::int)"
    task_status = (
        f"CASE WHEN {due} < current_date THEN {s.pick('t', 32, [(repr('done'), 80), (repr('cancelled'), 5), (repr('open'), 15)])} "  # noqa: E501
        f"ELSE {s.pick('t', 33, [(repr('open'), 60), (repr('in_progress'), 25), (repr('blocked'), 5), (repr('done'), 10)])} END"  # noqa: E501
    )
    verb = s.pick("i", 41, [("'transition'", 15), ("'comment'", 30), ("'document_uploaded'", 15),
                            ("'task_created'", 20), ("'milestone_submitted'", 20)])  # fmt: skip
    milestone_status = s.pick("m", 51, [("'open'", 40), ("'submitted'", 15), ("'approved'", 40),
                                        ("'changes_requested'", 5)])  # fmt: skip
    return [
        (
            "organizations",
            o,
            f"""INSERT INTO accounts_organization (id, name, kind, state, jurisdiction, time_zone, is_learning_site,
                                                   is_active, created_at)
                SELECT o, kind || ' ' || o, kind, {state}, 'County ' || (o % 3000), {zone.replace("{x}", "o")},
                       kind = 'law_enforcement' AND o % 200 = 0, true, now()
                FROM (SELECT o, CASE {kind_of_org} ELSE 'other' END AS kind
                      FROM generate_series({{lo}}, {{hi}}) o) rows""",
        ),
        (
            "users",
            plan.users,
            f"""INSERT INTO accounts_user (id, password, is_superuser, email, full_name, time_zone, is_active,
                                           is_staff, date_joined)
                SELECT u, '!', false, 'user' || u || '@{EMAIL_DOMAIN}', 'Scale Person ' || u,
                       {zone.replace("{x}", "u")}, true, false, now()
                FROM generate_series({{lo}}, {{hi}}) u""",
        ),
        (
            "memberships",
            plan.users,
            f"""INSERT INTO accounts_membership (id, user_id, organization_id, role, is_active, created_at, updated_at)
                SELECT u, u, org, {role}, true, now(), now()
                FROM (SELECT u, 1 + (u - 1) % {o} AS org FROM generate_series({{lo}}, {{hi}}) u) rows""",
        ),
        (
            "second memberships",
            plan.users // 10,
            f"""INSERT INTO accounts_membership (id, user_id, organization_id, role, is_active, created_at, updated_at)
                SELECT {plan.users} + n, 10 * n, {f + 1} + {s.h("n", 6)} % {o - f}, 'member', true, now(), now()
                FROM generate_series({{lo}}, {{hi}}) n
                ON CONFLICT DO NOTHING""",
        ),
        (
            "cases",
            plan.cases,
            f"""INSERT INTO workflow_case (id, kind, title, stage, organization_id, version, opened_at, closed_at)
                SELECT c, kind, initcap(replace(kind, '_', ' ')) || ' ' || c, stage, owner, 1 + {s.h("c", 8)} % 6,
                       {s.opened_at("c")},
                       CASE WHEN kind || ':' || stage IN ({terminal}) THEN {s.opened_at("c")} + interval '200 days' END
                FROM (SELECT c, kind, CASE kind {stage_arms} END AS stage,
                             CASE WHEN {s.h("c", 9)} % 100 < 85 THEN {s.in_range("law_enforcement", "c", 10)}
                                  ELSE {s.in_range("government", "c", 10)} END AS owner
                      FROM (SELECT c, {kind_expr} AS kind FROM generate_series({{lo}}, {{hi}}) c) k) rows""",
        ),
        (
            "participants",
            plan.cases,
            f"""INSERT INTO workflow_participant (case_id, organization_id, role, added_at)
                SELECT c.id, c.organization_id, 'lead', c.opened_at FROM workflow_case c
                WHERE c.id BETWEEN {{lo}} AND {{hi}}
                UNION ALL
                SELECT c.id, {s.partner("c.id")}, 'partner', c.opened_at FROM workflow_case c
                WHERE c.id BETWEEN {{lo}} AND {{hi}} AND {s.h("c.id", 11)} % 10 <> 0
                UNION ALL
                SELECT c.id, {law_first} + (c.organization_id - {law_first} + 1) % {law_count}, 'co_applicant',
                       c.opened_at
                FROM workflow_case c
                WHERE c.id BETWEEN {{lo}} AND {{hi}} AND c.kind IN ('application', 'award')
                  AND {s.h("c.id", 12)} % 5 = 0
                UNION ALL
                SELECT c.id, 1 + c.id % {f}, 'reviewer', c.opened_at FROM workflow_case c
                WHERE c.id BETWEEN {{lo}} AND {{hi}} AND c.kind IN ('application', 'award')
                ON CONFLICT DO NOTHING""",
        ),
        (
            "events",
            plan.events,
            f"""INSERT INTO workflow_event (id, case_id, actor_id, verb, data, audience, created_at)
                SELECT i + 1, c.id, {s.member_of("c.organization_id", "i", 40)}, verb,
                       CASE WHEN verb = 'transition' THEN '{{"from": "draft", "to": "submitted"}}'::jsonb
                            ELSE '{{}}'::jsonb END,
                       CASE WHEN {s.h("i", 42)} % 20 = 0 THEN 'reviewers' ELSE 'all' END,
                       c.opened_at + (i / {plan.cases}) * interval '7 hours' + {s.h("i", 43)} % 3600 * interval '1 s'
                FROM (SELECT i, {verb} AS verb FROM generate_series({{lo}} - 1, {{hi}} - 1) i) rows
                JOIN workflow_case c ON c.id = 1 + i % {plan.cases}""",
        ),
        (
            "tasks",
            plan.tasks,
            f"""INSERT INTO tasks_task (id, case_id, title, description, assignee_id, assignee_organization_id,
                                        created_by_id, due_date, priority, status, blocked_reason, completed_at,
                                        completed_by_id, origin_kind, origin_label, created_at, updated_at)
                SELECT t, case_id, 'Task ' || t, '',
                       CASE WHEN {s.h("t", 34)} % 10 < 7 THEN {s.member_of("org", "t", 35)} END, org,
                       {s.member_of("owner", "t", 36)}, due, 1 + {s.h("t", 37)} % 4, status,
                       CASE WHEN status = 'blocked' THEN 'Waiting on the partner' ELSE '' END,
                       CASE WHEN status IN ('done', 'cancelled') THEN due - 2 + time '12:00' END,
                       CASE WHEN status IN ('done', 'cancelled') THEN {s.member_of("org", "t", 38)} END,
                       '', '', due - 30 + time '09:00', now()
                FROM (SELECT t, c.id AS case_id, c.organization_id AS owner, {due} AS due, {task_status} AS status,
                             CASE WHEN {s.h("t", 39)} % 10 < 4 AND {s.h("c.id", 11)} % 10 <> 0
                                  THEN {s.partner("c.id")} ELSE c.organization_id END AS org
                      FROM generate_series({{lo}}, {{hi}}) t JOIN workflow_case c ON c.id = 1 + (t - 1) % {plan.cases}
                     ) rows""",
        ),
        (
            "milestones",
            plan.milestones,
            f"""INSERT INTO workflow_milestone (id, case_id, "order", title, guidance, required, needs_bja_approval,
                                               joint, due_date, status, note, reviewer_comment, submitted_at,
                                               submitted_by_id, decided_at, decided_by_id)
                SELECT m, case_id, (m - 1) / {plan.cases}, 'Milestone ' || ((m - 1) / {plan.cases} + 1), '', true,
                       {s.h("m", 52)} % 3 = 0, false, current_date - 365 + ({s.h("m", 53)} % 730)::int, status, '', '',
                       CASE WHEN status <> 'open' THEN now() - interval '30 days' END,
                       CASE WHEN status <> 'open' THEN {s.member_of("owner", "m", 54)} END,
                       CASE WHEN status IN ('approved', 'changes_requested') THEN now() - interval '20 days' END,
                       CASE WHEN status IN ('approved', 'changes_requested')
                            THEN {s.member_of(f"1 + case_id % {f}", "m", 55)} END
                FROM (SELECT m, c.id AS case_id, c.organization_id AS owner, {milestone_status} AS status
                      FROM generate_series({{lo}}, {{hi}}) m JOIN workflow_case c ON c.id = 1 + (m - 1) % {plan.cases}
                     ) rows""",
        ),
        (
            "per-object grants",
            plan.grants,
            f"""INSERT INTO workflow_caseuserpermission (user_id, content_object_id, permission_id)
                SELECT 1 + {s.h("g", 20)} % {plan.users}, 1 + {s.h("g", 21)} % {plan.cases}, {grant}
                FROM generate_series({{lo}}, {{hi}}) g
                ON CONFLICT DO NOTHING""",
        ),
        (
            "notifications",
            plan.notifications,
            f"""INSERT INTO reminders_notification (recipient_id, kind, target, "window", case_id, subject, body, url,
                                                due_date, status, attempts, next_attempt_at, sent_at, last_error,
                                                read_at, created_at)
                SELECT coalesce(t.assignee_id, t.created_by_id), 'task', 'task:' || t.id, w, t.case_id,
                       'Reminder: ' || t.title, '', '/tasks/' || t.id || '/', t.due_date, rows.status,
                       CASE WHEN rows.status = 'sent' THEN 1 ELSE 0 END, t.due_date - 7 + time '07:00',
                       CASE WHEN rows.status = 'sent' THEN t.due_date - 7 + time '07:01' END, '',
                       CASE WHEN {s.h("n", 61)} % 2 = 0 THEN t.due_date - 6 + time '08:00' END,
                       t.due_date - 7 + time '07:00'
                FROM (SELECT n, {s.pick("n", 62, [("'7d'", 40), ("'1d'", 30), ("'due'", 30)])} AS w,
                             {s.pick("n", 63, [("'sent'", 70), ("'in_app'", 25), ("'pending'", 5)])} AS status
                      FROM generate_series({{lo}}, {{hi}}) n) rows
                JOIN tasks_task t ON t.id = 1 + ({s.h("n", 60)} % {plan.tasks})
                ON CONFLICT DO NOTHING""",
        ),
    ]


GENERATED_TABLES = [
    "reminders_notification", "tasks_task", "workflow_caseuserpermission", "workflow_casegrouppermission",
    "workflow_milestone", "workflow_event", "workflow_participant", "workflow_case", "accounts_membership",
    "accounts_user", "accounts_organization", "knox_authtoken",
]  # fmt: skip


def check_only_generated(cursor) -> None:
    """Refuse a database that holds anything the generator did not make (it empties these tables)."""
    cursor.execute("SELECT count(*) FROM accounts_user WHERE email NOT LIKE %s", [f"%@{EMAIL_DOMAIN}"])
    (foreign,) = cursor.fetchone()
    cursor.execute("SELECT count(*) FROM accounts_user")
    (users,) = cursor.fetchone()
    cursor.execute("SELECT count(*) FROM workflow_case")
    (cases,) = cursor.fetchone()
    if foreign or (cases and not users):
        raise GenerationRefused(
            f"This database holds data the generator did not make ({foreign} users outside @{EMAIL_DOMAIN}). "
            "Point DATABASE_URL at a benchmark database, or pass --recreate to drop and recreate it."
        )


def generate(cursor, plan: Plan, *, permission_ids: dict[str, int], progress) -> dict[str, int]:
    """Empty the generated tables and fill them. Returns the rows made per table."""
    check_only_generated(cursor)
    cursor.execute("TRUNCATE " + ", ".join([*GENERATED_TABLES, "workflow_reach"]) + " RESTART IDENTITY CASCADE")
    # The rows are consistent by construction: skip per-row foreign key triggers (a superuser-only setting)
    # and wait for no disk flush per chunk. Both are local to this session.
    cursor.execute("SET session_replication_role = replica")
    cursor.execute("SET synchronous_commit = off")
    made: dict[str, int] = {}
    for label, rows, sql in steps(plan, permission_ids=permission_ids):
        for lo in range(1, rows + 1, CHUNK):
            hi = min(lo + CHUNK - 1, rows)
            cursor.execute(sql.replace("{lo}", str(lo)).replace("{hi}", str(hi)))
            made[label] = made.get(label, 0) + cursor.rowcount
            progress.advance(hi - lo + 1 if label != "participants" else 3 * (hi - lo + 1), label)
    cursor.execute("SET session_replication_role = DEFAULT")
    # The triggers that keep the access rule's materialised reach were off with the others: derive it once.
    progress.advance(0, "reach")
    made["workflow_reach"] = reach_rebuild()
    for table in GENERATED_TABLES[:-1]:  # knox tokens are keyed by digest, not by a sequence
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce((SELECT max(id) FROM {table}), 0) + 1,"
            " false)"
        )
    # VACUUM too, not only ANALYZE: it fills the visibility map, so index-only scans work as they do on a
    # production database that autovacuum keeps (the access filter's participant lookups are index-only).
    # VACUUM cannot run in a transaction (the test suite's), where ANALYZE alone has to do.
    progress.advance(0, "vacuum analyze")
    cursor.execute("ANALYZE" if cursor.db.in_atomic_block else "VACUUM (ANALYZE)")
    return made
